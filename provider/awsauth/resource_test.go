package awsauth

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

var cmGVR = schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}

// cluster is a fake API server holding kube-system/aws-auth. The fake
// clientset's tracker does not check resourceVersion on update (see
// TestFakeTrackerIgnoresResourceVersion), so the reactors below do, as the
// API server does: an update carrying another resourceVersion than the
// stored one is a Conflict, an empty one is unconditional.
type cluster struct {
	t  *testing.T
	cs *fake.Clientset
	rv int

	updates, creates int // write attempts that reached the reactors

	conflicts     int    // updates to fail with Conflict before any check
	beforeUpdate  func() // runs once, before the first update is checked
	beforeCreate  func() // runs once, before the first create is checked
	forbidWrites  bool   // fail the test on any write
	lastWrittenCM *corev1.ConfigMap
}

func newCluster(t *testing.T, data map[string]string) *cluster {
	t.Helper()
	c := &cluster{t: t, cs: fake.NewSimpleClientset()}
	if data != nil {
		c.put(data)
	}
	c.cs.PrependReactor("update", "configmaps", c.onUpdate)
	c.cs.PrependReactor("create", "configmaps", c.onCreate)

	prevClient, prevBackoff := newClient, writeBackoff
	newClient = func(kubeconfig string) (kubernetes.Interface, error) {
		if kubeconfig != "kubeconfig" {
			return nil, errors.New("unexpected kubeconfig " + strconv.Quote(kubeconfig))
		}
		return c.cs, nil
	}
	writeBackoff = wait.Backoff{Steps: 5, Duration: time.Millisecond, Factor: 1}
	t.Cleanup(func() { newClient, writeBackoff = prevClient, prevBackoff })
	return c
}

// put stores aws-auth directly in the tracker, as another writer would.
func (c *cluster) put(data map[string]string) {
	c.t.Helper()
	c.rv++
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: AuthName, Namespace: AuthNamespace, ResourceVersion: strconv.Itoa(c.rv)},
		Data:       data,
	}
	err := c.cs.Tracker().Update(cmGVR, cm, AuthNamespace)
	if apierrors.IsNotFound(err) {
		err = c.cs.Tracker().Create(cmGVR, cm, AuthNamespace)
	}
	if err != nil {
		c.t.Fatalf("storing aws-auth: %v", err)
	}
}

// stored returns aws-auth as stored, or nil.
func (c *cluster) stored() *corev1.ConfigMap {
	c.t.Helper()
	obj, err := c.cs.Tracker().Get(cmGVR, AuthNamespace, AuthName)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		c.t.Fatal(err)
	}
	return obj.(*corev1.ConfigMap)
}

func (c *cluster) onUpdate(action k8stesting.Action) (bool, runtime.Object, error) {
	c.updates++
	if c.forbidWrites {
		c.t.Errorf("unexpected update of aws-auth")
	}
	cm := action.(k8stesting.UpdateAction).GetObject().(*corev1.ConfigMap).DeepCopy()
	if c.conflicts > 0 {
		c.conflicts--
		return true, nil, apierrors.NewConflict(cmGVR.GroupResource(), cm.Name, errors.New("injected"))
	}
	if f := c.beforeUpdate; f != nil {
		c.beforeUpdate = nil
		f()
	}
	cur := c.stored()
	if cur == nil {
		return true, nil, apierrors.NewNotFound(cmGVR.GroupResource(), cm.Name)
	}
	if cm.ResourceVersion != "" && cm.ResourceVersion != cur.ResourceVersion {
		return true, nil, apierrors.NewConflict(cmGVR.GroupResource(), cm.Name,
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	c.rv++
	cm.ResourceVersion = strconv.Itoa(c.rv)
	c.lastWrittenCM = cm
	return true, cm, c.cs.Tracker().Update(cmGVR, cm, cm.Namespace)
}

func (c *cluster) onCreate(action k8stesting.Action) (bool, runtime.Object, error) {
	c.creates++
	if c.forbidWrites {
		c.t.Errorf("unexpected create of aws-auth")
	}
	cm := action.(k8stesting.CreateAction).GetObject().(*corev1.ConfigMap).DeepCopy()
	if f := c.beforeCreate; f != nil {
		c.beforeCreate = nil
		f()
	}
	if c.stored() != nil {
		return true, nil, apierrors.NewAlreadyExists(cmGVR.GroupResource(), cm.Name)
	}
	c.rv++
	cm.ResourceVersion = strconv.Itoa(c.rv)
	c.lastWrittenCM = cm
	return true, cm, c.cs.Tracker().Create(cmGVR, cm, cm.Namespace)
}

// roles decodes the stored mapRoles.
func (c *cluster) roles() []any {
	c.t.Helper()
	cm := c.stored()
	if cm == nil {
		c.t.Fatal("aws-auth is missing")
	}
	return decodeList(c.t, cm.Data[MapRolesKey])
}

func (c *cluster) assertRoles(want ...any) {
	c.t.Helper()
	if got := c.roles(); !reflect.DeepEqual(got, want) {
		c.t.Errorf("mapRoles =\n%#v\nwant\n%#v\nstored:\n%s", got, want, c.stored().Data[MapRolesKey])
	}
}

func (c *cluster) assertOtherKeys() {
	c.t.Helper()
	got := c.stored().Data
	for k, v := range otherKeys {
		if got[k] != v {
			c.t.Errorf("data[%q] = %q, want it untouched %q", k, got[k], v)
		}
	}
}

func args(roleArn string) AwsAuthRoleMappingArgs {
	return AwsAuthRoleMappingArgs{Kubeconfig: "kubeconfig", RoleArn: roleArn}
}

// stateOf is the state Create returns for args, defaults applied.
func stateOf(a AwsAuthRoleMappingArgs) AwsAuthRoleMappingState {
	a = a.withDefaults()
	rolearn, _ := RoleARNWithoutPath(a.RoleArn)
	return AwsAuthRoleMappingState{AwsAuthRoleMappingArgs: a, Rolearn: rolearn}
}

func create(t *testing.T, a AwsAuthRoleMappingArgs) (infer.CreateResponse[AwsAuthRoleMappingState], error) {
	t.Helper()
	return AwsAuthRoleMapping{}.Create(context.Background(), infer.CreateRequest[AwsAuthRoleMappingArgs]{Name: "access", Inputs: a})
}

func update(t *testing.T, old AwsAuthRoleMappingState, a AwsAuthRoleMappingArgs) (infer.UpdateResponse[AwsAuthRoleMappingState], error) {
	t.Helper()
	return AwsAuthRoleMapping{}.Update(context.Background(), infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		ID: old.Rolearn, State: old, Inputs: a,
	})
}

func TestFakeTrackerIgnoresResourceVersion(t *testing.T) {
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
// after the node role, and nothing else changes.
func TestCreateAddsOnlyOurEntry(t *testing.T) {
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	in := args("arn:aws:iam::111122223333:role/concurrent/concurrent-access")
	resp, err := create(t, in)
	if err != nil {
		t.Fatal(err)
	}
	want := stateOf(in)
	if resp.ID != oursARN || !reflect.DeepEqual(resp.Output, want) || want.Rolearn != oursARN {
		t.Errorf("Create = %q %#v, want %q %#v", resp.ID, resp.Output, oursARN, want)
	}
	c.assertRoles(nodeEntry, oursEntry)
	c.assertOtherKeys()
	assertForeignKept(t, eksctlShape, c.stored().Data[MapRolesKey], oursARN)
	if c.updates != 1 || c.creates != 0 {
		t.Errorf("updates, creates = %d, %d; want 1, 0", c.updates, c.creates)
	}
}

func TestCreateRetriesConflicts(t *testing.T) {
	c := newCluster(t, dataWith(ptr(consoleShape)))
	c.conflicts = 3
	if _, err := create(t, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.updates != 4 {
		t.Errorf("updates = %d, want 3 conflicts then 1 success", c.updates)
	}
	c.assertRoles(winNodeEntry, fargateEntry, oursEntry)
}

func TestCreateGivesUpAfterRepeatedConflicts(t *testing.T) {
	c := newCluster(t, dataWith(ptr(consoleShape)))
	c.conflicts = 100
	_, err := create(t, args(oursARN))
	if !apierrors.IsConflict(err) || !strings.HasPrefix(err.Error(), "kube-system/aws-auth: ") {
		t.Fatalf("error = %v, want a Conflict naming kube-system/aws-auth", err)
	}
}

// A node group adds its role between our get and our update: our update
// carries the stale resourceVersion, conflicts, and the retry keeps the
// node role.
func TestCreateKeepsAConcurrentWrite(t *testing.T) {
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	withFargate := eksctlShape + "- rolearn: " + fargateARN + "\n  username: system:node:{{SessionName}}\n" +
		"  groups: [system:bootstrappers, system:nodes, system:node-proxier]\n"
	c.beforeUpdate = func() { c.put(dataWith(&withFargate)) }
	if _, err := create(t, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.updates != 2 {
		t.Errorf("updates = %d, want a conflict then a success", c.updates)
	}
	c.assertRoles(nodeEntry, fargateEntry, oursEntry)
	c.assertOtherKeys()
}

func TestCreateMissingConfigMap(t *testing.T) {
	c := newCluster(t, nil)
	if _, err := create(t, args(oursARN)); err != nil {
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
	c := newCluster(t, nil)
	c.beforeCreate = func() { c.put(dataWith(ptr(eksctlShape))) }
	if _, err := create(t, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	if c.creates != 1 || c.updates != 1 {
		t.Errorf("creates, updates = %d, %d; want 1 (AlreadyExists), 1", c.creates, c.updates)
	}
	c.assertRoles(nodeEntry, oursEntry)
	c.assertOtherKeys()
}

func TestCreateReplacesExistingEntryOfOurRole(t *testing.T) {
	c := newCluster(t, dataWith(ptr(oursDuplicated)))
	if _, err := create(t, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	c.assertRoles(oursEntry, nodeEntry)
}

// A second apply with nothing to change writes nothing.
func TestCreateAndUpdateWithoutChangeDoNotWrite(t *testing.T) {
	c := newCluster(t, dataWith(ptr(oursSame)))
	c.forbidWrites = true
	in := args(oursARN)
	if _, err := create(t, in); err != nil {
		t.Fatal(err)
	}
	if _, err := update(t, stateOf(in), in); err != nil {
		t.Fatal(err)
	}
	if c.updates+c.creates != 0 {
		t.Errorf("updates, creates = %d, %d; want none", c.updates, c.creates)
	}
	if got := c.stored().Data[MapRolesKey]; got != oursSame {
		t.Errorf("mapRoles changed:\n%s", got)
	}
}

func TestUpdateReplacesOnlyOurEntry(t *testing.T) {
	c := newCluster(t, dataWith(ptr(oursDifferent)))
	old := stateOf(args(oursARN))
	in := args(oursARN)
	in.Username, in.Groups = "concurrent", []string{"system:masters", "ops"}
	resp, err := update(t, old, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := stateOf(in); !reflect.DeepEqual(resp.Output, want) {
		t.Errorf("Update = %#v, want %#v", resp.Output, want)
	}
	c.assertRoles(entry(oursARN, "concurrent", "system:masters", "ops"), fargateEntry)
	c.assertOtherKeys()
	if c.updates != 1 {
		t.Errorf("updates = %d, want 1", c.updates)
	}
}

// roleArn changes: the old rolearn's entry goes, the new one comes, in one
// write; foreign entries stay.
func TestUpdateMovesEntryToNewRole(t *testing.T) {
	c := newCluster(t, dataWith(ptr(oursSame)))
	old := stateOf(args(oursARN))
	newARN := "arn:aws:iam::111122223333:role/concurrent-access-2"
	if _, err := update(t, old, args("arn:aws:iam::111122223333:role/team/concurrent-access-2")); err != nil {
		t.Fatal(err)
	}
	c.assertRoles(fargateEntry, entry(newARN, "system-manager", "system:masters"))
	if c.updates != 1 {
		t.Errorf("updates = %d, want 1", c.updates)
	}
}

func TestDeleteRemovesOnlyOurEntry(t *testing.T) {
	c := newCluster(t, dataWith(ptr(oursDuplicated)))
	_, err := AwsAuthRoleMapping{}.Delete(context.Background(), infer.DeleteRequest[AwsAuthRoleMappingState]{
		ID: oursARN, State: stateOf(args(oursARN)),
	})
	if err != nil {
		t.Fatal(err)
	}
	c.assertRoles(nodeEntry)
	c.assertOtherKeys()
	assertForeignKept(t, oursDuplicated, c.stored().Data[MapRolesKey], oursARN)
}

func TestDeleteWhenAlreadyGone(t *testing.T) {
	for name, data := range map[string]map[string]string{
		"configmap missing": nil,
		"entry missing":     dataWith(ptr(consoleShape)),
	} {
		t.Run(name, func(t *testing.T) {
			c := newCluster(t, data)
			c.forbidWrites = true
			_, err := AwsAuthRoleMapping{}.Delete(context.Background(), infer.DeleteRequest[AwsAuthRoleMappingState]{
				ID: oursARN, State: stateOf(args(oursARN)),
			})
			if err != nil {
				t.Fatal(err)
			}
			if data == nil && c.stored() != nil {
				t.Error("Delete created aws-auth")
			}
		})
	}
}

func read(t *testing.T, st AwsAuthRoleMappingState) infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState] {
	t.Helper()
	resp, err := AwsAuthRoleMapping{}.Read(context.Background(), infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		ID: st.Rolearn, Inputs: st.AwsAuthRoleMappingArgs, State: st,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestReadReportsEntryAsFound(t *testing.T) {
	st := stateOf(args(oursARN))
	t.Run("unchanged", func(t *testing.T) {
		newCluster(t, dataWith(ptr(oursSame)))
		resp := read(t, st)
		if resp.ID != oursARN || !reflect.DeepEqual(resp.State, st) || !reflect.DeepEqual(resp.Inputs, st.AwsAuthRoleMappingArgs) {
			t.Errorf("Read = %#v, want the state unchanged", resp)
		}
	})
	t.Run("changed by hand", func(t *testing.T) {
		newCluster(t, dataWith(ptr(oursDifferent)))
		resp := read(t, st)
		want := st
		want.Username, want.Groups = oursARN, []string{"system:masters", "extra"}
		if resp.ID != oursARN || !reflect.DeepEqual(resp.State, want) || !reflect.DeepEqual(resp.Inputs, want.AwsAuthRoleMappingArgs) {
			t.Errorf("Read = %#v, want %#v", resp, want)
		}
	})
	t.Run("entry removed", func(t *testing.T) {
		newCluster(t, dataWith(ptr(consoleShape)))
		if resp := read(t, st); resp.ID != "" {
			t.Errorf("Read ID = %q, want empty (gone)", resp.ID)
		}
	})
	t.Run("configmap removed", func(t *testing.T) {
		newCluster(t, nil)
		if resp := read(t, st); resp.ID != "" {
			t.Errorf("Read ID = %q, want empty (gone)", resp.ID)
		}
	})
	t.Run("unparseable mapRoles is an error", func(t *testing.T) {
		newCluster(t, map[string]string{MapRolesKey: "rolearn: x\n"})
		_, err := AwsAuthRoleMapping{}.Read(context.Background(), infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
			ID: oursARN, State: st,
		})
		if err == nil || !strings.Contains(err.Error(), "must be a list") {
			t.Errorf("error = %v", err)
		}
	})
}

func TestDiff(t *testing.T) {
	st := stateOf(args(oursARN))
	tests := []struct {
		name string
		edit func(*AwsAuthRoleMappingArgs)
		want map[string]p.PropertyDiff
	}{
		{name: "no change, defaults unset", edit: func(*AwsAuthRoleMappingArgs) {}},
		{name: "kubeconfig rotated", edit: func(a *AwsAuthRoleMappingArgs) { a.Kubeconfig = "other" }},
		{name: "defaults spelled out", edit: func(a *AwsAuthRoleMappingArgs) {
			a.Username, a.Groups = "system-manager", []string{"system:masters"}
		}},
		{
			name: "username", edit: func(a *AwsAuthRoleMappingArgs) { a.Username = "concurrent" },
			want: map[string]p.PropertyDiff{"username": {Kind: p.Update, InputDiff: true}},
		},
		{
			name: "groups", edit: func(a *AwsAuthRoleMappingArgs) { a.Groups = []string{"ops"} },
			want: map[string]p.PropertyDiff{"groups": {Kind: p.Update, InputDiff: true}},
		},
		{
			name: "roleArn and kubeconfig", edit: func(a *AwsAuthRoleMappingArgs) { a.RoleArn += "-2"; a.Kubeconfig = "other" },
			want: map[string]p.PropertyDiff{"roleArn": {Kind: p.Update, InputDiff: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := args(oursARN)
			tt.edit(&in)
			got, err := AwsAuthRoleMapping{}.Diff(context.Background(), infer.DiffRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
				ID: oursARN, State: st, Inputs: in,
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
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	called := false
	newClient = func(string) (kubernetes.Interface, error) { called = true; return c.cs, nil }
	ctx := context.Background()
	cr, err := AwsAuthRoleMapping{}.Create(ctx, infer.CreateRequest[AwsAuthRoleMappingArgs]{
		Name: "access", Inputs: args("arn:aws:iam::111122223333:role/p/concurrent-access"), DryRun: true,
	})
	if err != nil || cr.Output.Rolearn != oursARN || cr.Output.Username != "system-manager" {
		t.Errorf("preview Create = %#v, %v", cr, err)
	}
	if _, err := (AwsAuthRoleMapping{}).Create(ctx, infer.CreateRequest[AwsAuthRoleMappingArgs]{
		Name: "access", Inputs: args(""), DryRun: true,
	}); err != nil {
		t.Errorf("preview Create with unknown roleArn: %v", err)
	}
	_, err = AwsAuthRoleMapping{}.Update(ctx, infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		State: stateOf(args(oursARN)), Inputs: args(oursARN + "-2"), DryRun: true,
	})
	if err != nil {
		t.Error(err)
	}
	if called || len(c.cs.Actions()) != 0 {
		t.Errorf("preview used the cluster: %v", c.cs.Actions())
	}
}

// The schema: token, descriptions for users, secret kubeconfig, defaults;
// and infer's own Check applies the username default (but the list default
// can only be applied in code, see withDefaults).
func TestSchemaAndCheck(t *testing.T) {
	r := infer.Resource(AwsAuthRoleMapping{})
	tk, err := r.GetToken()
	if err != nil || !strings.HasSuffix(string(tk), ":index:AwsAuthRoleMapping") {
		t.Errorf("token = %q, %v", tk, err)
	}
	spec, err := r.GetSchema(func(tokens.Type, pschema.ComplexTypeSpec) bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(spec.Description, "exactly one entry") || !strings.Contains(spec.Description, "never rewrites") ||
		!strings.Contains(spec.Description, "on its own") {
		t.Errorf("description = %q", spec.Description)
	}
	for name, prop := range spec.InputProperties {
		if prop.Description == "" {
			t.Errorf("input %q has no description", name)
		}
	}
	for name, prop := range spec.Properties {
		if prop.Description == "" {
			t.Errorf("output %q has no description", name)
		}
	}
	if want := []string{"kubeconfig", "roleArn"}; !reflect.DeepEqual(spec.RequiredInputs, want) {
		t.Errorf("required inputs = %v, want %v", spec.RequiredInputs, want)
	}
	if !spec.InputProperties["kubeconfig"].Secret || !spec.Properties["kubeconfig"].Secret {
		t.Error("kubeconfig is not secret")
	}
	if _, ok := spec.Properties["rolearn"]; !ok {
		t.Error("no rolearn output")
	}
	if d := spec.InputProperties["username"].Default; d != "system-manager" {
		t.Errorf("username default = %v", d)
	}

	checked, err := r.Check(context.Background(), p.CheckRequest{
		Urn: presource.URN("urn:pulumi:dev::proj::concurrent:index:AwsAuthRoleMapping::access"),
		Inputs: property.NewMap(map[string]property.Value{
			"kubeconfig": property.New("kubeconfig"),
			"roleArn":    property.New(oursARN),
		}),
	})
	if err != nil || len(checked.Failures) != 0 {
		t.Fatalf("Check = %v, %v", checked.Failures, err)
	}
	if u := checked.Inputs.Get("username"); u.AsString() != "system-manager" {
		t.Errorf("checked username = %v, want the default", u)
	}
	if !checked.Inputs.Get("kubeconfig").Secret() {
		t.Error("checked kubeconfig is not secret")
	}
}
