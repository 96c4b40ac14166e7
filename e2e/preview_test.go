//go:build e2e

package e2e

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const clusterType = "aws:eks/cluster:Cluster"

// newClusterProgram creates a cluster (the stand-in's: its name is computed, unknown in a
// preview) and passes its name to ConcurrentEksSetup; mode is access.mode, "" for none.
func newClusterProgram(a *account, mode string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		cl, err := eks.NewCluster(ctx, "cluster", &eks.ClusterArgs{
			RoleArn:   pulumi.String("arn:aws:iam::" + a.cluster.AccountID + ":role/eks-cluster"),
			VpcConfig: &eks.ClusterVpcConfigArgs{SubnetIds: pulumi.ToStringArray(a.cluster.SubnetIDs)},
		})
		if err != nil {
			return err
		}
		args := pulumi.Map{
			"clusterName":         cl.Name,
			"concurrentAccountId": pulumi.String(concurrentAccountID),
			"computeType":         pulumi.String("nodeGroups"),
			"nodeGroups":          pulumi.Map{"worker": pulumi.Map{"instanceTypes": pulumi.ToStringArray([]string{"m5.2xlarge"})}},
			"namespaces":          pulumi.Array{pulumi.Map{"name": pulumi.String("e2e-new-cluster")}},
		}
		if mode != "" {
			args["access"] = pulumi.Map{"mode": pulumi.String(mode)}
		}
		var s eksSetup
		if err := ctx.RegisterRemoteComponentResource(setupType, "e2e", args, &s); err != nil {
			return err
		}
		s.export(ctx)
		return nil
	}
}

// A preview of a program that creates its cluster: the cluster's name is unknown, so the
// component cannot look the cluster up. With an explicit access.mode the preview succeeds and
// lists the children it will create; without one it fails naming access.mode. Then up
// creates the cluster and the setup.
func TestPreviewWithUnknownClusterName(t *testing.T) {
	a := newAccount(t, nil)

	// Without access.mode: `auto` needs the cluster's authentication mode.
	bad := newStack(t, "e2e-preview-no-mode", newClusterProgram(a, ""), a.option())
	_, err := bad.Preview(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "access.mode: `auto` needs the cluster's authentication mode, but clusterName is not known")

	stack := newStack(t, "e2e-preview-new-cluster", newClusterProgram(a, "accessEntry"), a.option())
	ch := make(chan events.EngineEvent)
	done := make(chan []apitype.StepEventMetadata)
	go func() {
		var steps []apitype.StepEventMetadata
		for e := range ch {
			if e.ResourcePreEvent != nil {
				steps = append(steps, e.ResourcePreEvent.Metadata)
			}
		}
		done <- steps
	}()
	pre, err := stack.Preview(t.Context(), optpreview.EventStreams(ch), optpreview.ErrorProgressStreams(os.Stderr))
	require.NoError(t, err)
	steps := <-done
	created := map[string]int{}
	for _, st := range steps {
		if st.Op == apitype.OpCreate {
			created[st.Type]++
		}
	}
	for typ, n := range map[string]int{
		clusterType: 1, setupType: 1,
		"random:index/randomPassword:RandomPassword": 1, "aws:iam/role:Role": 2, "aws:iam/rolePolicy:RolePolicy": 1,
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3, nodeGroupType: 2, // system, worker
		"aws:eks/accessEntry:AccessEntry": 1, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": 1,
		"concurrent:index:ConcurrentNamespace": 1, "kubernetes:core/v1:Namespace": 1,
	} {
		assert.Equal(t, n, created[typ], "the preview's creates of %s (all: %v)", typ, created)
	}
	// The setup's node group waits on the cluster: its clusterName is unknown in the preview.
	for _, st := range steps {
		if st.Type == nodeGroupType {
			require.NotNil(t, st.New)
			assert.Equal(t, unknown, st.New.Inputs["clusterName"], "the node group's clusterName in the preview")
		}
	}
	for _, st := range steps {
		assert.Equal(t, apitype.OpCreate, st.Op, "the preview only creates: %s", st.URN)
	}
	assert.NotZero(t, pre.ChangeSummary[apitype.OpCreate])
	// No AWS resource exists yet: the stand-ins saw no write outside the preview's dry runs.
	for _, c := range a.calls(t, 0) {
		assert.False(t, c.Method == "Create" && c.ID != "", "a preview created %s", c.URN)
	}

	res := up(t, stack)
	assert.Equal(t, []string{"create"}, keys(changes(res)))
	assert.Equal(t, a.cluster.Name, res.Outputs["clusterName"].Value)
	assert.Equal(t, "accessEntry", res.Outputs["accessMode"].Value)
	var types []string
	for typ := range writes(a.calls(t, 0)) {
		types = append(types, typ)
	}
	slices.Sort(types)
	assert.Contains(t, types, "Create "+clusterType)
	assert.Contains(t, types, "Create "+nodeGroupType)
	assert.False(t, strings.Contains(strings.Join(types, " "), "Delete"), "up deletes nothing")
}

// unknown is how the engine's events show an unknown value.
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
