package setup

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// -iam-docs-dir writes every permission document these tests check, one JSON file per case,
// for the IAM linter (make lint-iam).
var iamDocsDir = flag.String("iam-docs-dir", "", "write the checked permission documents to this folder")

const (
	tPartition = "aws"
	tAccount   = "678901234557"
	tCluster   = "arn:aws:eks:us-east-2:678901234557:cluster/kubetest32"
	tMlflow    = "arn:aws:ecr:us-east-2:678901234557:repository/mlflow/*"
	tAllRepos  = "arn:aws:ecr:us-east-2:678901234557:repository/*"
	tPubMlflow = "arn:aws:ecr-public::678901234557:repository/mlflow/*"
	tPubAll    = "arn:aws:ecr-public::678901234557:repository/*"
)

func spec(profile Permissions, ecrType EcrType, ses bool, ecrResources ...string) permissionsSpec {
	region := "us-east-2"
	if ecrType == EcrPublic {
		region = "us-east-1"
	}
	if ecrResources == nil {
		ecrResources = []string{"*"}
		if profile == PermissionsMinimal {
			ecrResources = []string{ecrRepositoryArn(tPartition, ecrType, region, tAccount, "mlflow/*")}
		}
	}
	return permissionsSpec{
		profile: profile, partition: tPartition, accountId: tAccount, clusterArn: tCluster,
		ecrType: ecrType, ecrRegion: region, ecrResources: ecrResources,
		enableSes: ses, sesIdentityArns: []string{"*"},
	}
}

type grant struct{ Actions, Resources []string }

// The minimal profile's repository actions, exported to the component tests
// (iampermissions_test.go) so the expected lists are written once.
var (
	ECRPushPullActions = []string{
		"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
		"ecr:CreateRepository", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer",
		"ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
	}
	ECRPublicPushActions = []string{
		"ecr-public:BatchCheckLayerAvailability", "ecr-public:CompleteLayerUpload",
		"ecr-public:CreateRepository", "ecr-public:InitiateLayerUpload",
		"ecr-public:PutImage", "ecr-public:UploadLayerPart",
	}
	describeCluster = grant{[]string{"eks:DescribeCluster"}, []string{tCluster}}
	alertEmails     = grant{[]string{"ses:SendEmail", "ses:SendRawEmail"}, []string{"*"}}
)

// policyCases is every permission document shape the component emits, with the exact
// statements expected. The linter lints exactly these.
var policyCases = []struct {
	name string
	spec permissionsSpec
	want map[string]grant
}{
	{"minimal-private", spec(PermissionsMinimal, EcrPrivate, true), map[string]grant{
		"DescribeThisCluster": describeCluster,
		"EcrLogin":            {[]string{"ecr:GetAuthorizationToken"}, []string{"*"}},
		"EcrFindRepositories": {[]string{"ecr:DescribeRepositories"}, []string{tAllRepos}},
		"EcrBuildPushAndPull": {ECRPushPullActions, []string{tMlflow}},
		"AlertEmails":         alertEmails,
	}},
	// A scoped ecrResources still logs in (GetAuthorizationToken stays on *) and still finds
	// its repositories (describe-repositories without names is checked on repository/*).
	{"minimal-private-scoped-noses", spec(PermissionsMinimal, EcrPrivate, false,
		"arn:aws:ecr:us-east-2:678901234557:repository/mlflow/team-a/*"), map[string]grant{
		"DescribeThisCluster": describeCluster,
		"EcrLogin":            {[]string{"ecr:GetAuthorizationToken"}, []string{"*"}},
		"EcrFindRepositories": {[]string{"ecr:DescribeRepositories"}, []string{tAllRepos}},
		"EcrBuildPushAndPull": {ECRPushPullActions, []string{"arn:aws:ecr:us-east-2:678901234557:repository/mlflow/team-a/*"}},
	}},
	{"minimal-public", spec(PermissionsMinimal, EcrPublic, true), map[string]grant{
		"DescribeThisCluster":       describeCluster,
		"EcrPublicLogin":            {[]string{"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"}, []string{"*"}},
		"EcrPublicFindRepositories": {[]string{"ecr-public:DescribeRepositories"}, []string{tPubAll}},
		"EcrPublicBuildAndPush":     {ECRPublicPushActions, []string{tPubMlflow}},
		"AlertEmails":               alertEmails,
	}},
	// The runbook's policy as it was before profiles existed.
	{"runbook", spec(PermissionsRunbook, EcrPrivate, true), map[string]grant{
		"BuildAndPullImages": {[]string{"ecr:*"}, []string{"*"}},
		"ManageThisCluster":  {[]string{"eks:*"}, []string{tCluster}},
		"BearerTokens":       {[]string{"sts:GetServiceBearerToken"}, []string{"*"}},
		"AlertEmails":        alertEmails,
	}},
	{"runbook-noses", spec(PermissionsRunbook, EcrPrivate, false), map[string]grant{
		"BuildAndPullImages": {[]string{"ecr:*"}, []string{"*"}},
		"ManageThisCluster":  {[]string{"eks:*"}, []string{tCluster}},
		"BearerTokens":       {[]string{"sts:GetServiceBearerToken"}, []string{"*"}},
	}},
}

// grants decodes an emitted document (as IAM reads it) into Sid -> sorted actions/resources.
func grants(t *testing.T, doc string) map[string]grant {
	t.Helper()
	var p struct {
		Version   string
		Statement []struct {
			Sid, Effect          string
			Action, Resource     []string
			Principal, Condition any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &p), doc)
	require.Equal(t, "2012-10-17", p.Version)
	out := map[string]grant{}
	for _, s := range p.Statement {
		require.NotContains(t, out, s.Sid, "duplicate Sid")
		require.Equal(t, "Allow", s.Effect)
		require.Nil(t, s.Principal, "a permission policy has no principal")
		require.Nil(t, s.Condition)
		out[s.Sid] = grant{sortedCopy(s.Action), sortedCopy(s.Resource)}
	}
	return out
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestPermissionsPolicyExactSets(t *testing.T) {
	for _, c := range policyCases {
		t.Run(c.name, func(t *testing.T) {
			doc := permissionsPolicy(c.spec).String()
			want := map[string]grant{}
			for sid, g := range c.want {
				want[sid] = grant{sortedCopy(g.Actions), sortedCopy(g.Resources)}
			}
			assert.Equal(t, want, grants(t, doc))
			if *iamDocsDir != "" {
				require.NoError(t, os.MkdirAll(*iamDocsDir, 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(*iamDocsDir, c.name+".json"), []byte(doc+"\n"), 0o644))
			}
		})
	}
}

func TestEcrRepositoryArn(t *testing.T) {
	assert.Equal(t, "arn:aws-cn:ecr:cn-north-1:678901234557:repository/mlflow/*",
		ecrRepositoryArn("aws-cn", EcrPrivate, "cn-north-1", tAccount, "mlflow/*"))
	// ECR Public repositories have no region in their ARN.
	assert.Equal(t, tPubAll, ecrRepositoryArn("aws", EcrPublic, "us-east-1", tAccount, "*"))
}

// docs/permissions.md's table names every action of each profile with the call that needs
// it: the actions the code grants and the table's must be the same sets.
func TestPermissionsDocTableMatchesPolicies(t *testing.T) {
	md, err := os.ReadFile("../../docs/permissions.md")
	require.NoError(t, err)
	row := regexp.MustCompile("^\\| (minimal|runbook) \\| `([^`]+)` \\|")
	documented := map[Permissions][]string{}
	for _, line := range strings.Split(string(md), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			documented[Permissions(m[1])] = append(documented[Permissions(m[1])], m[2])
		}
	}
	granted := map[Permissions][]string{}
	for _, c := range policyCases {
		for _, g := range grants(t, permissionsPolicy(c.spec).String()) {
			granted[c.spec.profile] = append(granted[c.spec.profile], g.Actions...)
		}
	}
	for _, p := range []Permissions{PermissionsMinimal, PermissionsRunbook} {
		assert.Equal(t, uniqueSorted(granted[p]), uniqueSorted(documented[p]), "profile %s: granted vs documented", p)
		assert.Len(t, documented[p], len(uniqueSorted(documented[p])), "profile %s: an action has two rows", p)
	}
}

func uniqueSorted(s []string) []string { return slices.Compact(sortedCopy(s)) }
