package setup_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

// The permission policy the component registers, by profile (docs/permissions.md). The
// documents themselves are checked case by case in iampolicy_test.go; these check what the
// component feeds them: the default profile, the cluster's account and region, the inputs.

var (
	describeThisCluster = stmt{Effect: "Allow", Actions: []string{"eks:DescribeCluster"}, Resources: []string{demoClusterArn}}
)

func rolePolicy(t *testing.T, run *fakeaws.Run) map[string]stmt {
	t.Helper()
	policies := run.ByType("aws:iam/rolePolicy:RolePolicy")
	require.Len(t, policies, 1)
	return statements(t, testprops.Str(policies[0].Inputs, "policy"))
}

func TestIAMDefaultIsMinimal(t *testing.T) {
	run := mustConstruct(t, minimal())
	assert.Equal(t, "minimal", testprops.Str(run.Outputs, "permissions"))
	assert.Equal(t, map[string]stmt{
		"DescribeThisCluster": describeThisCluster,
		"EcrLogin":            {Effect: "Allow", Actions: []string{"ecr:GetAuthorizationToken"}, Resources: []string{"*"}},
		"EcrFindRepositories": {Effect: "Allow", Actions: []string{"ecr:DescribeRepositories"}, Resources: []string{"arn:aws:ecr:us-east-2:678901234557:repository/*"}},
		"EcrBuildPushAndPull": {Effect: "Allow", Actions: setup.ECRPushPullActions, Resources: []string{"arn:aws:ecr:us-east-2:678901234557:repository/mlflow/*"}},
		"AlertEmails":         {Effect: "Allow", Actions: []string{"ses:SendEmail", "ses:SendRawEmail"}, Resources: []string{"*"}},
	}, rolePolicy(t, run))

	// A brought role gets no policy from us: the output says so.
	run = mustConstruct(t, with(map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": secret("ext-id-1234")}))
	assert.Empty(t, run.ByType("aws:iam/rolePolicy:RolePolicy"))
	assert.Equal(t, "", testprops.Str(run.Outputs, "permissions"))
}

// A scoped ecrResources narrows the repository actions only: the login stays on * (it has
// no resource type) and describe-repositories on repository/* (it is checked there).
func TestIAMMinimalScopedECRStillLogsIn(t *testing.T) {
	repos := []string{"arn:aws:ecr:eu-west-1:678901234557:repository/mlflow/team-a/*"}
	sesIds := []string{"arn:aws:ses:us-east-2:678901234557:identity/alerts@example.com"}
	got := rolePolicy(t, mustConstruct(t, with(map[string]any{
		"ecrResources": repos, "ecrRegion": "eu-west-1", "sesIdentityArns": sesIds,
	})))
	assert.Equal(t, map[string]stmt{
		"DescribeThisCluster": describeThisCluster,
		"EcrLogin":            {Effect: "Allow", Actions: []string{"ecr:GetAuthorizationToken"}, Resources: []string{"*"}},
		"EcrFindRepositories": {Effect: "Allow", Actions: []string{"ecr:DescribeRepositories"}, Resources: []string{"arn:aws:ecr:eu-west-1:678901234557:repository/*"}},
		"EcrBuildPushAndPull": {Effect: "Allow", Actions: setup.ECRPushPullActions, Resources: repos},
		"AlertEmails":         {Effect: "Allow", Actions: []string{"ses:SendEmail", "ses:SendRawEmail"}, Resources: sesIds},
	}, got)
}

func TestIAMEcrPublic(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"ecrType": "public", "enableSes": false}))
	assert.Equal(t, map[string]stmt{
		"DescribeThisCluster":       describeThisCluster,
		"EcrPublicLogin":            {Effect: "Allow", Actions: []string{"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"}, Resources: []string{"*"}},
		"EcrPublicFindRepositories": {Effect: "Allow", Actions: []string{"ecr-public:DescribeRepositories"}, Resources: []string{"arn:aws:ecr-public::678901234557:repository/*"}},
		"EcrPublicBuildAndPush":     {Effect: "Allow", Actions: setup.ECRPublicPushActions, Resources: []string{"arn:aws:ecr-public::678901234557:repository/mlflow/*"}},
	}, rolePolicy(t, run))

	// ECR Public's API is in us-east-1 only: that is the region Concurrent is told.
	raw, err := json.Marshal(testprops.Plain(run.Outputs.Get("registrations")))
	require.NoError(t, err)
	var regs []struct{ EcrType, EcrRegion string }
	require.NoError(t, json.Unmarshal(raw, &regs))
	require.NotEmpty(t, regs)
	for _, r := range regs {
		assert.Equal(t, "public", r.EcrType)
		assert.Equal(t, "us-east-1", r.EcrRegion)
	}
}
