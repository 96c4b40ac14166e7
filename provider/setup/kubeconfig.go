package setup

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"sigs.k8s.io/yaml"
)

// The kubeconfig the Kubernetes parts (aws-auth, the namespaces) use. Built, it
// authenticates as the AWS provider does: the provider reads `aws:profile` and
// `aws:assumeRole` from the stack config, and so does `aws eks get-token` here
// (AWS_PROFILE, --role-arn), unless kubeconfigAuth says otherwise. Without them, get-token
// would use the environment's credentials, and aws-auth and the namespaces would fail as
// Unauthorized or reach another account. Static keys are never copied into it.

// stackAWSConfig is what the stack config tells the AWS provider about its credentials.
type stackAWSConfig struct {
	profile, roleArn string
	// externalID: aws:assumeRole has one (get-token cannot pass it); staticKeys:
	// aws:accessKey is set (never copied).
	externalID, staticKeys bool
	err                    error
}

// readStackAWSConfig reads the AWS provider's keys from the stack config, which the
// construct's context carries (the engine passes the stack's config to Construct).
func readStackAWSConfig(ctx *pulumi.Context) stackAWSConfig {
	get := func(key string) string { v, _ := ctx.GetConfig(key); return v }
	s := stackAWSConfig{profile: get("aws:profile"), staticKeys: get("aws:accessKey") != ""}
	if raw := get("aws:assumeRole"); raw != "" {
		var role struct {
			RoleArn    string `json:"roleArn"`
			ExternalID string `json:"externalId"`
		}
		if err := json.Unmarshal([]byte(raw), &role); err != nil {
			s.err = fmt.Errorf("not a JSON object: %w", err)
		}
		s.roleArn, s.externalID = role.RoleArn, role.ExternalID != ""
	}
	return s
}

// kubeconfig returns the kubeconfig the Kubernetes parts use: the given one, or one built
// from the cluster that gets its token from `aws eks get-token`, as `aws eks
// update-kubeconfig` writes it. Secret either way.
func kubeconfig(c *config, cl *cluster) pulumi.StringOutput {
	if c.kubeconfig != nil {
		return pulumi.ToSecret(c.kubeconfig.ToStringOutput()).(pulumi.StringOutput)
	}
	auth := c.kubeconfigAuth
	out := pulumi.All(cl.name, cl.endpoint, cl.caData, auth.roleArn, auth.profile).ApplyT(func(v []any) (string, error) {
		return buildKubeconfig(v[0].(string), cl.region, v[1].(string), v[2].(string), v[3].(string), v[4].(string))
	}).(pulumi.StringOutput)
	return pulumi.ToSecret(out).(pulumi.StringOutput)
}

func buildKubeconfig(name, region, endpoint, caData, roleArn, profile string) (string, error) {
	args := []string{"eks", "get-token", "--cluster-name", name, "--region", region, "--output", "json"}
	if roleArn != "" {
		args = append(args, "--role-arn", roleArn)
	}
	var env []map[string]string
	if profile != "" {
		env = append(env, map[string]string{"name": "AWS_PROFILE", "value": profile})
	}
	cfg := map[string]any{
		"apiVersion":      "v1",
		"kind":            "Config",
		"current-context": name,
		"clusters": []any{map[string]any{"name": name, "cluster": map[string]any{
			"server": endpoint, "certificate-authority-data": caData,
		}}},
		"contexts": []any{map[string]any{"name": name, "context": map[string]any{"cluster": name, "user": name}}},
		"users": []any{map[string]any{"name": name, "user": map[string]any{"exec": map[string]any{
			"apiVersion": "client.authentication.k8s.io/v1beta1",
			"command":    "aws",
			"args":       args,
			"env":        env,
		}}}},
	}
	b, err := yaml.Marshal(cfg)
	return string(b), err
}
