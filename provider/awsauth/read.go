package awsauth

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// Read reports the entry in force for our role (the last one, as
// aws-iam-authenticator takes it), so a changed entry or one shadowing ours
// shows as drift; it warns about every other entry for the role. When no
// entry for the role is left (or no ConfigMap), it returns an empty ID,
// which tells the engine the resource is gone.
func (r AwsAuthRoleMapping) Read(
	ctx context.Context, req infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState],
) (infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState], error) {
	type resp = infer.ReadResponse[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]
	state, inputs := req.State, req.Inputs
	owned := state.owned(req.ID)
	kubeconfig := state.Kubeconfig
	if kubeconfig == "" {
		kubeconfig = inputs.Kubeconfig
	}
	c, err := r.client(kubeconfig)
	if err != nil {
		return resp{}, err
	}
	a, err := LoadAuthConfigMap(ctx, c)
	if err != nil {
		return resp{}, fmt.Errorf("%s/%s: %w", AuthNamespace, AuthName, err)
	}
	for _, p := range a.RolesWithPath(owned.RoleARN) {
		r.warning(ctx, fmt.Sprintf("%s/%s: the entry for %s carries an IAM path and never matches: "+
			"aws-iam-authenticator compares rolearn with the caller's role ARN, which has no path", AuthNamespace, AuthName, p))
	}
	found := a.Roles(owned.RoleARN)
	if len(found) == 0 {
		return resp{}, nil
	}
	for _, msg := range shadowing(owned, found) {
		r.warning(ctx, fmt.Sprintf("%s/%s: %s", AuthNamespace, AuthName, msg))
	}
	inForce := found[len(found)-1]
	state.Rolearn = owned.RoleARN
	state.OwnedUsername, state.OwnedGroups = owned.Username, owned.Groups
	state.Username, state.Groups = inForce.Username, inForce.Groups
	inputs.Username, inputs.Groups = inForce.Username, inForce.Groups
	return resp{ID: req.ID, Inputs: inputs, State: state}, nil
}

// shadowing explains how the entries for our role relate to ours.
func shadowing(owned RoleMapping, found []Found) []string {
	inForce := found[len(found)-1]
	mine := -1
	for i, f := range found {
		if f.Equal(owned) {
			mine = i
		}
	}
	switch {
	case mine < 0:
		return []string{fmt.Sprintf("the entry this resource added for %s is gone; the entry in force maps it to %s; "+
			"the next update adds ours again", owned.RoleARN, describe(inForce.RoleMapping))}
	case !inForce.Equal(owned):
		return []string{fmt.Sprintf("our entry for %s is shadowed by a later entry that maps it to %s "+
			"(aws-iam-authenticator uses the last entry for a role); the next update puts ours last again",
			owned.RoleARN, describe(inForce.RoleMapping))}
	}
	var others []string
	for _, f := range found[:len(found)-1] {
		if !f.Equal(owned) {
			others = append(others, describe(f.RoleMapping))
		}
	}
	if len(others) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("our entry for %s shadows %d earlier entr%s (%s), in force again once it is deleted",
		owned.RoleARN, len(others), plural(len(others), "y", "ies"), strings.Join(others, "; "))}
}

func describe(r RoleMapping) string {
	return fmt.Sprintf("username %q, groups %q", r.Username, r.Groups)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
