package plan_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// The examples the golden files are made from.
var goldens = []struct{ setup, golden string }{
	{"../../examples/plan/setup.yaml", "demo"},
	{"../../examples/plan/fargate.yaml", "fargate"},
}

// The whole plan of each example, text and JSON, must equal its golden file: any change
// of a grant, a name or an order shows up here as a diff to review.
// Regenerate with `go test ./provider/plan -run TestGolden -update`.
func TestGoldenPlans(t *testing.T) {
	for _, g := range goldens {
		for _, output := range []string{"text", "json"} {
			t.Run(g.golden+"/"+output, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				err := plan.Main(t.Context(), []string{"-f", g.setup, "--output", output}, &stdout, &stderr)
				require.NoError(t, err, stderr.String())
				ext := map[string]string{"text": ".txt", "json": ".json"}[output]
				path := filepath.Join("testdata", g.golden+ext)
				if *update {
					require.NoError(t, os.MkdirAll("testdata", 0o755))
					require.NoError(t, os.WriteFile(path, stdout.Bytes(), 0o644))
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "run with -update to create it")
				assert.Equal(t, string(want), stdout.String(), "the plan changed: review it, then run with -update")
			})
		}
	}
}

// The same run twice gives the same bytes (map order, registration order, ties in the
// creation order are all fixed).
func TestPlanIsDeterministic(t *testing.T) {
	first := mainJSON(t, "-f", goldens[0].setup)
	for range 3 {
		assert.Equal(t, first, mainJSON(t, "-f", goldens[0].setup))
	}
}

// Every resource comes after its parent, its dependencies and its provider, and each
// appears once.
func TestCreationOrderRespectsParentsAndDependencies(t *testing.T) {
	for _, g := range goldens {
		pl := decode(t, mainJSON(t, "-f", g.setup))
		pos := map[string]int{}
		for i, r := range pl.Resources {
			_, dup := pos[r.URN]
			require.False(t, dup, "%s listed twice", r.URN)
			pos[r.URN] = i
		}
		require.NotEmpty(t, pl.Resources)
		for i, r := range pl.Resources {
			for _, before := range append([]string{r.Parent, r.Provider}, r.DependsOn...) {
				if before == "" {
					continue
				}
				j, ok := pos[before]
				require.True(t, ok, "%s waits for %s, which is not in the plan", r.URN, before)
				assert.Less(t, j, i, "%s is listed before %s, which it waits for", r.Name, before)
			}
		}
	}
}

// The grants of the demo plan, read from the JSON document as a CI policy check would.
func TestDemoPlanGrants(t *testing.T) {
	pl := decode(t, mainJSON(t, "-f", goldens[0].setup))

	require.NotEmpty(t, pl.IAMRoles)
	role := pl.IAMRoles[0]
	assert.Equal(t, "concurrent-role", role.Resource)
	assert.Equal(t, "arn:aws:iam::678901234557:role/concurrent-role-<auto>", role.Arn)
	var trust struct {
		Statement []struct {
			Principal map[string]string
			Action    []string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal(role.TrustPolicy, &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, map[string]string{"AWS": "arn:aws:iam::123456789012:root"}, trust.Statement[0].Principal)
	assert.Equal(t, []string{"sts:AssumeRole"}, trust.Statement[0].Action)
	assert.Equal(t, map[string]map[string]string{"StringEquals": {"sts:ExternalId": plan.Secret}}, trust.Statement[0].Condition)

	require.Len(t, role.InlinePolicies, 1)
	var perms struct {
		Statement []struct {
			Action   []string
			Resource []string
		}
	}
	require.NoError(t, json.Unmarshal(role.InlinePolicies[0].Document, &perms))
	grants := map[string][]string{}
	for _, s := range perms.Statement {
		for _, a := range s.Action {
			grants[a] = s.Resource
		}
	}
	// The default profile: only what Concurrent calls (docs/permissions.md).
	assert.Equal(t, "minimal", pl.Permissions)
	repos := []string{"arn:aws:ecr:us-east-2:678901234557:repository/mlflow/*"}
	assert.Equal(t, map[string][]string{
		"eks:DescribeCluster":             {"arn:aws:eks:us-east-2:678901234557:cluster/kubetest32"},
		"ecr:GetAuthorizationToken":       {"*"},
		"ecr:DescribeRepositories":        {"arn:aws:ecr:us-east-2:678901234557:repository/*"},
		"ecr:BatchCheckLayerAvailability": repos,
		"ecr:BatchGetImage":               repos,
		"ecr:CompleteLayerUpload":         repos,
		"ecr:CreateRepository":            repos,
		"ecr:DescribeImages":              repos,
		"ecr:GetDownloadUrlForLayer":      repos,
		"ecr:InitiateLayerUpload":         repos,
		"ecr:PutImage":                    repos,
		"ecr:UploadLayerPart":             repos,
		"ses:SendEmail":                   {"*"},
		"ses:SendRawEmail":                {"*"},
	}, grants)

	// The demo cluster supports access entries: cluster-admin through one, at cluster scope.
	assert.Equal(t, "accessEntry", pl.AccessMode)
	assert.Nil(t, pl.ClusterAccess.AwsAuth)
	var policy map[string]any
	for _, it := range pl.ClusterAccess.AccessEntry {
		if it.Type == "aws:eks/accessPolicyAssociation:AccessPolicyAssociation" {
			policy = it.Inputs
		}
	}
	require.NotNil(t, policy)
	assert.Equal(t, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", policy["policyArn"])
	assert.Equal(t, map[string]any{"type": "cluster"}, policy["accessScope"])

	// Two namespaces, each with its objects; one shared bootstrap ClusterRole.
	require.Len(t, pl.Kubernetes.Shared, 1)
	assert.Equal(t, "ClusterRole", pl.Kubernetes.Shared[0].Object["kind"])
	var namespaces []string
	for _, ns := range pl.Kubernetes.Namespaces {
		namespaces = append(namespaces, ns.Namespace)
	}
	assert.Equal(t, []string{"concurrent", "team-a"}, namespaces)
	require.Len(t, pl.Registrations, 2)
	assert.Equal(t, plan.Secret, pl.Registrations[0].ExternalID)
	var backend map[string]string
	require.NoError(t, json.Unmarshal(pl.Registrations[1].BackendConfig, &backend))
	assert.Equal(t, map[string]string{
		"backend-type": "eks", "kube-context": "kubetest32", "kube-namespace": "team-a",
		"resources.requests.memory": "1024Mi", "kube-client-location": "backend",
	}, backend)
}

// A cluster in CONFIG_MAP mode gets the aws-auth entry: rolearn without the role's path.
func TestAwsAuthEntryHasNoRolePath(t *testing.T) {
	pl := decode(t, planOf(t, `
clusterName: kubetest32
concurrentAccountId: "123456789012"
rolePath: /concurrent/
computeType: none
cluster:
  authenticationMode: CONFIG_MAP
`))
	assert.Equal(t, "configMap", pl.AccessMode)
	require.NotNil(t, pl.ClusterAccess.AwsAuth)
	assert.Equal(t, plan.AwsAuthEntry{
		RoleArn: "arn:aws:iam::678901234557:role/concurrent-role-<auto>", Username: "system-manager",
		Groups: []string{"system:masters"},
	}, pl.ClusterAccess.AwsAuth.Entry)
	require.NotEmpty(t, pl.IAMRoles)
	assert.Equal(t, "arn:aws:iam::678901234557:role/concurrent/concurrent-role-<auto>", pl.IAMRoles[0].Arn)
}

// The generated external ID never appears; one the user wrote in the file is shown.
func TestExternalID(t *testing.T) {
	const base = "clusterName: kubetest32\nconcurrentAccountId: \"123456789012\"\ncomputeType: none\n"
	t.Run("generated", func(t *testing.T) {
		out := planOf(t, base)
		pl := decode(t, out)
		generated := 0
		for _, r := range pl.Resources {
			if r.Type == "random:index/randomPassword:RandomPassword" {
				generated++
				assert.Contains(t, r.SecretOutputs, "result")
			}
		}
		assert.Equal(t, 1, generated, "one RandomPassword makes the external ID")
		assert.Equal(t, plan.Secret, externalIDCondition(t, pl))
		assert.Equal(t, plan.Secret, pl.Registrations[0].ExternalID)
		// The fake's password (fakeaws's RandomPassword result) is in neither output.
		text := planOfText(t, base)
		for _, doc := range []string{out, text} {
			assert.NotContains(t, doc, fakeaws.FakeExternalID)
		}
	})
	t.Run("given", func(t *testing.T) {
		pl := decode(t, planOf(t, base+"externalId: my-external-id-42\n"))
		assert.Equal(t, "my-external-id-42", externalIDCondition(t, pl))
		assert.Equal(t, "my-external-id-42", pl.Registrations[0].ExternalID)
		// The request body is a secret output: its external IDs stay hidden even then.
		var req map[string]string
		require.NoError(t, json.Unmarshal(pl.Registrations[0].Request, &req))
		assert.Equal(t, plan.Secret, req["role_ext"])
		assert.Equal(t, plan.Secret, req["ecr_role_ext"])
		assert.Equal(t, "kubetest32", req["cluster_name"])
	})
}

// Fargate: profiles select each namespace by label, on the subnets the plan creates.
func TestFargatePlanProfilesAndNetwork(t *testing.T) {
	pl := decode(t, mainJSON(t, "-f", goldens[1].setup))
	assert.Equal(t, "fargate", pl.ComputeType)
	require.Len(t, pl.Compute.FargateProfiles, 2)
	system := pl.Compute.FargateProfiles[0].Inputs
	assert.Equal(t, "concurrent-fargate-system", system["fargateProfileName"])
	assert.Equal(t, []any{map[string]any{
		"namespace": "*", "labels": map[string]any{"concurrent-node-type": "system"},
	}}, system["selectors"])
	assert.Equal(t, []any{
		"<id of Subnet/concurrent-private-1>", "<id of Subnet/concurrent-private-2>", "<id of Subnet/concurrent-private-3>",
	}, system["subnetIds"])
	cidrs := map[string]string{}
	for _, it := range pl.Compute.Network {
		if it.Type == "aws:ec2/subnet:Subnet" {
			cidrs[it.Inputs["availabilityZone"].(string)] = it.Inputs["cidrBlock"].(string)
		}
	}
	assert.Equal(t, map[string]string{
		"us-east-2a": "192.168.96.0/19", "us-east-2b": "192.168.128.0/19", "us-east-2c": "192.168.160.0/19",
	}, cidrs)
}

func externalIDCondition(t *testing.T, pl *plan.Plan) string {
	t.Helper()
	var trust struct {
		Statement []struct{ Condition map[string]map[string]string }
	}
	require.NotEmpty(t, pl.IAMRoles)
	require.NoError(t, json.Unmarshal(pl.IAMRoles[0].TrustPolicy, &trust))
	require.Len(t, trust.Statement, 1)
	return trust.Statement[0].Condition["StringEquals"]["sts:ExternalId"]
}

func mainJSON(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	require.NoError(t, plan.Main(t.Context(), append(args, "--output", "json"), &stdout, &stderr), stderr.String())
	return stdout.String()
}

// planOf writes a setup file and returns its JSON plan.
func planOf(t *testing.T, setup string) string {
	t.Helper()
	return mainJSON(t, "-f", writeSetup(t, setup))
}

func planOfText(t *testing.T, setup string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	require.NoError(t, plan.Main(t.Context(), []string{"-f", writeSetup(t, setup)}, &stdout, &stderr), stderr.String())
	return stdout.String()
}

func writeSetup(t *testing.T, setup string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "setup.yaml")
	require.NoError(t, os.WriteFile(path, []byte(strings.TrimLeft(setup, "\n")), 0o644))
	return path
}

func decode(t *testing.T, doc string) *plan.Plan {
	t.Helper()
	var pl plan.Plan
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&pl))
	return &pl
}

// The plan names the profile it grants, in the JSON and in the text.
func TestPlanPrintsThePermissionsProfile(t *testing.T) {
	src, err := os.ReadFile(goldens[0].setup)
	require.NoError(t, err)
	setupFile := filepath.Join(t.TempDir(), "setup.yaml")
	require.NoError(t, os.WriteFile(setupFile, append(src, []byte("permissions: runbook\n")...), 0o644))

	assert.Equal(t, "runbook", decode(t, mainJSON(t, "-f", setupFile)).Permissions)
	var stdout, stderr bytes.Buffer
	require.NoError(t, plan.Main(t.Context(), []string{"-f", setupFile}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "\n  permissions: runbook (")
}

// A leftover access entry described in the cluster section: adopted, the plan names the
// import and that the entry stays on delete.
func TestPlanShowsAdoptedAccessEntry(t *testing.T) {
	const role = "arn:aws:iam::678901234557:role/RoleForConcurrentService"
	pl := decode(t, planOf(t, `
clusterName: kubetest32
concurrentAccountId: "123456789012"
roleArn: `+role+`
externalId: runbook-external-id
adoptExisting: true
computeType: none
cluster:
  accessEntries: [`+role+`]
`))
	var found bool
	for _, r := range pl.Resources {
		if r.Type == "aws:eks/accessEntry:AccessEntry" {
			found = true
			assert.Equal(t, "kubetest32:"+role, r.Import)
			assert.True(t, r.RetainOnDelete)
		}
	}
	assert.True(t, found, "the access entry is planned")
}
