package setup

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
)

// The rules on the inputs alone, in one table. They read the resolved config, and the raw
// args only to tell a field given from a field left to its default.
var staticRules = []rule[func(raw *ConcurrentEksSetupArgs, c *config, p *problems)]{
	{"cluster name", checkClusterName},
	{"Concurrent account", checkConcurrentAccount},
	{"external ID", checkExternalID},
	{"IAM role", checkRole},
	{"IAM permissions", checkPermissions},
	{"tags", checkTags},
	{"access", checkAccess},
	{"compute type", checkComputeType},
	{"node groups", checkNodeGroups},
	{"fargate", checkFargate},
	{"fargate network", checkFargateNetwork},
	{"namespaces", checkNamespaces},
	{"registration", checkRegistration},
	{"kubeconfig credentials", checkKubeconfigAuth},
}

var (
	// EKS CreateCluster: 1-100 characters, starting with a letter or digit.
	clusterNameRe = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)
	// IAM CreateRole / AssumeRole: ExternalId is 2-1224 characters of [\w+=,.@:/-].
	externalIDRe = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	// IAM role names: 1-64 characters of [\w+=,.@-]; paths: / or /.../ of printable ASCII, <= 512.
	roleNameRe  = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	rolePathRe  = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
	roleArnRe   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/([\x21-\x7E]*/)?[\w+=,.@-]{1,64}$`)
	policyArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$`)
)

func checkClusterName(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.clusterName == nil {
		p.add("clusterName", "is required")
		return
	}
	if v, ok := knownString(c.clusterName); ok && !clusterNameRe.MatchString(v) {
		p.add("clusterName", "%q is not an EKS cluster name (1-100 letters, digits, - and _, starting with a letter or digit)", v)
	}
}

func checkConcurrentAccount(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.concurrentAccountId == nil {
		p.add("concurrentAccountId", "is required (the 12-digit AWS account where the Concurrent service runs)")
		return
	}
	if v, ok := knownString(c.concurrentAccountId); ok && !inputs.IsAccountID(v) {
		p.add("concurrentAccountId", "%q is not a 12-digit AWS account id", v)
	}
}

func checkExternalID(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.externalId == nil {
		if c.roleArn != nil {
			p.add("externalId", "is required with roleArn: give the external ID the existing role's trust policy expects")
		}
		return
	}
	if v, ok := knownString(c.externalId); ok {
		p.addErrs(checkExternalIDValue(v))
	}
}

// checkExternalIDValue also runs inside the trust policy's apply, for an external ID that
// arrives as a secret (secrets are never known at construct time). The value is secret:
// never echo it.
func checkExternalIDValue(v string) error {
	if len(v) < 2 || len(v) > 1224 || !externalIDRe.MatchString(v) {
		return fmt.Errorf("externalId: must be 2 to 1224 characters of letters, digits and +=,.@:/-_ (got %d characters)", len(v))
	}
	return nil
}

// checkAccountIDValue is the account rule for a value not known at construct time.
func checkAccountIDValue(v string) error {
	if !inputs.IsAccountID(v) {
		return fmt.Errorf("concurrentAccountId: %q is not a 12-digit AWS account id", v)
	}
	return nil
}

func checkRole(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if c.roleArn != nil {
		if raw.RoleName != nil {
			p.add("roleName", "cannot be set with roleArn: no role is created when one is brought")
		}
		if raw.RolePath != nil {
			p.add("rolePath", "cannot be set with roleArn: no role is created when one is brought")
		}
		if c.permissionsBoundaryArn != nil {
			p.add("permissionsBoundaryArn", "cannot be set with roleArn: no role is created when one is brought")
		}
		if v, ok := knownString(c.roleArn); ok && !roleArnRe.MatchString(v) {
			p.add("roleArn", "%q is not an IAM role ARN (arn:<partition>:iam::<account>:role/<path><name>)", v)
		}
	}
	if raw.RoleName != nil && !roleNameRe.MatchString(*raw.RoleName) {
		p.add("roleName", "%q is not an IAM role name (1-64 letters, digits and +=,.@-_)", *raw.RoleName)
	}
	if !rolePathRe.MatchString(c.rolePath) || len(c.rolePath) > 512 {
		p.add("rolePath", "%q is not an IAM path (`/`, or `/` + printable ASCII + `/`, at most 512 characters)", c.rolePath)
	}
	if v, ok := knownString(c.permissionsBoundaryArn); ok && !policyArnRe.MatchString(v) {
		p.add("permissionsBoundaryArn", "%q is not an IAM policy ARN", v)
	}
}

// AWS tag limits: 50 tags, keys 1-128 characters not starting with aws:, values <= 256.
func checkTags(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	m, ok := c.tags.(pulumi.StringMap)
	if !ok {
		return
	}
	if len(m) > 50 {
		p.add("tags", "has %d tags; AWS allows at most 50", len(m))
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if len(k) == 0 || len(k) > 128 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			p.add("tags", "key %q must be 1-128 characters and not start with aws:", k)
		}
		if v, ok := knownString(m[k]); ok && len(v) > 256 {
			p.add("tags."+k, "value is %d characters; AWS allows at most 256", len(v))
		}
	}
}

// Access entries reject usernames with these prefixes (EKS CreateAccessEntry).
var reservedUsernamePrefixes = []string{"system:", "eks:", "aws:", "amazon:", "iam:"}

func checkAccess(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	a := c.access
	switch a.mode {
	case AccessAuto, AccessConfigMap, AccessAccessEntry:
	default:
		p.add("access.mode", "%q is not one of auto, configMap, accessEntry", a.mode)
	}
	if a.username == "" {
		p.add("access.username", "must not be empty")
	}
	if a.mode == AccessAccessEntry {
		checkAccessEntryUsername(a.username, p)
		if raw.Access != nil && raw.Access.Groups != nil {
			p.add("access.groups", "is used only with configMap mode; an access entry gets cluster-admin from AmazonEKSClusterAdminPolicy")
		}
	}
	for i, g := range a.groups {
		if g == "" {
			p.add(fmt.Sprintf("access.groups[%d]", i), "must not be empty")
		}
	}
	if len(a.groups) == 0 {
		p.add("access.groups", "must name at least one group (default [\"system:masters\"])")
	}
}

// checkAccessEntryUsername runs again once `auto` has resolved to accessEntry.
func checkAccessEntryUsername(username string, p *problems) {
	for _, prefix := range reservedUsernamePrefixes {
		if strings.HasPrefix(username, prefix) {
			p.add("access.username", "%q: EKS access entries reject usernames starting with %q", username, prefix)
		}
	}
}

func checkComputeType(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	switch c.computeType {
	case ComputeNodeGroups, ComputeFargate, ComputeNone:
	default:
		p.add("computeType", "%q is not one of nodeGroups, fargate, none", c.computeType)
		return
	}
	if raw.NodeGroups != nil && c.computeType != ComputeNodeGroups {
		p.add("nodeGroups", "is set but computeType is %q: set computeType to nodeGroups or remove nodeGroups", c.computeType)
	}
	if raw.Fargate != nil && c.computeType != ComputeFargate {
		p.add("fargate", "is set but computeType is %q: set computeType to fargate or remove fargate", c.computeType)
	}
}

func checkNamespaces(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	if len(c.namespaces) == 0 {
		p.add("namespaces", "must list at least one namespace (omit it for [{name: concurrent}])")
	}
	seen := map[string]int{}
	for i, ns := range c.namespaces {
		path := fmt.Sprintf("namespaces[%d]", i)
		p.addErrs(inputs.NamespaceNameErrors(path+".name", ns.name)...)
		if j, dup := seen[ns.name]; dup {
			p.add(path+".name", "%q is listed twice (also namespaces[%d])", ns.name, j)
		}
		seen[ns.name] = i
		checkLabels(path+".labels", ns.labels, p, "")
	}
}

func checkRegistration(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	switch c.ecrType {
	case "private", "public":
	default:
		p.add("ecrType", "%q is not one of private, public", c.ecrType)
	}
	if c.ecrRegion != "" && !inputs.IsRegion(c.ecrRegion) {
		p.add("ecrRegion", "%q is not an AWS region", c.ecrRegion)
	} else if c.ecrType == EcrPublic && c.ecrRegion != ecrPublicRegion {
		p.add("ecrRegion", "must be %s with ecrType public, the only region of ECR Public's API (got %q)", ecrPublicRegion, c.ecrRegion)
	}
}

// checkKubeconfigAuth: the built kubeconfig runs `aws eks get-token`, which takes a role
// ARN and a profile but no external ID; and it never carries the stack's static keys.
func checkKubeconfigAuth(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	a := c.kubeconfigAuth
	if c.kubeconfig != nil || !a.fromStack {
		return
	}
	if a.stackErr != nil {
		p.add("kubeconfigAuth", "the stack config's aws:assumeRole cannot be read (%v): give kubeconfigAuth or kubeconfig", a.stackErr)
	}
	if a.stackExternalID {
		p.add("kubeconfig", "the stack config's aws:assumeRole has an external ID, which `aws eks get-token` "+
			"cannot pass: give kubeconfig (one whose credentials reach the cluster), or kubeconfigAuth.profile "+
			"naming an AWS CLI profile that assumes the role with its external_id")
	}
	if a.stackStaticKeys {
		p.warn("kubeconfig", "the stack config sets aws:accessKey, which the built kubeconfig never copies: "+
			"`aws eks get-token` uses the environment's credentials (AWS_* variables, ~/.aws); if they are "+
			"not the same identity, give kubeconfigAuth.profile or kubeconfig")
	}
}
