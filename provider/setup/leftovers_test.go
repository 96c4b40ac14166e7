package setup_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const (
	leftoverRole      = "arn:aws:iam::678901234557:role/RoleForConcurrentService"
	getAccessEntryTok = "aws:eks/getAccessEntry:getAccessEntry"
)

// broughtRole: the runbook's role brought with roleArn, on the demo cluster (access mode
// auto resolves to accessEntry there).
func broughtRole(extra map[string]any) map[string]any {
	in := with(map[string]any{"roleArn": leftoverRole, "externalId": secret("runbook-external-id"), "computeType": "none"})
	for k, v := range extra {
		in[k] = v
	}
	return in
}

// withAccessEntryFor describes a cluster where these principals already have an access entry.
func withAccessEntryFor(principals ...string) fakeaws.Option {
	c := fakeaws.DemoCluster()
	c.AccessEntries = principals
	return fakeaws.WithCluster(c)
}

// A leftover access entry for the brought role: our create would fail (one entry per
// principal), so the setup refuses, before any child, with the exact import command.
func TestLeftoverAccessEntryIsAnError(t *testing.T) {
	run, err := construct(t, broughtRole(nil), withAccessEntryFor(leftoverRole))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "roleArn: "+leftoverRole+" already has an access entry in cluster kubetest32")
	assert.Contains(t, err.Error(), "\n    pulumi import aws:eks/accessEntry:AccessEntry demo-access "+
		"'kubetest32:"+leftoverRole+"' --parent 'demo=urn:pulumi:stack::project::concurrent:index:ConcurrentEksSetup::demo'\n"+
		"    aws eks tag-resource --resource-arn 'arn:aws:eks:us-east-2:678901234557:access-entry/kubetest32/role/678901234557/RoleForConcurrentService/0a1b2c3d' "+
		"--tags 'pulumi-concurrent:setup=test/test/demo'\n")
	assert.Contains(t, err.Error(), "adoptExisting: true")
	assert.Empty(t, childrenOf(run), "nothing is registered")
}

// adoptExisting imports it: the import option with the AWS provider's id, the live values
// as inputs (an import whose inputs differ fails), and kept in AWS on delete.
func TestLeftoverAccessEntryIsAdopted(t *testing.T) {
	run := mustConstruct(t, broughtRole(map[string]any{"adoptExisting": true}), withAccessEntryFor(leftoverRole))
	entry, ok := run.Get(accessEntryType, "demo-access")
	require.True(t, ok, run.String())
	assert.Equal(t, "kubetest32:"+leftoverRole, entry.ImportID)
	assert.True(t, entry.RetainOnDelete, "an adopted entry stays when the setup is deleted")
	assert.Equal(t, map[string]any{
		"clusterName": "kubetest32", "principalArn": leftoverRole, "type": "STANDARD",
		"userName":         "arn:aws:sts::678901234557:assumed-role/RoleForConcurrentService/{{SessionName}}",
		"kubernetesGroups": []any{}, "tags": map[string]any{},
	}, plainInputs(entry))
	// The cluster-admin association is ours, on the adopted entry.
	assoc := run.ByType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
	require.Len(t, assoc, 1)
	assert.Equal(t, leftoverRole, testprops.Str(assoc[0].Inputs, "principalArn"))
}

// No entry (getAccessEntry errors): a plain create, tagged as ours, no import.
func TestNoLeftoverAccessEntry(t *testing.T) {
	for _, adopt := range []bool{false, true} {
		run := mustConstruct(t, broughtRole(map[string]any{"adoptExisting": adopt}))
		entry, ok := run.Get(accessEntryType, "demo-access")
		require.True(t, ok, run.String())
		assert.Empty(t, entry.ImportID)
		assert.False(t, entry.RetainOnDelete)
		assert.Equal(t, "system-manager", testprops.Str(entry.Inputs, "userName"))
		assert.Equal(t, map[string]any{"pulumi-concurrent:setup": "test/test/demo"}, testprops.Plain(entry.Inputs.Get("tags")))
	}
}

// The entry an earlier run of this setup made carries the owner tag: not a leftover.
func TestOwnAccessEntryIsNoLeftover(t *testing.T) {
	ours := func(tag string) fakeaws.Option {
		return fakeaws.WithInvoke(getAccessEntryTok, func(args property.Map) (property.Map, error) {
			return testprops.Props(map[string]any{
				"clusterName": "kubetest32", "principalArn": leftoverRole, "type": "STANDARD", "userName": "system-manager",
				"tags": map[string]any{"pulumi-concurrent:setup": tag}, "tagsAll": map[string]any{"pulumi-concurrent:setup": tag},
			}), nil
		})
	}
	run := mustConstruct(t, broughtRole(nil), ours("test/test/demo"))
	entry, ok := run.Get(accessEntryType, "demo-access")
	require.True(t, ok, run.String())
	assert.Empty(t, entry.ImportID)

	// Another stack's or component's entry is a leftover for this one.
	_, err := construct(t, broughtRole(nil), ours("test/other-stack/demo"))
	assert.ErrorContains(t, err, "already has an access entry")
}

// Only a brought role can have an entry before us; a created role (and configMap mode) is
// not looked up.
func TestAccessEntryLookedUpOnlyForBroughtRole(t *testing.T) {
	for name, run := range map[string]*fakeaws.Run{
		"created role": mustConstruct(t, with(map[string]any{"computeType": "none"})),
		"configMap":    mustConstruct(t, broughtRole(map[string]any{"access": map[string]any{"mode": "configMap"}})),
	} {
		for _, call := range run.Invokes {
			assert.NotEqual(t, getAccessEntryTok, call.Token, name)
		}
	}
	run := mustConstruct(t, broughtRole(nil))
	var asked []string
	for _, call := range run.Invokes {
		if call.Token == getAccessEntryTok {
			asked = append(asked, call.Args.Get("clusterName").AsString()+":"+call.Args.Get("principalArn").AsString())
		}
	}
	assert.Equal(t, []string{"kubetest32:" + leftoverRole}, asked)
}
