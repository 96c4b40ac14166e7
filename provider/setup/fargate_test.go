package setup_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/mocktest"
)

const (
	fargateProfileType = "aws:eks/fargateProfile:FargateProfile"
	iamRoleType        = "aws:iam/role:Role"
	iamAttachmentType  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

var fargateSubnets = []string{"subnet-0f0000000000000a1", "subnet-0f0000000000000a2"}

// fargateInputs: computeType fargate on existing private subnets, with these namespaces.
func fargateInputs(namespaces []string, fargate map[string]any) map[string]any {
	if fargate == nil {
		fargate = map[string]any{"subnetIds": fargateSubnets}
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

func namespaceNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("ns%02d", i+1)
	}
	return out
}

// fargateSelector is one decoded profile selector.
type fargateSelector struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
}

func decodeSelectors(t *testing.T, r mocktest.Resource) []fargateSelector {
	t.Helper()
	b, err := json.Marshal(mocktest.Plain(r.Inputs.Get("selectors")))
	require.NoError(t, err)
	var out []fargateSelector
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func selectorsFor(role string, namespaces ...string) []fargateSelector {
	out := make([]fargateSelector, len(namespaces))
	for i, ns := range namespaces {
		out[i] = fargateSelector{Namespace: ns, Labels: map[string]string{"concurrent-node-type": role}}
	}
	return out
}

func TestFargateProfilesAndSelectors(t *testing.T) {
	ns := namespaceNames(12)
	// profile is the expected profile: logical name -> physical name and selectors.
	type profile struct {
		physical  string
		selectors []fargateSelector
	}
	for _, tc := range []struct {
		namespaces []string
		want       map[string]profile
		wantNames  []string
	}{
		{
			namespaces: []string{"concurrent"},
			want: map[string]profile{
				"demo-fargate-system": {"concurrent-system", selectorsFor("system", "concurrent")},
				"demo-fargate-worker": {"concurrent-worker", selectorsFor("worker", "concurrent")},
			},
			wantNames: []string{"concurrent-system", "concurrent-worker"},
		},
		{
			namespaces: ns[:5],
			want: map[string]profile{
				"demo-fargate-system": {"concurrent-system", selectorsFor("system", ns[:5]...)},
				"demo-fargate-worker": {"concurrent-worker", selectorsFor("worker", ns[:5]...)},
			},
			wantNames: []string{"concurrent-system", "concurrent-worker"},
		},
		{
			namespaces: ns[:6],
			want: map[string]profile{
				"demo-fargate-system":   {"concurrent-system", selectorsFor("system", ns[:5]...)},
				"demo-fargate-system-2": {"concurrent-system-2", selectorsFor("system", ns[5])},
				"demo-fargate-worker":   {"concurrent-worker", selectorsFor("worker", ns[:5]...)},
				"demo-fargate-worker-2": {"concurrent-worker-2", selectorsFor("worker", ns[5])},
			},
			wantNames: []string{"concurrent-system", "concurrent-system-2", "concurrent-worker", "concurrent-worker-2"},
		},
		{
			namespaces: ns[:12],
			want: map[string]profile{
				"demo-fargate-system":   {"concurrent-system", selectorsFor("system", ns[:5]...)},
				"demo-fargate-system-2": {"concurrent-system-2", selectorsFor("system", ns[5:10]...)},
				"demo-fargate-system-3": {"concurrent-system-3", selectorsFor("system", ns[10:]...)},
				"demo-fargate-worker":   {"concurrent-worker", selectorsFor("worker", ns[:5]...)},
				"demo-fargate-worker-2": {"concurrent-worker-2", selectorsFor("worker", ns[5:10]...)},
				"demo-fargate-worker-3": {"concurrent-worker-3", selectorsFor("worker", ns[10:]...)},
			},
			wantNames: []string{
				"concurrent-system", "concurrent-system-2", "concurrent-system-3",
				"concurrent-worker", "concurrent-worker-2", "concurrent-worker-3",
			},
		},
	} {
		t.Run(fmt.Sprintf("%d namespaces", len(tc.namespaces)), func(t *testing.T) {
			run := mustConstruct(t, fargateInputs(tc.namespaces, map[string]any{
				"subnetIds": fargateSubnets, "maxProfiles": 20,
			}))
			got := map[string]profile{}
			for _, r := range run.ByType(fargateProfileType) {
				got[r.Name] = profile{mocktest.Str(r.Inputs, "fargateProfileName"), decodeSelectors(t, r)}
				assert.Equal(t, "kubetest32", mocktest.Str(r.Inputs, "clusterName"), r.Name)
				assert.Equal(t, run.URN, r.Parent, r.Name)
				// Fixed names: a replacement must delete the old profile first.
				assert.True(t, r.DeleteBeforeReplace, r.Name)
				// The AWS provider serializes profile operations: no chain between profiles.
				for _, d := range r.Dependencies {
					assert.NotEqual(t, fargateProfileType, string(d.Type()), "%s depends on %s", r.Name, d)
				}
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.wantNames, mocktest.Strs(run.Outputs, "fargateProfileNames"))
		})
	}
}

// Adding a sixth namespace adds the "-2" profiles and leaves the first ones' inputs as they
// were: profiles are immutable, so any change there would replace them (and stop their pods).
func TestFargateSixthNamespaceKeepsFirstProfiles(t *testing.T) {
	ns := namespaceNames(6)
	before := mustConstruct(t, fargateInputs(ns[:5], nil))
	after := mustConstruct(t, fargateInputs(ns, nil))

	assert.Equal(t, []string{"demo-fargate-system", "demo-fargate-worker"}, mocktest.SortedNames(before.ByType(fargateProfileType)))
	assert.Equal(t, []string{"demo-fargate-system", "demo-fargate-system-2", "demo-fargate-worker", "demo-fargate-worker-2"},
		mocktest.SortedNames(after.ByType(fargateProfileType)))
	for _, logical := range []string{"demo-fargate-system", "demo-fargate-worker"} {
		b, ok := before.Get(fargateProfileType, logical)
		require.True(t, ok)
		a, ok := after.Get(fargateProfileType, logical)
		require.True(t, ok)
		assert.Equal(t, mocktest.Plain(property.New(b.Inputs)), mocktest.Plain(property.New(a.Inputs)), logical)
	}
}

func TestFargatePodExecutionRole(t *testing.T) {
	run := mustConstruct(t, fargateInputs(nil, nil))

	role, ok := run.Get(iamRoleType, "demo-pod-execution-role")
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
	require.NoError(t, json.Unmarshal([]byte(mocktest.Str(role.Inputs, "assumeRolePolicy")), &trust))
	assert.Equal(t, "2012-10-17", trust.Version)
	require.Len(t, trust.Statement, 1)
	st := trust.Statement[0]
	assert.Equal(t, "Allow", st.Effect)
	assert.Equal(t, map[string]string{"Service": "eks-fargate-pods.amazonaws.com"}, st.Principal)
	assert.Equal(t, []string{"sts:AssumeRole"}, st.Action)
	assert.Equal(t, map[string]map[string]string{"ArnLike": {
		"aws:SourceArn": "arn:aws:eks:us-east-2:678901234557:fargateprofile/kubetest32/*",
	}}, st.Condition)
	assert.Empty(t, mocktest.Str(role.Inputs, "name"), "the role is auto-named")

	attachments := run.ByType(iamAttachmentType)
	require.Len(t, attachments, 1, run.String())
	att := attachments[0]
	assert.Equal(t, "demo-pod-execution-policy", att.Name)
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy", mocktest.Str(att.Inputs, "policyArn"))
	assert.Equal(t, mocktest.Str(role.State, "name"), mocktest.Str(att.Inputs, "role"))

	roleArn := mocktest.Str(role.State, "arn")
	require.NotEmpty(t, roleArn)
	profiles := run.ByType(fargateProfileType)
	require.Len(t, profiles, 2)
	for _, p := range profiles {
		assert.Equal(t, roleArn, mocktest.Str(p.Inputs, "podExecutionRoleArn"), p.Name)
		// Pods scheduled before the policy is attached could not pull images.
		assert.Contains(t, p.Dependencies, att.URN, p.Name)
		assert.Equal(t, fargateSubnets, mocktest.Strs(p.Inputs, "subnetIds"), p.Name)
	}
	assert.Equal(t, roleArn, mocktest.Str(run.Outputs, "podExecutionRoleArn"))
	// No network was asked for: no subnets created, none reported.
	assert.Empty(t, run.ByType("aws:ec2/subnet:Subnet"))
	assert.Empty(t, mocktest.Strs(run.Outputs, "privateSubnetIds"))
}

func TestFargatePodExecutionRoleBoundaryAndTags(t *testing.T) {
	const boundary = "arn:aws:iam::678901234557:policy/team-boundary"
	tags := map[string]string{"team": "ml", "env": "dev"}
	run := mustConstruct(t, with(map[string]any{
		"computeType": "fargate", "fargate": map[string]any{"subnetIds": fargateSubnets},
		"permissionsBoundaryArn": boundary, "tags": tags,
	}))
	role, ok := run.Get(iamRoleType, "demo-pod-execution-role")
	require.True(t, ok, run.String())
	assert.Equal(t, boundary, mocktest.Str(role.Inputs, "permissionsBoundary"))
	assert.Equal(t, map[string]any{"team": "ml", "env": "dev"}, mocktest.Plain(role.Inputs.Get("tags")))
	for _, p := range run.ByType(fargateProfileType) {
		assert.Equal(t, map[string]any{"team": "ml", "env": "dev"}, mocktest.Plain(p.Inputs.Get("tags")), p.Name)
	}
}

func TestFargateBringsPodExecutionRole(t *testing.T) {
	const given = "arn:aws:iam::678901234557:role/fargate-pods"
	run := mustConstruct(t, fargateInputs(nil, map[string]any{"subnetIds": fargateSubnets, "podExecutionRoleArn": given}))

	_, created := run.Get(iamRoleType, "demo-pod-execution-role")
	assert.False(t, created, "no role is created when one is given")
	assert.Empty(t, run.ByType(iamAttachmentType))
	profiles := run.ByType(fargateProfileType)
	require.Len(t, profiles, 2)
	for _, p := range profiles {
		assert.Equal(t, given, mocktest.Str(p.Inputs, "podExecutionRoleArn"), p.Name)
	}
	assert.Equal(t, given, mocktest.Str(run.Outputs, "podExecutionRoleArn"))
}

// dependsOn reports whether r depends on the resource of this type and name.
func dependsOn(r mocktest.Resource, typ, name string) bool {
	for _, d := range r.Dependencies {
		if string(d.Type()) == typ && d.Name() == name {
			return true
		}
	}
	return false
}
