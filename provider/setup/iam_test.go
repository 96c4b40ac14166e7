package setup_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

// policy is an IAM document decoded for exact comparison: statements keyed by Sid, with
// actions and resources as sets (IAM ignores their order).
type policy struct {
	Version   string
	Statement []struct {
		Sid       string
		Effect    string
		Principal map[string]string
		Action    []string
		Resource  []string
		Condition map[string]map[string]string
	}
}

func decodePolicy(t *testing.T, doc string) policy {
	t.Helper()
	var p policy
	require.NoError(t, json.Unmarshal([]byte(doc), &p), doc)
	return p
}

type stmt struct {
	Effect    string
	Principal map[string]string
	Actions   []string
	Resources []string
	Condition map[string]map[string]string
}

func statements(t *testing.T, doc string) map[string]stmt {
	t.Helper()
	p := decodePolicy(t, doc)
	assert.Equal(t, "2012-10-17", p.Version)
	out := map[string]stmt{}
	for _, s := range p.Statement {
		require.NotContains(t, out, s.Sid, "duplicate Sid")
		out[s.Sid] = stmt{s.Effect, s.Principal, sorted(s.Action), sorted(s.Resource), s.Condition}
	}
	return out
}

const demoClusterArn = "arn:aws:eks:us-east-2:678901234557:cluster/kubetest32"

func TestIAMRoleTrustAndPermissions(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"externalId": secret("ext-id-1234"), "permissions": "runbook"}))

	role, ok := run.Get("aws:iam/role:Role", "demo-role")
	require.True(t, ok, run.String())
	assert.Equal(t, "/", testprops.Str(role.Inputs, "path"))
	assert.Equal(t, map[string]stmt{
		"ConcurrentAssumeRole": {
			Effect:    "Allow",
			Principal: map[string]string{"AWS": "arn:aws:iam::123456789012:root"},
			Actions:   []string{"sts:AssumeRole"},
			Condition: map[string]map[string]string{"StringEquals": {"sts:ExternalId": "ext-id-1234"}},
		},
	}, statements(t, testprops.Str(role.Inputs, "assumeRolePolicy")))
	// The trust policy carries the external ID, so it is secret in state.
	assert.True(t, role.Inputs.Get("assumeRolePolicy").Secret(), "assumeRolePolicy must be secret")

	policies := run.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	assert.Equal(t, map[string]stmt{
		"BuildAndPullImages": {Effect: "Allow", Actions: []string{"ecr:*"}, Resources: []string{"*"}},
		"ManageThisCluster":  {Effect: "Allow", Actions: []string{"eks:*"}, Resources: []string{demoClusterArn}},
		"BearerTokens":       {Effect: "Allow", Actions: []string{"sts:GetServiceBearerToken"}, Resources: []string{"*"}},
		"AlertEmails":        {Effect: "Allow", Actions: []string{"ses:SendEmail", "ses:SendRawEmail"}, Resources: []string{"*"}},
	}, statements(t, testprops.Str(policies[0].Inputs, "policy")))
	assert.Contains(t, policies[0].Dependencies, role.URN, "the policy is attached to the role")
	assert.Equal(t, run.URN, role.Parent, "children are parented to the component")
}

func TestIAMWithoutSesAndScopedECR(t *testing.T) {
	repos := []string{"arn:aws:ecr:us-east-2:678901234557:repository/mlflow-*"}
	run := mustConstruct(t, with(map[string]any{"enableSes": false, "ecrResources": repos, "permissions": "runbook"}))
	policies := run.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	assert.Equal(t, map[string]stmt{
		"BuildAndPullImages": {Effect: "Allow", Actions: []string{"ecr:*"}, Resources: repos},
		"ManageThisCluster":  {Effect: "Allow", Actions: []string{"eks:*"}, Resources: []string{demoClusterArn}},
		"BearerTokens":       {Effect: "Allow", Actions: []string{"sts:GetServiceBearerToken"}, Resources: []string{"*"}},
	}, statements(t, testprops.Str(policies[0].Inputs, "policy")))
}

func TestIAMRoleNamePathBoundaryTags(t *testing.T) {
	boundary := "arn:aws:iam::678901234557:policy/platform-boundary"
	run := mustConstruct(t, with(map[string]any{
		"roleName": "concurrent-for-mlflow", "rolePath": "/concurrent/",
		"permissionsBoundaryArn": boundary, "tags": map[string]string{"team": "ml"},
	}))
	role, ok := run.Get("aws:iam/role:Role", "demo-role")
	require.True(t, ok)
	assert.Equal(t, "concurrent-for-mlflow", testprops.Str(role.Inputs, "name"))
	assert.Equal(t, "/concurrent/", testprops.Str(role.Inputs, "path"))
	assert.Equal(t, boundary, testprops.Str(role.Inputs, "permissionsBoundary"))
	assert.Equal(t, map[string]any{"team": "ml"}, testprops.Plain(role.Inputs.Get("tags")))
	assert.Equal(t, "arn:aws:iam::678901234557:role/concurrent/concurrent-for-mlflow", testprops.Str(run.Outputs, "roleArn"))
	assert.Equal(t, "concurrent-for-mlflow", testprops.Str(run.Outputs, "roleName"))
}

func TestGeneratedExternalIDIsSecretAndStable(t *testing.T) {
	run := mustConstruct(t, minimal())
	passwords := run.ByType("random:index/randomPassword:RandomPassword")
	require.Len(t, passwords, 1)
	assert.Equal(t, "demo-external-id", passwords[0].Name)
	assert.Contains(t, passwords[0].SecretOutputs, "result", "the external ID must be secret in state")
	// 32 letters and digits: inside sts:ExternalId's [\w+=,.@:/-]{2,1224}.
	assert.Equal(t, map[string]any{"length": 32.0, "special": false}, testprops.Plain(property.New(passwords[0].Inputs)))
	assert.Empty(t, run.ByType("random:index/randomUuid:RandomUuid"), "a RandomUuid's id is the UUID, in plain text in state")

	ext := run.Outputs.Get("externalId")
	assert.True(t, ext.Secret(), "externalId output must be secret")
	assert.Equal(t, fakeaws.FakeExternalID, ext.AsString())

	role, _ := run.Get("aws:iam/role:Role", "demo-role")
	trust := statements(t, testprops.Str(role.Inputs, "assumeRolePolicy"))
	assert.Equal(t, ext.AsString(), trust["ConcurrentAssumeRole"].Condition["StringEquals"]["sts:ExternalId"])
	assert.Contains(t, role.Dependencies, passwords[0].URN)
}

func TestGivenExternalIDStaysSecret(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"externalId": secret("ext-id-1234")}))
	assert.Empty(t, run.ByType("random:index/randomPassword:RandomPassword"), "no generated ID when the user gives the external ID")
	ext := run.Outputs.Get("externalId")
	assert.True(t, ext.Secret())
	assert.Equal(t, "ext-id-1234", ext.AsString())

	// Even a plain (non-secret) input comes out secret.
	run = mustConstruct(t, with(map[string]any{"externalId": "ext-id-1234"}))
	assert.True(t, run.Outputs.Get("externalId").Secret())
}

func TestBroughtRoleCreatesNoIAM(t *testing.T) {
	arn := "arn:aws:iam::678901234557:role/infra/RoleForConcurrentService"
	run := mustConstruct(t, with(map[string]any{"roleArn": arn, "externalId": secret("ext-id-1234")}))
	for _, r := range append(run.ByType("aws:iam/role:Role"), run.ByType("aws:iam/rolePolicy:RolePolicy")...) {
		assert.NotContains(t, []string{"demo-role", "demo-policy"}, r.Name, "no Concurrent role when one is brought")
	}
	assert.Empty(t, run.ByType("random:index/randomPassword:RandomPassword"))
	assert.Equal(t, arn, testprops.Str(run.Outputs, "roleArn"))
	assert.Equal(t, "RoleForConcurrentService", testprops.Str(run.Outputs, "roleName"))
	assert.Equal(t, "ext-id-1234", run.Outputs.Get("externalId").AsString())
}

func TestOutputs(t *testing.T) {
	run := mustConstruct(t, minimal())
	assert.Equal(t, "kubetest32", testprops.Str(run.Outputs, "clusterName"))
	assert.Equal(t, demoClusterArn, testprops.Str(run.Outputs, "clusterArn"))
	assert.Equal(t, "us-east-2", testprops.Str(run.Outputs, "region"))
	assert.Regexp(t, `^arn:aws:iam::678901234557:role/demo-role-[0-9]+$`, testprops.Str(run.Outputs, "roleArn"))
	assert.Equal(t, testprops.Str(run.Outputs, "roleArn"), "arn:aws:iam::678901234557:role/"+testprops.Str(run.Outputs, "roleName"))
}

// The same inputs register the same children with the same inputs: nothing random or
// order-dependent leaks into what the engine diffs.
func TestConstructIsDeterministic(t *testing.T) {
	inputs := with(map[string]any{"externalId": secret("ext-id-1234"), "tags": map[string]string{"a": "1", "b": "2"}})
	byURN := func(run *fakeaws.Run) map[string]any {
		out := map[string]any{}
		for _, r := range run.Resources {
			out[string(r.URN)] = testprops.Plain(property.New(r.Inputs))
		}
		return out
	}
	// Registration order may vary (children register concurrently); the set must not.
	first := byURN(mustConstruct(t, inputs))
	assert.NotEmpty(t, first)
	assert.Equal(t, first, byURN(mustConstruct(t, inputs)))
}

func sorted(s []string) []string {
	if s == nil {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
