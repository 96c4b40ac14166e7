package awsauth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/retry"
)

const (
	defaultUsername = "system-manager"
	defaultGroup    = "system:masters"
)

// AwsAuthRoleMapping is the custom resource concurrent:index:AwsAuthRoleMapping:
// one entry of kube-system/aws-auth mapRoles, edited in place.
type AwsAuthRoleMapping struct{}

// AwsAuthRoleMappingArgs are the resource's inputs.
type AwsAuthRoleMappingArgs struct {
	Kubeconfig string   `pulumi:"kubeconfig" provider:"secret"`
	RoleArn    string   `pulumi:"roleArn"`
	Username   string   `pulumi:"username,optional"`
	Groups     []string `pulumi:"groups,optional"`
}

// AwsAuthRoleMappingState is the resource's state: its inputs, defaults
// applied, and the rolearn written to mapRoles.
type AwsAuthRoleMappingState struct {
	AwsAuthRoleMappingArgs
	Rolearn string `pulumi:"rolearn"`
}

// Annotate describes the resource.
func (r *AwsAuthRoleMapping) Annotate(a infer.Annotator) {
	a.SetToken("index", "AwsAuthRoleMapping")
	a.Describe(r, "Adds exactly one entry to the `mapRoles` of the `kube-system/aws-auth` ConfigMap of an EKS "+
		"cluster and never rewrites the rest: node roles, Fargate pod execution roles, other admins, `mapUsers`, "+
		"`mapAccounts` and any other key are left as they are. The ConfigMap is read, only the entry for this "+
		"role is added or replaced, and it is written back with the version read, retrying when someone else "+
		"wrote in between; deleting the resource removes only this entry. A refresh reports an entry changed or "+
		"removed by hand. If the ConfigMap does not exist it is created with this entry alone.\n\n"+
		"Usable on its own, without ConcurrentEksSetup, for any role that needs cluster access through aws-auth.")
}

// Annotate describes the inputs.
func (a *AwsAuthRoleMappingArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Kubeconfig, "Kubeconfig of the cluster, as a YAML or JSON string, with rights to get, "+
		"create and update the `kube-system/aws-auth` ConfigMap. Exec credential plugins such as "+
		"`aws eks get-token` work. Changes to it alone (rotated credentials) do not update the resource.")
	an.Describe(&a.RoleArn, "ARN of the IAM role to map. An IAM path is allowed: the entry is written with "+
		"the ARN without its path, as aws-auth requires (see `rolearn`). Changing it moves the entry to the "+
		"new role.")
	an.Describe(&a.Username, "Kubernetes username the role maps to. Defaults to `system-manager`, the "+
		"identity Concurrent's documentation names.")
	an.SetDefault(&a.Username, defaultUsername)
	an.Describe(&a.Groups, "Kubernetes groups the role maps to. Defaults to `[\"system:masters\"]` when unset "+
		"or empty, the cluster-admin access Concurrent's runbook grants.")
}

// Annotate describes the outputs that are not inputs.
func (s *AwsAuthRoleMappingState) Annotate(a infer.Annotator) {
	a.Describe(&s.Rolearn, "The `rolearn` of the mapRoles entry: `roleArn` without its IAM path "+
		"(arn:aws:iam::123456789012:role/name). After a refresh, `username` and `groups` hold the entry as "+
		"found in the cluster.")
}

// withDefaults applies the defaults. infer applies the username default in
// its Check (SetDefault), but a list default cannot be expressed there, and
// Diff, Create and Update must not depend on Check having run.
func (a AwsAuthRoleMappingArgs) withDefaults() AwsAuthRoleMappingArgs {
	if a.Username == "" {
		a.Username = defaultUsername
	}
	if len(a.Groups) == 0 {
		a.Groups = []string{defaultGroup}
	} else {
		a.Groups = slices.Clone(a.Groups)
	}
	return a
}

// newClient builds a Kubernetes client from a kubeconfig; tests replace it.
var newClient = func(kubeconfig string) (kubernetes.Interface, error) {
	if kubeconfig == "" {
		return nil, errors.New("kubeconfig: must not be empty")
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	return kubernetes.NewForConfig(cfg)
}

// writeBackoff paces the retries when another writer updated aws-auth
// between our read and our write; tests shorten it.
var writeBackoff = wait.Backoff{Steps: 8, Duration: 50 * time.Millisecond, Factor: 2, Jitter: 0.2, Cap: 5 * time.Second}

// editAuthMap reads kube-system/aws-auth, applies edit and writes it back
// with the resourceVersion read, only when the edit changed something. A
// conflict (someone wrote in between) or an AlreadyExists (someone created it
// in between) starts over from a fresh read. When the ConfigMap is missing it
// is created from the edit applied to no data if create is set, and left
// alone otherwise.
func editAuthMap(ctx context.Context, c kubernetes.Interface, create bool, edit func(*AuthMap) error) error {
	cms := c.CoreV1().ConfigMaps(AuthNamespace)
	err := retry.OnError(writeBackoff, func(err error) bool {
		return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
	}, func() error {
		cm, err := cms.Get(ctx, AuthName, metav1.GetOptions{})
		missing := apierrors.IsNotFound(err)
		if missing {
			if !create {
				return nil
			}
			cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: AuthName, Namespace: AuthNamespace}}
		} else if err != nil {
			return err
		}
		a, err := NewAuthMap(cm.Data)
		if err != nil {
			return err
		}
		if err := edit(a); err != nil {
			return err
		}
		if !a.Changed() {
			return nil
		}
		data, err := a.Data()
		if err != nil {
			return err
		}
		next := cm.DeepCopy()
		next.Data = data
		if missing {
			_, err = cms.Create(ctx, next, metav1.CreateOptions{})
		} else {
			_, err = cms.Update(ctx, next, metav1.UpdateOptions{})
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	return nil
}

// mapping returns the entry the inputs ask for.
func (a AwsAuthRoleMappingArgs) mapping() (RoleMapping, error) {
	rolearn, err := RoleARNWithoutPath(a.RoleArn)
	if err != nil {
		return RoleMapping{}, err
	}
	return RoleMapping{RoleARN: rolearn, Username: a.Username, Groups: a.Groups}, nil
}

// Create adds the entry, or replaces an entry of the same rolearn.
func (AwsAuthRoleMapping) Create(
	ctx context.Context, req infer.CreateRequest[AwsAuthRoleMappingArgs],
) (infer.CreateResponse[AwsAuthRoleMappingState], error) {
	in := req.Inputs.withDefaults()
	state := AwsAuthRoleMappingState{AwsAuthRoleMappingArgs: in}
	if req.DryRun {
		// roleArn may not be known yet in a preview.
		state.Rolearn, _ = RoleARNWithoutPath(in.RoleArn)
		return infer.CreateResponse[AwsAuthRoleMappingState]{ID: state.Rolearn, Output: state}, nil
	}
	want, err := in.mapping()
	if err != nil {
		return infer.CreateResponse[AwsAuthRoleMappingState]{}, err
	}
	state.Rolearn = want.RoleARN
	c, err := newClient(in.Kubeconfig)
	if err != nil {
		return infer.CreateResponse[AwsAuthRoleMappingState]{}, err
	}
	if err := editAuthMap(ctx, c, true, func(a *AuthMap) error { return a.SetRole(want) }); err != nil {
		return infer.CreateResponse[AwsAuthRoleMappingState]{}, err
	}
	return infer.CreateResponse[AwsAuthRoleMappingState]{ID: want.RoleARN, Output: state}, nil
}

// Update replaces only our entry; when roleArn changed, it removes the entry
// of the old rolearn and adds the new one in the same write.
func (AwsAuthRoleMapping) Update(
	ctx context.Context, req infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.UpdateResponse[AwsAuthRoleMappingState], error) {
	in := req.Inputs.withDefaults()
	state := AwsAuthRoleMappingState{AwsAuthRoleMappingArgs: in}
	if req.DryRun {
		state.Rolearn, _ = RoleARNWithoutPath(in.RoleArn)
		return infer.UpdateResponse[AwsAuthRoleMappingState]{Output: state}, nil
	}
	want, err := in.mapping()
	if err != nil {
		return infer.UpdateResponse[AwsAuthRoleMappingState]{}, err
	}
	state.Rolearn = want.RoleARN
	c, err := newClient(in.Kubeconfig)
	if err != nil {
		return infer.UpdateResponse[AwsAuthRoleMappingState]{}, err
	}
	old := req.State.Rolearn
	err = editAuthMap(ctx, c, true, func(a *AuthMap) error {
		if old != "" && old != want.RoleARN {
			if err := a.RemoveRole(old); err != nil {
				return err
			}
		}
		return a.SetRole(want)
	})
	if err != nil {
		return infer.UpdateResponse[AwsAuthRoleMappingState]{}, err
	}
	return infer.UpdateResponse[AwsAuthRoleMappingState]{Output: state}, nil
}

// Delete removes only our entry. A ConfigMap or an entry already gone is
// success.
func (AwsAuthRoleMapping) Delete(
	ctx context.Context, req infer.DeleteRequest[AwsAuthRoleMappingState],
) (infer.DeleteResponse, error) {
	rolearn, err := req.State.rolearn(req.ID)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	c, err := newClient(req.State.Kubeconfig)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = editAuthMap(ctx, c, false, func(a *AuthMap) error { return a.RemoveRole(rolearn) })
	return infer.DeleteResponse{}, err
}

// rolearn returns the rolearn the state wrote.
func (s AwsAuthRoleMappingState) rolearn(id string) (string, error) {
	if s.Rolearn != "" {
		return s.Rolearn, nil
	}
	if s.RoleArn != "" {
		return RoleARNWithoutPath(s.RoleArn)
	}
	return RoleARNWithoutPath(id)
}

// Read returns the entry as found, so a changed entry shows as drift; a
// removed entry (or ConfigMap) returns an empty ID, which tells the engine
// the resource is gone.
func (AwsAuthRoleMapping) Read(
	ctx context.Context, req infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState], error) {
	type resp = infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]
	state, inputs := req.State, req.Inputs
	rolearn, err := state.rolearn(req.ID)
	if err != nil {
		return resp{}, err
	}
	kubeconfig := state.Kubeconfig
	if kubeconfig == "" {
		kubeconfig = inputs.Kubeconfig
	}
	c, err := newClient(kubeconfig)
	if err != nil {
		return resp{}, err
	}
	cm, err := c.CoreV1().ConfigMaps(AuthNamespace).Get(ctx, AuthName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return resp{}, nil
	}
	if err != nil {
		return resp{}, fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	a, err := NewAuthMap(cm.Data)
	if err != nil {
		return resp{}, fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	found, ok, err := a.Role(rolearn)
	if err != nil {
		return resp{}, fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	if !ok {
		return resp{}, nil
	}
	state.Rolearn = rolearn
	state.Username, state.Groups = found.Username, found.Groups
	inputs.Username, inputs.Groups = found.Username, found.Groups
	return resp{ID: req.ID, Inputs: inputs, State: state}, nil
}

// Diff reports changes of roleArn, username and groups as updates, never as
// replacements, and ignores kubeconfig. A replacement would create before
// delete: the new resource would write the entry, then the old one's Delete
// would remove the same rolearn's entry. kubeconfig holds credentials that
// rotate without the mapping changing.
func (AwsAuthRoleMapping) Diff(
	ctx context.Context, req infer.DiffRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.DiffResponse, error) {
	in, old := req.Inputs.withDefaults(), req.State
	diff := map[string]p.PropertyDiff{}
	if in.RoleArn != old.RoleArn {
		diff["roleArn"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	if in.Username != old.Username {
		diff["username"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	if !slices.Equal(in.Groups, old.Groups) {
		diff["groups"] = p.PropertyDiff{Kind: p.Update, InputDiff: true}
	}
	return infer.DiffResponse{HasChanges: len(diff) > 0, DetailedDiff: diff}, nil
}

var (
	_ infer.CustomResource[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState] = AwsAuthRoleMapping{}
	_ infer.CustomUpdate[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]   = AwsAuthRoleMapping{}
	_ infer.CustomDelete[AwsAuthRoleMappingState]                           = AwsAuthRoleMapping{}
	_ infer.CustomRead[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]     = AwsAuthRoleMapping{}
	_ infer.CustomDiff[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]     = AwsAuthRoleMapping{}
	_ infer.Annotated                                                       = (*AwsAuthRoleMapping)(nil)
)
