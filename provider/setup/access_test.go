package setup_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const (
	accessEntryType = "aws:eks/accessEntry:AccessEntry"
	associationType = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	awsAuthType     = "concurrent:index:AwsAuthRoleMapping"
)

func TestAccessEntryMode(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"externalId": "ext-id-1234"}), withAuthMode("API_AND_CONFIG_MAP"))
	assert.Equal(t, "accessEntry", testprops.Str(run.Outputs, "accessMode"))
	assert.Empty(t, run.ByType(awsAuthType), "no aws-auth edit in accessEntry mode")

	role, _ := run.Get("aws:iam/role:Role", "demo-role")
	roleArn := testprops.Str(role.State, "arn")

	entries := run.ByType(accessEntryType)
	require.Len(t, entries, 1)
	entry := entries[0]
	assert.Equal(t, map[string]any{
		"clusterName": "kubetest32", "principalArn": roleArn, "type": "STANDARD", "userName": "system-manager",
		// The owner tag tells the next run's look-up this entry is ours, not a leftover.
		"tags": map[string]any{"pulumi-concurrent:setup": "test/test/demo"},
	}, testprops.Plain(propertyOf(entry.Inputs)))

	assocs := run.ByType(associationType)
	require.Len(t, assocs, 1)
	assert.Equal(t, map[string]any{
		"clusterName":  "kubetest32",
		"principalArn": roleArn,
		"policyArn":    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
		"accessScope":  map[string]any{"type": "cluster"},
	}, testprops.Plain(propertyOf(assocs[0].Inputs)))
	// EKS rejects an association for a principal with no access entry yet.
	assert.Contains(t, assocs[0].Dependencies, entry.URN)
}

func TestAccessEntryModeOnAPICluster(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"access": map[string]any{"username": "concurrent"}}), withAuthMode("API"))
	assert.Equal(t, "accessEntry", testprops.Str(run.Outputs, "accessMode"))
	entries := run.ByType(accessEntryType)
	require.Len(t, entries, 1)
	assert.Equal(t, "concurrent", testprops.Str(entries[0].Inputs, "userName"))
}

func TestAccessEntryPartition(t *testing.T) {
	c := fakeaws.DemoCluster()
	c.Partition, c.Region = "aws-cn", "cn-north-1"
	run := mustConstruct(t, minimal(), fakeaws.WithCluster(c))
	assocs := run.ByType(associationType)
	require.Len(t, assocs, 1)
	assert.Equal(t, "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", testprops.Str(assocs[0].Inputs, "policyArn"))
}

func TestConfigMapMode(t *testing.T) {
	run := mustConstruct(t, minimal(), withAuthMode("CONFIG_MAP"))
	assert.Equal(t, "configMap", testprops.Str(run.Outputs, "accessMode"))
	assert.Empty(t, run.ByType(accessEntryType))
	assert.Empty(t, run.ByType(associationType))

	mappings := run.ByType(awsAuthType)
	require.Len(t, mappings, 1)
	m := mappings[0]
	assert.Equal(t, "demo-aws-auth", m.Name)
	assert.True(t, m.Custom)
	assert.Equal(t, run.URN, m.Parent)
	role, _ := run.Get("aws:iam/role:Role", "demo-role")
	assert.Equal(t, testprops.Str(role.State, "arn"), testprops.Str(m.Inputs, "roleArn"))
	assert.Equal(t, "system-manager", testprops.Str(m.Inputs, "username"))
	assert.Equal(t, []string{"system:masters"}, testprops.Strs(m.Inputs, "groups"))
	assert.Contains(t, m.Dependencies, role.URN)

	// The kubeconfig is secret, and built from the cluster with `aws eks get-token`.
	kc := m.Inputs.Get("kubeconfig")
	assert.True(t, kc.Secret(), "the kubeconfig must be secret")
	var cfg struct {
		Clusters []struct {
			Cluster struct {
				Server string `json:"server"`
				CA     string `json:"certificate-authority-data"`
			} `json:"cluster"`
		} `json:"clusters"`
		Users []struct {
			User struct {
				Exec struct {
					Command string   `json:"command"`
					Args    []string `json:"args"`
				} `json:"exec"`
			} `json:"user"`
		} `json:"users"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(kc.AsString()), &cfg))
	demo := fakeaws.DemoCluster()
	require.Len(t, cfg.Clusters, 1)
	assert.Equal(t, demo.APIEndpoint(), cfg.Clusters[0].Cluster.Server)
	assert.Equal(t, demo.CertificateAuthority(), cfg.Clusters[0].Cluster.CA)
	require.Len(t, cfg.Users, 1)
	assert.Equal(t, "aws", cfg.Users[0].User.Exec.Command)
	assert.Equal(t, []string{"eks", "get-token", "--cluster-name", "kubetest32", "--region", "us-east-2", "--output", "json"},
		cfg.Users[0].User.Exec.Args)
}

func TestConfigMapModeCustomIdentityAndKubeconfig(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{
		"access":     map[string]any{"mode": "configMap", "username": "concurrent-admin", "groups": []string{"system:masters", "concurrent"}},
		"kubeconfig": secret("apiVersion: v1\nkind: Config\n"),
	}), withAuthMode("API_AND_CONFIG_MAP"))
	mappings := run.ByType(awsAuthType)
	require.Len(t, mappings, 1)
	m := mappings[0]
	assert.Equal(t, "concurrent-admin", testprops.Str(m.Inputs, "username"))
	assert.Equal(t, []string{"system:masters", "concurrent"}, testprops.Strs(m.Inputs, "groups"))
	kc := m.Inputs.Get("kubeconfig")
	assert.True(t, kc.Secret())
	assert.Equal(t, "apiVersion: v1\nkind: Config\n", kc.AsString(), "the given kubeconfig is used as is")
}

func TestKubeconfigAuthIsPassedToGetToken(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{
		"access":         map[string]any{"mode": "configMap"},
		"kubeconfigAuth": map[string]any{"roleArn": "arn:aws:iam::678901234557:role/deployer", "profile": "platform"},
	}), withAuthMode("CONFIG_MAP"))
	m := run.ByType(awsAuthType)[0]
	var cfg struct {
		Users []struct {
			User struct {
				Exec struct {
					Args []string `json:"args"`
					Env  []struct{ Name, Value string }
				} `json:"exec"`
			} `json:"user"`
		} `json:"users"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(m.Inputs.Get("kubeconfig").AsString()), &cfg))
	exec := cfg.Users[0].User.Exec
	assert.Equal(t, []string{"eks", "get-token", "--cluster-name", "kubetest32", "--region", "us-east-2", "--output", "json",
		"--role-arn", "arn:aws:iam::678901234557:role/deployer"}, exec.Args)
	assert.Equal(t, []struct{ Name, Value string }{{"AWS_PROFILE", "platform"}}, exec.Env)
}

// A cluster built in the same program: its name is an output of another resource, so the
// mode must be explicit, and the lookup uses the output form.
func TestExplicitModeWithClusterFromAnotherResource(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{
		"clusterName": outputOf("kubetest32"),
		"access":      map[string]any{"mode": "accessEntry"},
	}))
	entries := run.ByType(accessEntryType)
	require.Len(t, entries, 1)
	assert.Equal(t, "kubetest32", testprops.Str(entries[0].Inputs, "clusterName"))
	assert.Len(t, run.ByType(associationType), 1)
	assert.Equal(t, demoClusterArn, testprops.Str(run.Outputs, "clusterArn"))
	assert.Equal(t, "accessEntry", testprops.Str(run.Outputs, "accessMode"))
}
