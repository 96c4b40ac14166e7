package awsauth

import (
	"context"
	"fmt"
	"maps"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/util/retry"
)

const (
	// AuthNamespace and AuthName name the ConfigMap aws-iam-authenticator
	// reads on EKS.
	AuthNamespace = "kube-system"
	AuthName      = "aws-auth"
	// MapRolesKey is the data key holding the role mappings.
	MapRolesKey = "mapRoles"
)

// AuthConfigMap owns one edit of kube-system/aws-auth, in the manner of
// eksctl's pkg/authconfigmap: load, add or remove one role, save. Only the
// mapRoles key is ever rewritten, and only when an entry changed; every other
// key (mapUsers, mapAccounts, anything else) is written back as it was read.
type AuthConfigMap struct {
	cm    *corev1.ConfigMap // as read; nil when it does not exist
	data  map[string]string
	roles *MapRoles
	read  string // mapRoles as read
}

// NewAuthConfigMap parses the data of an aws-auth ConfigMap. A nil map or a
// missing mapRoles key means no role mappings yet.
func NewAuthConfigMap(data map[string]string) (*AuthConfigMap, error) {
	roles, err := ParseMapRoles(data[MapRolesKey])
	if err != nil {
		return nil, err
	}
	return &AuthConfigMap{data: data, roles: roles, read: data[MapRolesKey]}, nil
}

// LoadAuthConfigMap reads aws-auth from the cluster. A missing ConfigMap
// loads as an empty one that Save creates.
func LoadAuthConfigMap(ctx context.Context, c kubernetes.Interface) (*AuthConfigMap, error) {
	cm, err := c.CoreV1().ConfigMaps(AuthNamespace).Get(ctx, AuthName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return NewAuthConfigMap(nil)
	}
	if err != nil {
		return nil, err
	}
	a, err := NewAuthConfigMap(cm.Data)
	if err != nil {
		return nil, err
	}
	a.cm = cm
	return a, nil
}

// Exists reports whether the ConfigMap existed when loaded.
func (a *AuthConfigMap) Exists() bool { return a.cm != nil }

// Roles returns the entries for rolearn aws-iam-authenticator matches, in
// order; the last is in force.
func (a *AuthConfigMap) Roles(rolearn string) []Found { return a.roles.ForRole(rolearn) }

// RolesWithPath returns the rolearns of entries naming rolearn's role with an
// IAM path, which never match.
func (a *AuthConfigMap) RolesWithPath(rolearn string) []string { return a.roles.WithPath(rolearn) }

// AddRole appends r; it is then in force for its role.
func (a *AuthConfigMap) AddRole(r RoleMapping) error { return a.roles.Add(r) }

// RemoveOwnedRole removes one entry equal to r; it is a no-op when none
// exists.
func (a *AuthConfigMap) RemoveOwnedRole(r RoleMapping) (bool, error) { return a.roles.RemoveOwned(r) }

// Changed reports whether an edit changed mapRoles, i.e. whether there is
// something to write.
func (a *AuthConfigMap) Changed() bool { return a.roles.text != a.read }

// Data returns the ConfigMap data to write: a copy of what was read with only
// mapRoles changed, and only if it changed.
func (a *AuthConfigMap) Data() map[string]string {
	out := maps.Clone(a.data)
	if out == nil {
		out = map[string]string{}
	}
	if a.Changed() {
		out[MapRolesKey] = a.roles.text
	}
	return out
}

// Save writes the edit, if any: an update carrying the resourceVersion read
// (so a write by someone else in between is a Conflict), or a create when
// the ConfigMap did not exist (AlreadyExists if someone created it since).
func (a *AuthConfigMap) Save(ctx context.Context, c kubernetes.Interface) error {
	if !a.Changed() {
		return nil
	}
	cms := c.CoreV1().ConfigMaps(AuthNamespace)
	if a.cm == nil {
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: AuthName, Namespace: AuthNamespace}, Data: a.Data()}
		_, err := cms.Create(ctx, cm, metav1.CreateOptions{})
		return err
	}
	next := a.cm.DeepCopy()
	next.Data = a.Data()
	_, err := cms.Update(ctx, next, metav1.UpdateOptions{})
	return err
}

// EditAuthConfigMap loads aws-auth, applies edit and saves it, starting over
// from a fresh read on a Conflict or an AlreadyExists, paced by backoff. A
// missing ConfigMap is created when create is set and left alone otherwise.
// It returns how many writes were retried.
func EditAuthConfigMap(ctx context.Context, c kubernetes.Interface, backoff wait.Backoff, create bool,
	edit func(*AuthConfigMap) error,
) (retried int, err error) {
	attempts := 0
	err = retry.OnError(backoff, func(err error) bool {
		return apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)
	}, func() error {
		attempts++
		a, err := LoadAuthConfigMap(ctx, c)
		if err != nil {
			return err
		}
		if !a.Exists() && !create {
			return nil
		}
		if err := edit(a); err != nil {
			return err
		}
		return a.Save(ctx, c)
	})
	if err != nil {
		return attempts - 1, fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	return attempts - 1, nil
}
