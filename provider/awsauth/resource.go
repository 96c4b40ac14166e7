package awsauth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// AwsAuthRoleMapping is the custom resource concurrent:index:AwsAuthRoleMapping:
// one entry of kube-system/aws-auth mapRoles, which it adds and owns.
//
// Ownership lives in state (ownedUsername, ownedGroups, rolearn), not in a
// marker key in the entry: aws-iam-authenticator would ignore such a key,
// but eksctl's AuthConfigMap re-renders mapRoles from typed identities
// (rolearn, username, groups) on every edit it makes and drops it, and
// terraform-aws-eks rewrites mapRoles whole. Equal entries grant the same
// access, so owning "one entry equal to ours" is enough: two stacks mapping
// one role each add and remove their own copy.
type AwsAuthRoleMapping struct {
	// connect builds the Kubernetes client from a kubeconfig; nil means
	// the real one. Tests inject a fake clientset.
	connect func(kubeconfig string) (kubernetes.Interface, error)
	// backoff paces the retries on conflicting writes; nil means
	// defaultBackoff.
	backoff *wait.Backoff
	// warn reports a warning to the user; nil means the engine's log.
	warn func(ctx context.Context, msg string)
}

// defaultBackoff: another writer (a node group, eksctl, a person) updated
// aws-auth between our read and our write. 16 tries over about 25 s: with
// four busy writers (the e2e test) 8 tries were not always enough.
var defaultBackoff = wait.Backoff{Steps: 16, Duration: 50 * time.Millisecond, Factor: 2, Jitter: 0.2, Cap: 2 * time.Second}

func (r AwsAuthRoleMapping) client(kubeconfig string) (kubernetes.Interface, error) {
	if r.connect != nil {
		return r.connect(kubeconfig)
	}
	if kubeconfig == "" {
		return nil, errors.New("kubeconfig: must not be empty")
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	return kubernetes.NewForConfig(cfg)
}

// edit runs one load-edit-save of aws-auth and tells the user how many
// conflicting writes it retried.
func (r AwsAuthRoleMapping) edit(ctx context.Context, c kubernetes.Interface, create bool, fn func(*AuthConfigMap) error) error {
	b := defaultBackoff
	if r.backoff != nil {
		b = *r.backoff
	}
	retried, err := EditAuthConfigMap(ctx, c, b, create, fn)
	if retried > 0 {
		p.GetLogger(ctx).Infof("%s/%s: retried %d time(s) after a conflicting write", AuthNamespace, AuthName, retried)
	}
	return err
}

func (r AwsAuthRoleMapping) warning(ctx context.Context, msg string) {
	if r.warn != nil {
		r.warn(ctx, msg)
		return
	}
	p.GetLogger(ctx).Warning(msg)
}

// mapping returns the entry the inputs ask for.
func (a AwsAuthRoleMappingArgs) mapping() (RoleMapping, error) {
	rolearn, err := RoleARNWithoutPath(a.RoleArn)
	if err != nil {
		return RoleMapping{}, err
	}
	return RoleMapping{RoleARN: rolearn, Username: a.Username, Groups: a.Groups}, nil
}

// stateFor is the state after writing want.
func stateFor(in AwsAuthRoleMappingArgs, want RoleMapping) AwsAuthRoleMappingState {
	return AwsAuthRoleMappingState{
		AwsAuthRoleMappingArgs: in, Rolearn: want.RoleARN,
		OwnedUsername: want.Username, OwnedGroups: slices.Clone(want.Groups),
	}
}

// Create appends our entry, after any entry already there for the role,
// which it leaves as it is.
func (r AwsAuthRoleMapping) Create(
	ctx context.Context, req infer.CreateRequest[AwsAuthRoleMappingArgs],
) (infer.CreateResponse[AwsAuthRoleMappingState], error) {
	type resp = infer.CreateResponse[AwsAuthRoleMappingState]
	in := req.Inputs.withDefaults()
	if req.DryRun {
		// roleArn may not be known yet in a preview.
		rolearn, _ := RoleARNWithoutPath(in.RoleArn)
		st := stateFor(in, RoleMapping{RoleARN: rolearn, Username: in.Username, Groups: in.Groups})
		return resp{ID: rolearn, Output: st}, nil
	}
	want, err := in.mapping()
	if err != nil {
		return resp{}, err
	}
	c, err := r.client(in.Kubeconfig)
	if err != nil {
		return resp{}, err
	}
	if err := r.edit(ctx, c, true, func(a *AuthConfigMap) error { return a.AddRole(want) }); err != nil {
		return resp{}, err
	}
	return resp{ID: want.RoleARN, Output: stateFor(in, want)}, nil
}

// Update replaces our entry. When only the kubeconfig changed it stores the
// new one and does not touch the cluster.
func (r AwsAuthRoleMapping) Update(
	ctx context.Context, req infer.UpdateRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.UpdateResponse[AwsAuthRoleMappingState], error) {
	type resp = infer.UpdateResponse[AwsAuthRoleMappingState]
	in := req.Inputs.withDefaults()
	if req.DryRun {
		rolearn, _ := RoleARNWithoutPath(in.RoleArn)
		return resp{Output: stateFor(in, RoleMapping{RoleARN: rolearn, Username: in.Username, Groups: in.Groups})}, nil
	}
	want, err := in.mapping()
	if err != nil {
		return resp{}, err
	}
	old, inForce := req.State.owned(req.ID), req.State.reported(req.ID)
	if old.Equal(want) && inForce.Equal(want) {
		// Rotated credentials: nothing to write. The client is built
		// (not used) so a kubeconfig that cannot work fails now.
		if _, err := r.client(in.Kubeconfig); err != nil {
			return resp{}, err
		}
		return resp{Output: stateFor(in, want)}, nil
	}
	c, err := r.client(in.Kubeconfig)
	if err != nil {
		return resp{}, err
	}
	err = r.edit(ctx, c, true, func(a *AuthConfigMap) error {
		removed, err := a.RemoveOwnedRole(old)
		if err != nil {
			return err
		}
		if !removed && !old.Equal(want) {
			// Ours is gone and want is in force: this very update wrote
			// it before the engine could record it (a killed engine or
			// plugin). Adding again would leave a copy nobody owns.
			if f := a.Roles(want.RoleARN); len(f) > 0 && f[len(f)-1].Equal(want) {
				return nil
			}
		}
		return a.AddRole(want)
	})
	if err != nil {
		return resp{}, err
	}
	pauseForTest(ctx, "update-written")
	return resp{Output: stateFor(in, want)}, nil
}

// Delete removes our entry only; an entry for the role that was there before
// us is in force again. A ConfigMap or an entry already gone is success.
func (r AwsAuthRoleMapping) Delete(
	ctx context.Context, req infer.DeleteRequest[AwsAuthRoleMappingState],
) (infer.DeleteResponse, error) {
	owned := req.State.owned(req.ID)
	if _, err := RoleARNWithoutPath(owned.RoleARN); err != nil {
		return infer.DeleteResponse{}, err
	}
	c, err := r.client(req.State.Kubeconfig)
	if err != nil {
		return infer.DeleteResponse{}, err
	}
	err = r.edit(ctx, c, false, func(a *AuthConfigMap) error {
		_, err := a.RemoveOwnedRole(owned)
		return err
	})
	return infer.DeleteResponse{}, err
}

// Diff reports every change as an update, never as a replacement: a
// replacement would create before delete, and the old resource's Delete
// would then run against the new one's entry. A changed kubeconfig is an
// update too, so delete and refresh use the current credentials; Update
// then writes nothing when the entry is unchanged.
func (AwsAuthRoleMapping) Diff(
	ctx context.Context, req infer.DiffRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.DiffResponse, error) {
	in, st := req.Inputs.withDefaults(), req.State
	owned := st.owned(req.ID)
	diff := map[string]p.PropertyDiff{}
	update := p.PropertyDiff{Kind: p.Update, InputDiff: true}
	if in.RoleArn != st.RoleArn {
		diff["roleArn"] = update
	}
	if in.Username != st.Username || in.Username != owned.Username {
		diff["username"] = update
	}
	if !slices.Equal(in.Groups, st.Groups) || !slices.Equal(in.Groups, owned.Groups) {
		diff["groups"] = update
	}
	if in.Kubeconfig != st.Kubeconfig {
		diff["kubeconfig"] = update
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
