package awsauth

import (
	"maps"
)

const (
	// AuthNamespace and AuthName name the ConfigMap aws-iam-authenticator
	// reads on EKS.
	AuthNamespace = "kube-system"
	AuthName      = "aws-auth"
	// MapRolesKey is the data key holding the role mappings.
	MapRolesKey = "mapRoles"
)

// AuthMap owns one edit of the aws-auth ConfigMap data, in the manner of
// eksctl's pkg/authconfigmap: load, add or remove one role, save. Only the
// mapRoles key is ever rewritten, and only when an entry changed; every other
// key (mapUsers, mapAccounts, anything else) is returned as it was read.
type AuthMap struct {
	data    map[string]string
	roles   *MapRoles
	changed bool
}

// NewAuthMap parses the data of an aws-auth ConfigMap. A nil map or a missing
// mapRoles key means no role mappings yet.
func NewAuthMap(data map[string]string) (*AuthMap, error) {
	roles, err := ParseMapRoles(data[MapRolesKey])
	if err != nil {
		return nil, err
	}
	return &AuthMap{data: data, roles: roles}, nil
}

// Role returns the entry for rolearn as found (the first, if duplicated).
func (a *AuthMap) Role(rolearn string) (RoleMapping, bool, error) {
	return a.roles.Find(rolearn)
}

// HasRole reports whether r is present exactly once and as given.
func (a *AuthMap) HasRole(r RoleMapping) bool { return a.roles.Has(r) }

// SetRole adds or replaces the entry for r.RoleARN, collapsing duplicates.
func (a *AuthMap) SetRole(r RoleMapping) error {
	changed, err := a.roles.Set(r)
	a.changed = a.changed || changed
	return err
}

// RemoveRole removes every entry for rolearn; it is a no-op when none exists.
func (a *AuthMap) RemoveRole(rolearn string) error {
	changed, err := a.roles.Remove(rolearn)
	a.changed = a.changed || changed
	return err
}

// Changed reports whether an edit changed mapRoles, i.e. whether Data differs
// from what was read and there is something to write.
func (a *AuthMap) Changed() bool { return a.changed }

// Data returns the ConfigMap data to write: a copy of what was read with only
// mapRoles re-rendered, and only if it changed.
func (a *AuthMap) Data() (map[string]string, error) {
	out := maps.Clone(a.data)
	if out == nil {
		out = map[string]string{}
	}
	if !a.changed {
		return out, nil
	}
	s, err := a.roles.Render()
	if err != nil {
		return nil, err
	}
	out[MapRolesKey] = s
	return out, nil
}
