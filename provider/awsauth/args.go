package awsauth

import (
	"slices"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// DefaultUsername is the Kubernetes username the role maps to unless told
// otherwise: the identity Concurrent's documentation names.
const DefaultUsername = "system-manager"

// DefaultGroups returns the groups the role maps to unless told otherwise:
// cluster-admin, as Concurrent's runbook grants.
func DefaultGroups() []string { return []string{"system:masters"} }

// AwsAuthRoleMappingArgs are the resource's inputs.
type AwsAuthRoleMappingArgs struct {
	Kubeconfig string   `pulumi:"kubeconfig" provider:"secret"`
	RoleArn    string   `pulumi:"roleArn"`
	Username   string   `pulumi:"username,optional"`
	Groups     []string `pulumi:"groups,optional"`
}

// AwsAuthRoleMappingState is the resource's state: its inputs, defaults
// applied (username and groups: the entry in force, after a refresh), and
// the entry it added and owns.
type AwsAuthRoleMappingState struct {
	AwsAuthRoleMappingArgs
	Rolearn       string   `pulumi:"rolearn"`
	OwnedUsername string   `pulumi:"ownedUsername"`
	OwnedGroups   []string `pulumi:"ownedGroups"`
}

// Annotate describes the resource.
func (r *AwsAuthRoleMapping) Annotate(a infer.Annotator) {
	a.SetToken("index", "AwsAuthRoleMapping")
	a.Describe(r, "Adds exactly one entry to the `mapRoles` of the `kube-system/aws-auth` ConfigMap of an EKS "+
		"cluster and never rewrites the rest: node roles, Fargate pod execution roles, other admins, `mapUsers`, "+
		"`mapAccounts` and any other key are left as they are, byte for byte. The ConfigMap is read, the entry is "+
		"appended after the others (so it is the one in force: aws-iam-authenticator uses the last entry for a "+
		"role), and it is written back with the version read, retrying when someone else wrote in between. An "+
		"entry for the same role that was there before (the runbook's `patch-aws-auth.sh` writes one) is left "+
		"alone and is in force again after delete; two resources mapping one role each own their own entry. "+
		"Deleting the resource removes only its entry. A refresh reports the entry in force and warns when "+
		"another entry for the role shadows ours or is shadowed by it. If the ConfigMap does not exist it is "+
		"created with this entry alone.\n\n"+
		"Usable on its own, without ConcurrentEksSetup, for any role that needs cluster access through aws-auth.")
}

// Annotate describes the inputs.
func (a *AwsAuthRoleMappingArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Kubeconfig, "Kubeconfig of the cluster, as a YAML or JSON string, with rights to get, "+
		"create and update the `kube-system/aws-auth` ConfigMap. Exec credential plugins such as "+
		"`aws eks get-token` work. A change to it alone (rotated credentials) is an update that stores it and "+
		"writes nothing to the cluster; refresh and delete use the stored one.")
	an.Describe(&a.RoleArn, "ARN of the IAM role to map. An IAM path is allowed: the entry is written with "+
		"the ARN without its path, as aws-auth requires (see `rolearn`). Changing it moves the entry to the "+
		"new role.")
	an.Describe(&a.Username, "Kubernetes username the role maps to. Defaults to `system-manager`, the "+
		"identity Concurrent's documentation names.")
	an.SetDefault(&a.Username, DefaultUsername)
	an.Describe(&a.Groups, "Kubernetes groups the role maps to. Defaults to `[\"system:masters\"]` when unset "+
		"or empty, the cluster-admin access Concurrent's runbook grants.")
}

// Annotate describes the outputs that are not inputs.
func (s *AwsAuthRoleMappingState) Annotate(a infer.Annotator) {
	a.Describe(&s.Rolearn, "The `rolearn` of the mapRoles entry: `roleArn` without its IAM path "+
		"(arn:aws:iam::123456789012:role/name). After a refresh, `username` and `groups` hold the entry in "+
		"force for it in the cluster.")
	a.Describe(&s.OwnedUsername, "The username of the entry this resource added, which its delete removes.")
	a.Describe(&s.OwnedGroups, "The groups of the entry this resource added, which its delete removes.")
}

// withDefaults applies the defaults. infer applies the username default in
// its Check (SetDefault), but a list default cannot be expressed there, and
// Diff, Create and Update must not depend on Check having run.
func (a AwsAuthRoleMappingArgs) withDefaults() AwsAuthRoleMappingArgs {
	if a.Username == "" {
		a.Username = DefaultUsername
	}
	if len(a.Groups) == 0 {
		a.Groups = DefaultGroups()
	} else {
		a.Groups = slices.Clone(a.Groups)
	}
	return a
}

// rolearn returns the rolearn the state wrote.
func (s AwsAuthRoleMappingState) rolearn(id string) string {
	if s.Rolearn != "" {
		return s.Rolearn
	}
	if r, err := RoleARNWithoutPath(s.RoleArn); err == nil {
		return r
	}
	r, _ := RoleARNWithoutPath(id)
	return r
}

// owned returns the entry this resource added.
func (s AwsAuthRoleMappingState) owned(id string) RoleMapping {
	r := RoleMapping{RoleARN: s.rolearn(id), Username: s.OwnedUsername, Groups: s.OwnedGroups}
	if r.Username == "" {
		// A state written before ownership was recorded (0.1.0, never
		// released): what it wrote is its username and groups.
		r.Username, r.Groups = s.Username, s.Groups
	}
	return r
}

// reported returns the entry the state last saw in force.
func (s AwsAuthRoleMappingState) reported(id string) RoleMapping {
	return RoleMapping{RoleARN: s.rolearn(id), Username: s.Username, Groups: s.Groups}
}
