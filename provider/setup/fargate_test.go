package setup_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const (
	fgProfileType    = "aws:eks/fargateProfile:FargateProfile"
	fgRoleType       = "aws:iam/role:Role"
	fgAttachmentType = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

var fgSubnets = []string{"subnet-0f0000000000000a1", "subnet-0f0000000000000a2"}

// fgInputs: computeType fargate on existing private subnets, with these namespaces.
func fgInputs(namespaces []string, fargate map[string]any) map[string]any {
	if fargate == nil {
		fargate = map[string]any{"subnetIds": fgSubnets}
	}
	in := with(map[string]any{"computeType": "fargate", "fargate": fargate})
	if namespaces != nil {
		var list []any
		for _, ns := range namespaces {
			list = append(list, map[string]any{"name": ns})
		}
		in["namespaces"] = list
	}
	return in
}

func fgNamespaceNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ns%02d", i+1)
	}
	return out
}

// fgSelector is one decoded profile selector.
type fgSelector struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
}

func fgSelectors(t *testing.T, r fakeaws.Resource) []fgSelector {
	t.Helper()
	b, err := json.Marshal(testprops.Plain(r.Inputs.Get("selectors")))
	require.NoError(t, err)
	var out []fgSelector
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func fgSelectorsFor(role string, namespaces ...string) []fgSelector {
	out := make([]fgSelector, len(namespaces))
	for i, ns := range namespaces {
		out[i] = fgSelector{Namespace: ns, Labels: map[string]string{"concurrent-node-type": role}}
	}
	return out
}

// fgProfile is a profile as registered: its EKS name and decoded selectors.
type fgProfile struct {
	physical  string
	selectors []fgSelector
}

func fgProfiles(t *testing.T, run *fakeaws.Run) map[string]fgProfile {
	t.Helper()
	got := map[string]fgProfile{}
	for _, r := range run.ByType(fgProfileType) {
		got[r.Name] = fgProfile{testprops.Str(r.Inputs, "fargateProfileName"), fgSelectors(t, r)}
		assert.Equal(t, "kubetest32", testprops.Str(r.Inputs, "clusterName"), r.Name)
		assert.Equal(t, run.URN, r.Parent, r.Name)
		// Fixed names: a replacement must delete the old profile first.
		assert.True(t, r.DeleteBeforeReplace, r.Name)
		// The AWS provider serializes profile operations: no chain between profiles.
		for _, d := range r.Dependencies {
			assert.NotEqual(t, fgProfileType, string(d.Type()), "%s depends on %s", r.Name, d)
		}
	}
	return got
}

var fgWildcardProfiles = map[string]fgProfile{
	"demo-fargate-system": {"demo-fargate-system", fgSelectorsFor("system", "*")},
	"demo-fargate-worker": {"demo-fargate-worker", fgSelectorsFor("worker", "*")},
}

// wildcard (the default): 2 profiles whatever the namespace count, each one selector on
// namespace "*" and the role's label.
func TestFargateWildcardProfiles(t *testing.T) {
	for _, n := range []int{1, 5, 12} {
		t.Run(fmt.Sprintf("%d namespaces", n), func(t *testing.T) {
			run := mustConstruct(t, fgInputs(fgNamespaceNames(n), nil))
			assert.Equal(t, fgWildcardProfiles, fgProfiles(t, run))
			assert.Equal(t, []string{"demo-fargate-system", "demo-fargate-worker"},
				testprops.Strs(run.Outputs, "fargateProfileNames"))
		})
	}
}

// perNamespace: one profile per namespace, selecting it for both labels.
func TestFargatePerNamespaceProfiles(t *testing.T) {
	run := mustConstruct(t, fgInputs([]string{"alpha", "beta"}, map[string]any{
		"subnetIds": fgSubnets, "selectors": "perNamespace",
	}))
	both := func(ns string) []fgSelector {
		return append(fgSelectorsFor("system", ns), fgSelectorsFor("worker", ns)...)
	}
	assert.Equal(t, map[string]fgProfile{
		"demo-fargate-ns-alpha": {"demo-fargate-ns-alpha", both("alpha")},
		"demo-fargate-ns-beta":  {"demo-fargate-ns-beta", both("beta")},
	}, fgProfiles(t, run))
	assert.Equal(t, []string{"demo-fargate-ns-alpha", "demo-fargate-ns-beta"}, testprops.Strs(run.Outputs, "fargateProfileNames"))
}

// Profiles are immutable: a changed input replaces one and EKS stops its pods. Adding and
// removing namespaces must leave every profile that stays exactly as it was, in both modes.
func TestFargateNamespaceChangesKeepProfiles(t *testing.T) {
	ns := fgNamespaceNames(8)
	steps := [][]string{ns[:1], ns[:5], ns[:6], ns[:8], {ns[0], ns[2], ns[7]}, ns[1:4]}
	for _, mode := range []string{"wildcard", "perNamespace"} {
		t.Run(mode, func(t *testing.T) {
			var prev map[string]property.Value
			for _, step := range steps {
				run := mustConstruct(t, fgInputs(step, map[string]any{"subnetIds": fgSubnets, "selectors": mode}))
				cur := map[string]property.Value{}
				for _, r := range run.ByType(fgProfileType) {
					cur[r.Name] = property.New(r.Inputs)
				}
				for name, before := range prev {
					if after, ok := cur[name]; ok {
						assert.Equal(t, testprops.Plain(before), testprops.Plain(after), "%s, namespaces %v", name, step)
					}
				}
				if mode == "perNamespace" {
					assert.Len(t, cur, len(step), "one profile per namespace")
				} else {
					assert.Len(t, cur, 2)
				}
				prev = cur
			}
		})
	}
}

// The runbook's own profiles are concurrent-system and concurrent-worker: ours never take
// those names, even for a component named "concurrent", so a leftover never collides.
func TestFargateProfileNamesAvoidTheRunbooks(t *testing.T) {
	prov, err := provider.New()
	require.NoError(t, err)
	for _, mode := range []string{"wildcard", "perNamespace"} {
		in := fgInputs([]string{"system", "worker"}, map[string]any{"subnetIds": fgSubnets, "selectors": mode})
		run, err := fakeaws.Construct(t.Context(), prov, provider.Version, setupToken, "concurrent", testprops.Props(in))
		require.NoError(t, err)
		for _, r := range run.ByType(fgProfileType) {
			assert.NotContains(t, []string{"concurrent-system", "concurrent-worker"}, testprops.Str(r.Inputs, "fargateProfileName"))
		}
	}
}

func TestFargatePodExecutionRole(t *testing.T) {
	run := mustConstruct(t, fgInputs(nil, nil))

	role, ok := run.Get(fgRoleType, "demo-pod-execution-role")
	require.True(t, ok, run.String())
	var trust struct {
		Version   string
		Statement []struct {
			Effect    string
			Principal map[string]string
			Action    []string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(testprops.Str(role.Inputs, "assumeRolePolicy")), &trust))
	assert.Equal(t, "2012-10-17", trust.Version)
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, map[string]string{"Service": "eks-fargate-pods.amazonaws.com"}, st.Principal)
	assert.Equal(t, []string{"sts:AssumeRole"}, st.Action)
	assert.Equal(t, map[string]map[string]string{"ArnLike": {
		"aws:SourceArn": "arn:aws:eks:us-east-2:678901234557:fargateprofile/kubetest32/*",
	}}, st.Condition)
	assert.Empty(t, testprops.Str(role.Inputs, "name"), "the role is auto-named")

	attachments := run.ByType(fgAttachmentType)
	require.Len(t, attachments, 1, run.String())
	att := attachments[0]
	assert.Equal(t, "demo-pod-execution-policy", att.Name)
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy", testprops.Str(att.Inputs, "policyArn"))
	assert.Equal(t, testprops.Str(role.State, "name"), testprops.Str(att.Inputs, "role"))

	roleArn := testprops.Str(role.State, "arn")
	require.NotEmpty(t, roleArn)
	profiles := run.ByType(fgProfileType)
	require.Len(t, profiles, 2)
	for _, p := range profiles {
		assert.Equal(t, roleArn, testprops.Str(p.Inputs, "podExecutionRoleArn"), p.Name)
		// Pods scheduled before the policy is attached could not pull images.
		assert.Contains(t, p.Dependencies, att.URN, p.Name)
		assert.Equal(t, fgSubnets, testprops.Strs(p.Inputs, "subnetIds"), p.Name)
	}
	assert.Equal(t, roleArn, testprops.Str(run.Outputs, "podExecutionRoleArn"))
	// No network was asked for: no subnets created, none reported.
	assert.Empty(t, run.ByType("aws:ec2/subnet:Subnet"))
	assert.Empty(t, testprops.Strs(run.Outputs, "privateSubnetIds"))
}

func TestFargatePodExecutionRoleBoundaryAndTags(t *testing.T) {
	const boundary = "arn:aws:iam::678901234557:policy/team-boundary"
	tags := map[string]string{"team": "ml", "env": "dev"}
	run := mustConstruct(t, with(map[string]any{
		"computeType": "fargate", "fargate": map[string]any{"subnetIds": fgSubnets},
		"permissionsBoundaryArn": boundary, "tags": tags,
	}))
	role, ok := run.Get(fgRoleType, "demo-pod-execution-role")
	require.True(t, ok, run.String())
	assert.Equal(t, boundary, testprops.Str(role.Inputs, "permissionsBoundary"))
	assert.Equal(t, map[string]any{"team": "ml", "env": "dev"}, testprops.Plain(role.Inputs.Get("tags")))
	for _, p := range run.ByType(fgProfileType) {
		assert.Equal(t, map[string]any{"team": "ml", "env": "dev"}, testprops.Plain(p.Inputs.Get("tags")), p.Name)
	}
}

func TestFargateBringsPodExecutionRole(t *testing.T) {
	const given = "arn:aws:iam::678901234557:role/fargate-pods"
	run := mustConstruct(t, fgInputs(nil, map[string]any{"subnetIds": fgSubnets, "podExecutionRoleArn": given}))

	_, created := run.Get(fgRoleType, "demo-pod-execution-role")
	assert.False(t, created, "no role is created when one is given")
	assert.Empty(t, run.ByType(fgAttachmentType))
	profiles := run.ByType(fgProfileType)
	require.Len(t, profiles, 2)
	for _, p := range profiles {
		assert.Equal(t, given, testprops.Str(p.Inputs, "podExecutionRoleArn"), p.Name)
	}
	assert.Equal(t, given, testprops.Str(run.Outputs, "podExecutionRoleArn"))
}
