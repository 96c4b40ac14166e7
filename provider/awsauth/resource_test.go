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

	kubeconfigs []string // every kubeconfig a client was built from
	warnings    []string // what the resource told the user

	// res is the resource under test, wired to this cluster.
	res AwsAuthRoleMapping
}

func newCluster(t *testing.T, data map[string]string) *cluster {
	t.Helper()
	c := &cluster{t: t, cs: fake.NewSimpleClientset()}
	if data != nil {
		c.put(data)
	}
	c.cs.PrependReactor("update", "configmaps", c.onUpdate)
	c.cs.PrependReactor("create", "configmaps", c.onCreate)
	c.res = AwsAuthRoleMapping{
		connect: func(kubeconfig string) (kubernetes.Interface, error) {
			c.kubeconfigs = append(c.kubeconfigs, kubeconfig)
			if !strings.HasPrefix(kubeconfig, "kubeconfig") {
				return nil, errors.New("unexpected kubeconfig " + strconv.Quote(kubeconfig))
			}
			return c.cs, nil
		},
		backoff: &wait.Backoff{Steps: 5, Duration: time.Millisecond, Factor: 1},
		warn:    func(_ context.Context, msg string) { c.warnings = append(c.warnings, msg) },
	}
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

// The schema: token, descriptions for users, secret kubeconfig, defaults;
// and infer's own Check applies the username default (but the list default
// can only be applied in code, see withDefaults).
func TestSchemaAndCheck(t *testing.T) {
	t.Parallel()
	r := infer.Resource(AwsAuthRoleMapping{})
	tk, err := r.GetToken()
	if err != nil || !strings.HasSuffix(string(tk), strings.TrimPrefix(Token, "concurrent")) {
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
