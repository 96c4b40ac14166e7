package setup_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

const (
	ngType           = "aws:eks/nodeGroup:NodeGroup"
	ngIAMRoleType    = "aws:iam/role:Role"
	ngAttachmentType = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

// The demo cluster's subnets and the node role the mocks give the created one.
var (
	ngClusterSubnets = []any{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"}
	ngCreatedRoleArn = "arn:aws:iam::678901234557:role/demo-node-role-1234567"
)

// ngDefaults is the whole decoded input of a node group with every default (design
// section 2), as EKS will receive it. Tests change the fields they set.
func ngDefaults(role string, instanceTypes ...any) map[string]any {
	return map[string]any{
		"clusterName":   "kubetest32",
		"nodeRoleArn":   ngCreatedRoleArn,
		"subnetIds":     ngClusterSubnets,
		"capacityType":  "SPOT",
		"instanceTypes": instanceTypes,
		"diskSize":      200.0,
		"amiType":       "AL2023_x86_64_STANDARD",
		"version":       "1.33", // the cluster's
		"scalingConfig": map[string]any{"desiredSize": 1.0, "minSize": 0.0, "maxSize": 1.0},
		"labels":        map[string]any{"concurrent-node-type": role},
		"taints": []any{map[string]any{
			"key": "concurrent-node-type", "value": role, "effect": "NO_SCHEDULE",
		}},
	}
}

var (
	ngSystemTypes = []any{"m5.xlarge", "m5a.xlarge", "m6i.xlarge", "m6a.xlarge"}
	ngWorkerTypes = []any{"c5.2xlarge", "c5a.2xlarge", "c6i.2xlarge", "c6a.2xlarge"}
)

// ngInputs decodes the inputs of the node group `demo-<role>`.
func ngInputs(t *testing.T, run *fakeaws.Run, role string) map[string]any {
	t.Helper()
	g, ok := run.Get(ngType, "demo-"+role)
	require.True(t, ok, "no node group demo-%s in:\n%s", role, run)
	return testprops.Plain(property.New(g.Inputs)).(map[string]any)
}

func ngNames(run *fakeaws.Run) []string {
	return testprops.SortedNames(run.ByType(ngType))
}

// ngOutput decodes one of the component's outputs; a null output is left out of the
// Construct response, so absent and null both decode to nil.
func ngOutput(run *fakeaws.Run, key string) any {
	v, ok := run.Outputs.GetOk(key)
	if !ok {
		return nil
	}
	return testprops.Plain(v)
}

func TestNodeGroupsDefaults(t *testing.T) {
	run := mustConstruct(t, minimal())

	assert.Equal(t, []string{"demo-system", "demo-worker"}, ngNames(run))
	assert.Equal(t, ngDefaults("system", ngSystemTypes...), ngInputs(t, run, "system"))
	assert.Equal(t, ngDefaults("worker", ngWorkerTypes...), ngInputs(t, run, "worker"))
	for _, g := range run.ByType(ngType) {
		assert.Equal(t, run.URN, g.Parent, g.Name)
		// Cluster autoscalers own the desired size after creation.
		assert.Equal(t, []string{"scalingConfig.desiredSize"}, g.IgnoreChanges, g.Name)
		assert.False(t, g.DeleteBeforeReplace, g.Name)
	}
}

func TestNodeGroupsEveryField(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{
		"tags": map[string]string{"team": "ml", "cost-center": "42"},
		"nodeGroups": map[string]any{
			"subnetIds": []string{"subnet-0000000000000000a", "subnet-0000000000000000b"},
			"system": map[string]any{
				"instanceTypes": []string{"m7i.2xlarge"},
				"capacityType":  "ON_DEMAND",
				"diskSize":      300,
				"desiredSize":   2, "minSize": 1, "maxSize": 3,
				"amiType":   "BOTTLEROCKET_x86_64",
				"labels":    map[string]string{"tier": "control"},
				"subnetIds": []string{"subnet-0000000000000000c"},
			},
			"worker": map[string]any{
				"instanceTypes": []string{"c7i.4xlarge", "c7a.4xlarge"},
				"diskSize":      100,
				"desiredSize":   0, "minSize": 0, "maxSize": 10,
			},
			"deployment": map[string]any{
				"enabled":       true,
				"capacityType":  "ON_DEMAND",
				"amiType":       "AL2023_ARM_64_STANDARD",
				"instanceTypes": []string{"m7g.xlarge"},
			},
		},
	}))

	tags := map[string]any{"team": "ml", "cost-center": "42"}
	shared := []any{"subnet-0000000000000000a", "subnet-0000000000000000b"}

	system := ngDefaults("system", "m7i.2xlarge")
	system["capacityType"] = "ON_DEMAND"
	system["diskSize"] = 300.0
	system["scalingConfig"] = map[string]any{"desiredSize": 2.0, "minSize": 1.0, "maxSize": 3.0}
	system["amiType"] = "BOTTLEROCKET_x86_64"
	system["labels"] = map[string]any{"tier": "control", "concurrent-node-type": "system"}
	system["subnetIds"] = []any{"subnet-0000000000000000c"}
	system["tags"] = tags

	worker := ngDefaults("worker", "c7i.4xlarge", "c7a.4xlarge")
	worker["diskSize"] = 100.0
	worker["scalingConfig"] = map[string]any{"desiredSize": 0.0, "minSize": 0.0, "maxSize": 10.0}
	worker["subnetIds"] = shared
	worker["tags"] = tags

	deployment := ngDefaults("deployment", "m7g.xlarge")
	deployment["capacityType"] = "ON_DEMAND"
	deployment["amiType"] = "AL2023_ARM_64_STANDARD"
	deployment["subnetIds"] = shared
	deployment["tags"] = tags

	assert.Equal(t, []string{"demo-deployment", "demo-system", "demo-worker"}, ngNames(run))
	assert.Equal(t, system, ngInputs(t, run, "system"))
	assert.Equal(t, worker, ngInputs(t, run, "worker"))
	assert.Equal(t, deployment, ngInputs(t, run, "deployment"))
}

func TestNodeGroupSubnets(t *testing.T) {
	own := []string{"subnet-0000000000000000c"}
	shared := []string{"subnet-0000000000000000a", "subnet-0000000000000000b"}
	for _, tc := range []struct {
		name       string
		nodeGroups map[string]any
		want       []any // of the system group
	}{
		{"the cluster's by default", map[string]any{}, ngClusterSubnets},
		{"nodeGroups.subnetIds", map[string]any{"subnetIds": shared}, []any{shared[0], shared[1]}},
		{"the group's own over nodeGroups.subnetIds", map[string]any{
			"subnetIds": shared, "system": map[string]any{"subnetIds": own},
		}, []any{own[0]}},
		{"the group's own over the cluster's", map[string]any{
			"system": map[string]any{"subnetIds": own},
		}, []any{own[0]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := mustConstruct(t, with(map[string]any{"nodeGroups": tc.nodeGroups}))
			assert.Equal(t, tc.want, ngInputs(t, run, "system")["subnetIds"])
		})
	}
}

func TestNodeGroupLabels(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels property.Value
	}{
		{"known", testprops.Value(map[string]string{"tier": "batch", "gpu": "false"})},
		// A map only known when the program runs (here a secret, which arrives as an output)
		// is merged when it resolves; the component's key wins over one validation cannot see.
		{"output", testprops.Value(map[string]string{
			"tier": "batch", "gpu": "false", "concurrent-node-type": "system",
		}).WithSecret(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{
				"worker": map[string]any{"labels": tc.labels},
			}}))
			assert.Equal(t,
				map[string]any{"tier": "batch", "gpu": "false", "concurrent-node-type": "worker"},
				ngInputs(t, run, "worker")["labels"])
			assert.Equal(t, map[string]any{"concurrent-node-type": "system"}, ngInputs(t, run, "system")["labels"])
		})
	}
}

func TestDeploymentNodeGroup(t *testing.T) {
	for _, tc := range []struct {
		name       string
		deployment any
		want       []string
	}{
		{"off by default", nil, []string{"demo-system", "demo-worker"}},
		{"off when configured but not enabled", map[string]any{"diskSize": 300}, []string{"demo-system", "demo-worker"}},
		{"off with enabled: false", map[string]any{"enabled": false}, []string{"demo-system", "demo-worker"}},
		{"on with enabled: true", map[string]any{"enabled": true}, []string{"demo-deployment", "demo-system", "demo-worker"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inputs := minimal()
			if tc.deployment != nil {
				inputs["nodeGroups"] = map[string]any{"deployment": tc.deployment}
			}
			run := mustConstruct(t, inputs)
			assert.Equal(t, tc.want, ngNames(run))
		})
	}

	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{"deployment": map[string]any{"enabled": true}}}))
	assert.Equal(t, ngDefaults("deployment", ngWorkerTypes...), ngInputs(t, run, "deployment"))
}

func TestSystemAndWorkerCanBeDisabled(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{
		"system": map[string]any{"enabled": false},
	}}))
	assert.Equal(t, []string{"demo-worker"}, ngNames(run))
}

func TestNodeGroupsAreIndependent(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{"deployment": map[string]any{"enabled": true}}}))
	groups := run.ByType(ngType)
	require.Len(t, groups, 3)
	isGroup := map[resource.URN]bool{}
	for _, g := range groups {
		require.NotEmpty(t, g.URN)
		isGroup[g.URN] = true
	}
	for _, g := range groups {
		for _, d := range g.Dependencies {
			assert.False(t, isGroup[d], "%s depends on node group %s: groups are created in parallel", g.Name, d)
		}
	}
}

// ngTrustDocument is the decoded trust policy of a role.
type ngTrustDocument struct {
	Version   string
	Statement []struct {
		Effect    string
		Principal map[string]any
		Action    any
		Condition any
	}
}

func TestCreatedNodeRole(t *testing.T) {
	for _, tc := range []struct {
		partition string
		boundary  bool
	}{{"aws", false}, {"aws-us-gov", true}} {
		t.Run(tc.partition, func(t *testing.T) {
			cluster := fakeaws.DemoCluster()
			cluster.Partition = tc.partition
			inputs := with(map[string]any{"tags": map[string]string{"team": "ml"}})
			boundary := fmt.Sprintf("arn:%s:iam::678901234557:policy/boundary", tc.partition)
			if tc.boundary {
				inputs["permissionsBoundaryArn"] = boundary
			}
			run := mustConstruct(t, inputs, fakeaws.WithCluster(cluster))

			role, ok := run.Get(ngIAMRoleType, "demo-node-role")
			require.True(t, ok, "no node role in:\n%s", run)
			assert.Equal(t, run.URN, role.Parent)
			// Auto-named: no fixed IAM name.
			assert.Empty(t, testprops.Str(role.Inputs, "name"))
			assert.Equal(t, map[string]any{"team": "ml"}, testprops.Plain(role.Inputs.Get("tags")))
			if tc.boundary {
				assert.Equal(t, boundary, testprops.Str(role.Inputs, "permissionsBoundary"))
			} else {
				_, has := role.Inputs.GetOk("permissionsBoundary")
				assert.False(t, has)
			}

			var trust ngTrustDocument
			require.NoError(t, json.Unmarshal([]byte(testprops.Str(role.Inputs, "assumeRolePolicy")), &trust))
			assert.Equal(t, "2012-10-17", trust.Version)
			require.Len(t, trust.Statement, 1)
			s := trust.Statement[0]
			assert.Equal(t, "Allow", s.Effect)
			assert.Equal(t, map[string]any{"Service": "ec2.amazonaws.com"}, s.Principal)
			assert.Equal(t, []any{"sts:AssumeRole"}, s.Action)
			assert.Nil(t, s.Condition)

			roleName := testprops.Str(role.State, "name")
			roleArn := testprops.Str(role.State, "arn")
			var policies []string
			var attachmentURNs []resource.URN
			for _, a := range run.ByType(ngAttachmentType) {
				if testprops.Str(a.Inputs, "role") != roleName {
					continue
				}
				assert.Equal(t, run.URN, a.Parent, a.Name)
				policies = append(policies, testprops.Str(a.Inputs, "policyArn"))
				attachmentURNs = append(attachmentURNs, a.URN)
			}
			assert.ElementsMatch(t, []string{
				"arn:" + tc.partition + ":iam::aws:policy/AmazonEKSWorkerNodePolicy",
				"arn:" + tc.partition + ":iam::aws:policy/AmazonEKS_CNI_Policy",
				"arn:" + tc.partition + ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
			}, policies)

			groups := run.ByType(ngType)
			require.Len(t, groups, 2)
			for _, g := range groups {
				assert.Equal(t, roleArn, testprops.Str(g.Inputs, "nodeRoleArn"), g.Name)
				// EKS fails the node join when the role lacks its policies.
				assert.Subset(t, g.Dependencies, attachmentURNs, g.Name)
			}
			assert.Equal(t, roleArn, ngOutput(run, "nodeRoleArn"))
		})
	}
}

func TestGivenNodeRole(t *testing.T) {
	given := "arn:aws:iam::678901234557:role/platform/eks-nodes"
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{"nodeRoleArn": given}}))

	_, created := run.Get(ngIAMRoleType, "demo-node-role")
	assert.False(t, created, "a node role was created although nodeGroups.nodeRoleArn was given")
	for _, a := range run.ByType(ngAttachmentType) {
		assert.False(t, strings.HasPrefix(a.Name, "demo-node-"), "attachment %s created for a given role", a.Name)
	}
	for _, role := range []string{"system", "worker"} {
		want := ngDefaults(role, map[string][]any{"system": ngSystemTypes, "worker": ngWorkerTypes}[role]...)
		want["nodeRoleArn"] = given
		assert.Equal(t, want, ngInputs(t, run, role))
	}
	assert.Equal(t, given, ngOutput(run, "nodeRoleArn"))
}

func TestNodeGroupOutputs(t *testing.T) {
	run := mustConstruct(t, with(map[string]any{"nodeGroups": map[string]any{"deployment": map[string]any{"enabled": true}}}))
	var want []any
	for _, role := range []string{"system", "worker", "deployment"} {
		g, ok := run.Get(ngType, "demo-"+role)
		require.True(t, ok)
		// The physical names EKS generated, in runbook order.
		want = append(want, testprops.Str(g.State, "nodeGroupName"))
	}
	assert.Equal(t, []any{"demo-system-1234567", "demo-worker-1234567", "demo-deployment-1234567"}, want)
	assert.Equal(t, want, ngOutput(run, "nodeGroupNames"))
	assert.Equal(t, ngCreatedRoleArn, ngOutput(run, "nodeRoleArn"))
}

func TestNoNodeGroupsWithoutNodeGroupCompute(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inputs map[string]any
	}{
		{"fargate", with(map[string]any{
			"computeType": "fargate",
			"fargate":     map[string]any{"subnetIds": []string{"subnet-0000000000000000a"}},
		})},
		{"none", with(map[string]any{"computeType": "none"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := mustConstruct(t, tc.inputs)
			assert.Empty(t, run.ByType(ngType))
			_, created := run.Get(ngIAMRoleType, "demo-node-role")
			assert.False(t, created)
			assert.Equal(t, []any{}, ngOutput(run, "nodeGroupNames"))
			assert.Nil(t, ngOutput(run, "nodeRoleArn"))
		})
	}
}
