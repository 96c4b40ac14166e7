package setup_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
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

func TestFargateProfilesAndSelectors(t *testing.T) {
	ns := fgNamespaceNames(12)
	// profile is the expected profile: logical name -> physical name and selectors.
	type profile struct {
		physical  string
		selectors []fgSelector
	}
	for _, tc := range []struct {
		namespaces []string
		want       map[string]profile
		wantNames  []string
	}{
		{
			namespaces: []string{"concurrent"},
			want: map[string]profile{
				"demo-fargate-system": {"concurrent-system", fgSelectorsFor("system", "concurrent")},
				"demo-fargate-worker": {"concurrent-worker", fgSelectorsFor("worker", "concurrent")},
			},
			wantNames: []string{"concurrent-system", "concurrent-worker"},
		},
		{
			namespaces: ns[:5],
			want: map[string]profile{
				"demo-fargate-system": {"concurrent-system", fgSelectorsFor("system", ns[:5]...)},
				"demo-fargate-worker": {"concurrent-worker", fgSelectorsFor("worker", ns[:5]...)},
			},
			wantNames: []string{"concurrent-system", "concurrent-worker"},
		},
		{
			namespaces: ns[:6],
			want: map[string]profile{
				"demo-fargate-system":   {"concurrent-system", fgSelectorsFor("system", ns[:5]...)},
				"demo-fargate-system-2": {"concurrent-system-2", fgSelectorsFor("system", ns[5])},
				"demo-fargate-worker":   {"concurrent-worker", fgSelectorsFor("worker", ns[:5]...)},
				"demo-fargate-worker-2": {"concurrent-worker-2", fgSelectorsFor("worker", ns[5])},
			},
			wantNames: []string{"concurrent-system", "concurrent-system-2", "concurrent-worker", "concurrent-worker-2"},
		},
		{
			namespaces: ns[:12],
			want: map[string]profile{
				"demo-fargate-system":   {"concurrent-system", fgSelectorsFor("system", ns[:5]...)},
				"demo-fargate-system-2": {"concurrent-system-2", fgSelectorsFor("system", ns[5:10]...)},
				"demo-fargate-system-3": {"concurrent-system-3", fgSelectorsFor("system", ns[10:]...)},
				"demo-fargate-worker":   {"concurrent-worker", fgSelectorsFor("worker", ns[:5]...)},
				"demo-fargate-worker-2": {"concurrent-worker-2", fgSelectorsFor("worker", ns[5:10]...)},
				"demo-fargate-worker-3": {"concurrent-worker-3", fgSelectorsFor("worker", ns[10:]...)},
			},
			wantNames: []string{
				"concurrent-system", "concurrent-system-2", "concurrent-system-3",
				"concurrent-worker", "concurrent-worker-2", "concurrent-worker-3",
			},
		},
	} {
		t.Run(fmt.Sprintf("%d namespaces", len(tc.namespaces)), func(t *testing.T) {
			run := mustConstruct(t, fgInputs(tc.namespaces, map[string]any{
				"subnetIds": fgSubnets, "maxProfiles": 20,
			}))
			got := map[string]profile{}
			for _, r := range run.ByType(fgProfileType) {
				got[r.Name] = profile{testprops.Str(r.Inputs, "fargateProfileName"), fgSelectors(t, r)}
				assert.Equal(t, "kubetest32", testprops.Str(r.Inputs, "clusterName"), r.Name)
				assert.Equal(t, run.URN, r.Parent, r.Name)
				// Fixed names: a replacement must delete the old profile first.
				assert.True(t, r.DeleteBeforeReplace, r.Name)
				// The AWS provider serializes profile operations: no chain between profiles.
				for _, d := range r.Dependencies {
					assert.NotEqual(t, fgProfileType, string(d.Type()), "%s depends on %s", r.Name, d)
				}
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantNames, testprops.Strs(run.Outputs, "fargateProfileNames"))
		})
	}
}

// Adding a sixth namespace adds the "-2" profiles and leaves the first ones' inputs as they
// were: profiles are immutable, so any change there would replace them (and stop their pods).
func TestFargateSixthNamespaceKeepsFirstProfiles(t *testing.T) {
	ns := fgNamespaceNames(6)
	before := mustConstruct(t, fgInputs(ns[:5], nil))
	after := mustConstruct(t, fgInputs(ns, nil))

	assert.Equal(t, []string{"demo-fargate-system", "demo-fargate-worker"}, testprops.SortedNames(before.ByType(fgProfileType)))
	assert.Equal(t, []string{"demo-fargate-system", "demo-fargate-system-2", "demo-fargate-worker", "demo-fargate-worker-2"},
		testprops.SortedNames(after.ByType(fgProfileType)))
	for _, logical := range []string{"demo-fargate-system", "demo-fargate-worker"} {
		b, ok := before.Get(fgProfileType, logical)
		require.True(t, ok)
		a, ok := after.Get(fgProfileType, logical)
		require.True(t, ok)
		assert.Equal(t, testprops.Plain(property.New(b.Inputs)), testprops.Plain(property.New(a.Inputs)), logical)
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
