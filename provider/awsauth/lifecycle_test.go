package awsauth

import (
	"context"
	"reflect"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func args(roleArn string) AwsAuthRoleMappingArgs {
	return AwsAuthRoleMappingArgs{Kubeconfig: "kubeconfig", RoleArn: roleArn}
}

// stateOf is the state Create returns for args, defaults applied.
func stateOf(a AwsAuthRoleMappingArgs) AwsAuthRoleMappingState {
	a = a.withDefaults()
	rolearn, _ := RoleARNWithoutPath(a.RoleArn)
	return AwsAuthRoleMappingState{AwsAuthRoleMappingArgs: a, Rolearn: rolearn, OwnedUsername: a.Username, OwnedGroups: a.Groups}
}

func (c *cluster) create(a AwsAuthRoleMappingArgs) (infer.CreateResponse[AwsAuthRoleMappingState], error) {
	return c.res.Create(context.Background(), infer.CreateRequest[AwsAuthRoleMappingArgs]{Name: "access", Inputs: a})
}

func (c *cluster) mustCreate(a AwsAuthRoleMappingArgs) AwsAuthRoleMappingState {
	c.t.Helper()
	resp, err := c.create(a)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.Output
}

func (c *cluster) update(old AwsAuthRoleMappingState, a AwsAuthRoleMappingArgs) (infer.UpdateResponse[AwsAuthRoleMappingState], error) {
	return c.res.Update(context.Background(), infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		ID: old.Rolearn, State: old, Inputs: a,
	})
}

func (c *cluster) delete(st AwsAuthRoleMappingState) error {
	_, err := c.res.Delete(context.Background(), infer.DeleteRequest[AwsAuthRoleMappingState]{ID: st.Rolearn, State: st})
	return err
}

func (c *cluster) read(st AwsAuthRoleMappingState) infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState] {
	c.t.Helper()
	resp, err := c.res.Read(context.Background(), infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		ID: st.Rolearn, Inputs: st.AwsAuthRoleMappingArgs, State: st,
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

func (c *cluster) mapRoles() string { return c.stored().Data[MapRolesKey] }

func TestFakeTrackerIgnoresResourceVersion(t *testing.T) {
	t.Parallel()
	// Why the reactors check resourceVersion themselves: a plain fake
	// clientset accepts an update with a stale resourceVersion.
	cs := fake.NewSimpleClientset(&corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{
		Name: AuthName, Namespace: AuthNamespace, ResourceVersion: "5",
	}})
	stale := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: AuthName, Namespace: AuthNamespace, ResourceVersion: "1"}}
	if _, err := cs.CoreV1().ConfigMaps(AuthNamespace).Update(context.Background(), stale, metav1.UpdateOptions{}); err != nil {
		t.Skipf("the fake tracker now enforces resourceVersion (%v); the reactors may be simplified", err)
	}
}

// The role is given with an IAM path; the entry is written without it,
// after the node role, and nothing else changes: the value read is a prefix
// of the value written.
func TestCreateAddsOnlyOurEntry(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	in := args("arn:aws:iam::111122223333:role/concurrent/concurrent-access")
	resp, err := c.create(in)
	if err != nil {
		t.Fatal(err)
	}
	want := stateOf(in)
	if resp.ID != oursARN || !reflect.DeepEqual(resp.Output, want) || want.Rolearn != oursARN {
		t.Errorf("Create = %q %#v, want %q %#v", resp.ID, resp.Output, oursARN, want)
	}
	c.assertRoles(nodeEntry, oursEntry)
	c.assertOtherKeys()
	if !strings.HasPrefix(c.mapRoles(), eksctlShape) {
		t.Errorf("mapRoles was rewritten, not appended to:\n%s", c.mapRoles())
	}
	if c.updates != 1 || c.creates != 0 {
		t.Errorf("updates, creates = %d, %d; want 1, 0", c.updates, c.creates)
	}
}

func TestCreateRetriesConflicts(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(consoleShape)))
	c.conflicts = 3
	if _, err := c.create(args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.updates != 4 {
		t.Errorf("updates = %d, want 3 conflicts then 1 success", c.updates)
	}
	c.assertRoles(winNodeEntry, fargateEntry, oursEntry)
}

func TestCreateGivesUpAfterRepeatedConflicts(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(consoleShape)))
	c.conflicts = 100
	_, err := c.create(args(oursARN))
	if !apierrors.IsConflict(err) || !strings.HasPrefix(err.Error(), "kube-system/aws-auth: ") {
		t.Fatalf("error = %v, want a Conflict naming kube-system/aws-auth", err)
	}
}

// A node group adds its role between our get and our update: our update
// carries the stale resourceVersion, conflicts, and the retry keeps the
// node role.
func TestCreateKeepsAConcurrentWrite(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	withFargate := eksctlShape + "- rolearn: " + fargateARN + "\n  username: system:node:{{SessionName}}\n" +
		"  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n"
	c.beforeUpdate = func() { c.put(dataWith(&withFargate)) }
	if _, err := c.create(args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.updates != 2 {
		t.Errorf("updates = %d, want a conflict then a success", c.updates)
	}
	c.assertRoles(nodeEntry, fargateEntry, oursEntry)
	c.assertOtherKeys()
}

func TestCreateMissingConfigMap(t *testing.T) {
	t.Parallel()
	c := newCluster(t, nil)
	if _, err := c.create(args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.creates != 1 || c.updates != 0 {
		t.Errorf("creates, updates = %d, %d; want 1, 0", c.creates, c.updates)
	}
	c.assertRoles(oursEntry)
	if got := c.stored().Data; len(got) != 1 {
		t.Errorf("data = %v, want only mapRoles", got)
	}
}

// The ConfigMap is missing when read, but EKS (or a node group) creates it
// before our create: AlreadyExists, then the merge runs on what it wrote.
func TestCreateAlreadyExistsRace(t *testing.T) {
	t.Parallel()
	c := newCluster(t, nil)
	c.beforeCreate = func() { c.put(dataWith(ptr(eksctlShape))) }
	if _, err := c.create(args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.creates != 1 || c.updates != 1 {
		t.Errorf("creates, updates = %d, %d; want 1 (AlreadyExists), 1", c.creates, c.updates)
	}
	c.assertRoles(nodeEntry, oursEntry)
	c.assertOtherKeys()
}

// Wrong behaviour 1 (ownership): the runbook's entries for our role (run
// twice: two copies, username = the role ARN) are left alone by create,
// ours is in force after them, and delete brings mapRoles back byte for
// byte. The code before ownership replaced them and then deleted every entry
// for the role.
func TestEntryThatWasThereIsBackAfterDelete(t *testing.T) {
	t.Parallel()
	for name, shape := range map[string]string{
		"runbook twice": oursDuplicated, "runbook's entry with other fields": oursDifferent,
		"identical entry": oursSame, "eksctl": eksctlShape, "terraform": terraformShape, "commented": commentedShape,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, dataWith(ptr(shape)))
			st := c.mustCreate(args(oursARN))
			if got, ok := mustRoles(t, c.mapRoles()).InForce(oursARN); !ok || !got.Equal(ours) {
				t.Errorf("in force = %#v, want ours", got)
			}
			if err := c.delete(st); err != nil {
				t.Fatal(err)
			}
			if got := c.mapRoles(); got != shape {
				t.Errorf("mapRoles after delete =\n%s\nwant, byte for byte,\n%s", got, shape)
			}
			c.assertOtherKeys()
		})
	}
}

// Two stacks map the same role with identical entries (bring your own
// role): each owns its own copy, and deleting one leaves the other's.
func TestTwoMappingsOfOneRole(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	a := c.mustCreate(args(oursARN))
	b := c.mustCreate(args(oursARN))
	c.assertRoles(nodeEntry, oursEntry, oursEntry)
	if err := c.delete(a); err != nil {
		t.Fatal(err)
	}
	c.assertRoles(nodeEntry, oursEntry)
	if resp := c.read(b); resp.ID != oursARN || !reflect.DeepEqual(resp.State, b) {
		t.Errorf("Read of the second = %#v, want it unchanged", resp)
	}
	if err := c.delete(b); err != nil {
		t.Fatal(err)
	}
	if got := c.mapRoles(); got != eksctlShape {
		t.Errorf("mapRoles =\n%s\nwant\n%s", got, eksctlShape)
	}
}

func TestDeleteWhenAlreadyGone(t *testing.T) {
	t.Parallel()
	for name, data := range map[string]map[string]string{
		"configmap missing": nil,
		"entry missing":     dataWith(ptr(consoleShape)),
		"only the runbook's entry": dataWith(ptr("- rolearn: " + oursARN + "\n  username: " + oursARN +
			"\n  groups:\n    - system:masters\n")),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, data)
			c.forbidWrites = true
			if err := c.delete(stateOf(args(oursARN))); err != nil {
				t.Fatal(err)
			}
			if data == nil && c.stored() != nil {
				t.Error("Delete created aws-auth")
			}
		})
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	st := stateOf(args(oursARN))
	update := p.PropertyDiff{Kind: p.Update, InputDiff: true}
	drifted := st
	drifted.Username = "someone-else" // what a refresh found in force
	tests := []struct {
		name  string
		state AwsAuthRoleMappingState
		edit  func(*AwsAuthRoleMappingArgs)
		want  map[string]p.PropertyDiff
	}{
		{name: "no change, defaults unset", edit: func(*AwsAuthRoleMappingArgs) {}},
		{
			name: "kubeconfig rotated", edit: func(a *AwsAuthRoleMappingArgs) { a.Kubeconfig = "other" },
			want: map[string]p.PropertyDiff{"kubeconfig": update},
		},
		{name: "defaults spelled out", edit: func(a *AwsAuthRoleMappingArgs) {
			a.Username, a.Groups = "system-manager", []string{"system:masters"}
		}},
		{
			name: "username", edit: func(a *AwsAuthRoleMappingArgs) { a.Username = "concurrent" },
			want: map[string]p.PropertyDiff{"username": update},
		},
		{
			name: "groups", edit: func(a *AwsAuthRoleMappingArgs) { a.Groups = []string{"ops"} },
			want: map[string]p.PropertyDiff{"groups": update},
		},
		{
			name: "roleArn and kubeconfig", edit: func(a *AwsAuthRoleMappingArgs) { a.RoleArn += "-2"; a.Kubeconfig = "other" },
			want: map[string]p.PropertyDiff{"roleArn": update, "kubeconfig": update},
		},
		{
			name: "another entry in force", state: drifted, edit: func(*AwsAuthRoleMappingArgs) {},
			want: map[string]p.PropertyDiff{"username": update},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := args(oursARN)
			tt.edit(&in)
			state := st
			if tt.state.Rolearn != "" {
				state = tt.state
			}
			got, err := AwsAuthRoleMapping{}.Diff(context.Background(), infer.DiffRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
				ID: oursARN, State: state, Inputs: in,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.HasChanges != (len(tt.want) > 0) || len(got.DetailedDiff) != len(tt.want) ||
				len(tt.want) > 0 && !reflect.DeepEqual(got.DetailedDiff, tt.want) || got.DeleteBeforeReplace {
				t.Errorf("Diff = %#v, want changes %v", got, tt.want)
			}
		})
	}
}

// In a preview nothing is read or written, and roleArn may be unknown.
func TestPreviewDoesNotTouchTheCluster(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	ctx := context.Background()
	cr, err := c.res.Create(ctx, infer.CreateRequest[AwsAuthRoleMappingArgs]{
		Name: "access", Inputs: args("arn:aws:iam::111122223333:role/p/concurrent-access"), DryRun: true,
	})
	if err != nil || cr.Output.Rolearn != oursARN || cr.Output.Username != "system-manager" {
		t.Errorf("preview Create = %#v, %v", cr, err)
	}
	if _, err := c.res.Create(ctx, infer.CreateRequest[AwsAuthRoleMappingArgs]{
		Name: "access", Inputs: args(""), DryRun: true,
	}); err != nil {
		t.Errorf("preview Create with unknown roleArn: %v", err)
	}
	_, err = c.res.Update(ctx, infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		State: stateOf(args(oursARN)), Inputs: args(oursARN + "-2"), DryRun: true,
	})
	if err != nil {
		t.Error(err)
	}
	if len(c.kubeconfigs) != 0 || len(c.cs.Actions()) != 0 {
		t.Errorf("preview used the cluster: %v", c.cs.Actions())
	}
}
