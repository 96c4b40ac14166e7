package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"sigs.k8s.io/yaml"
)

// clusterFacts is what the look-ups learn, read by the rules that need the cluster and by
// every step: the cluster and its account, the access mode `auto` resolves to, the
// kubeconfig that reaches the cluster, and the VPC of fargate.network (nil without it).
type clusterFacts struct {
	cluster    *cluster
	accessMode AccessMode
	kubeconfig pulumi.StringOutput // secret
	network    *vpcNetwork
}

// lookUp reads the cluster, its account and region, and the VPC of fargate.network.
func lookUp(ctx *pulumi.Context, parent pulumi.Resource, c *config) (*clusterFacts, error) {
	cl, err := lookupCluster(ctx, parent, c)
	if err != nil {
		return nil, err
	}
	network, err := lookupNetwork(ctx, parent, c)
	if err != nil {
		return nil, err
	}
	return &clusterFacts{
		cluster:    cl,
		accessMode: resolveAccessMode(c.access.mode, cl),
		kubeconfig: kubeconfig(c, cl),
		network:    network,
	}, nil
}

// cluster is what the steps need to know about the existing EKS cluster and its account.
type cluster struct {
	name      pulumi.StringOutput
	arn       pulumi.StringOutput
	endpoint  pulumi.StringOutput
	caData    pulumi.StringOutput
	subnetIds pulumi.StringArrayOutput
	vpcId     pulumi.StringOutput

	// known is true when clusterName was known at construct time and the cluster was looked
	// up with the blocking invoke; authenticationMode is then the cluster's accessConfig mode.
	known              bool
	knownName          string
	authenticationMode string

	region    string
	partition string
	accountId string
}

// authMode is the known cluster's authenticationMode. Clusters created before access
// entries existed report none: they read only the aws-auth ConfigMap.
func (cl *cluster) authMode() string {
	if cl.authenticationMode == "" {
		return "CONFIG_MAP"
	}
	return cl.authenticationMode
}

// lookupCluster reads the cluster, the region, the partition and the account. When the
// cluster's name is known it blocks, so `access.mode: auto` can decide which children to
// register; otherwise (a cluster built in the same program) it uses the output form.
func lookupCluster(ctx *pulumi.Context, parent pulumi.Resource, c *config) (*cluster, error) {
	opt := pulumi.Parent(parent)
	region, err := aws.GetRegion(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the region: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the partition: %w", err)
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the account: %w", err)
	}
	cl := &cluster{region: region.Name, partition: partition.Partition, accountId: caller.AccountId}

	if name, ok := knownString(c.clusterName); ok {
		res, err := eks.LookupCluster(ctx, &eks.LookupClusterArgs{Name: name}, opt)
		if err != nil {
			return nil, fmt.Errorf("clusterName: looking up EKS cluster %q in %s: %w", name, cl.region, err)
		}
		cl.known, cl.knownName = true, name
		if len(res.AccessConfigs) > 0 {
			cl.authenticationMode = res.AccessConfigs[0].AuthenticationMode
		}
		ca := ""
		if len(res.CertificateAuthorities) > 0 {
			ca = res.CertificateAuthorities[0].Data
		}
		cl.name = pulumi.String(name).ToStringOutput()
		cl.arn = pulumi.String(res.Arn).ToStringOutput()
		cl.endpoint = pulumi.String(res.Endpoint).ToStringOutput()
		cl.caData = pulumi.String(ca).ToStringOutput()
		cl.subnetIds = pulumi.ToStringArray(res.VpcConfig.SubnetIds).ToStringArrayOutput()
		cl.vpcId = pulumi.String(res.VpcConfig.VpcId).ToStringOutput()
		return cl, nil
	}

	res := eks.LookupClusterOutput(ctx, eks.LookupClusterOutputArgs{Name: c.clusterName}, opt)
	cl.name = res.Name()
	cl.arn = res.Arn()
	cl.endpoint = res.Endpoint()
	cl.caData = res.CertificateAuthorities().Index(pulumi.Int(0)).Data()
	cl.subnetIds = res.VpcConfig().SubnetIds()
	cl.vpcId = res.VpcConfig().VpcId()
	return cl, nil
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
