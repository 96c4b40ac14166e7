package setup

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The rules on the permission policy's inputs (a row of staticRules; the policy itself is
// iampolicy.go, the reason for each grant docs/permissions.md).

var (
	ecrRepositoryArnRe       = regexp.MustCompile(`^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$`)
	ecrPublicRepositoryArnRe = regexp.MustCompile(`^arn:aws[a-z-]*:ecr-public::[0-9]{12}:repository/.+$`)
	sesResourceArnRe         = regexp.MustCompile(`^arn:aws[a-z-]*:ses:[a-z0-9-]+:[0-9]{12}:(identity|configuration-set)/.+$`)
)

// The role's permission policy (iampolicy.go, docs/permissions.md).
func checkPermissions(raw *ConcurrentEksSetupArgs, c *config, p *problems) {
	switch c.permissions {
	case PermissionsMinimal, PermissionsRunbook:
	default:
		p.add("permissions", "%q is not one of minimal, runbook", c.permissions)
	}
	if c.roleArn != nil {
		if raw.Permissions != nil {
			p.add("permissions", "cannot be set with roleArn: no policy is created when a role is brought")
		}
		if raw.SesIdentityArns != nil {
			p.add("sesIdentityArns", "cannot be set with roleArn: no policy is created when a role is brought")
		}
	}
	if c.permissions == PermissionsRunbook && c.ecrType == EcrPublic && c.roleArn == nil {
		p.add("permissions", "runbook (the runbook's policy) has no ecr-public: action, which ecrType public needs: use minimal")
	}
	if raw.SesIdentityArns != nil && !c.enableSes {
		p.add("sesIdentityArns", "has no effect with enableSes: false")
	}
	for _, l := range []struct {
		path  string
		input pulumi.StringArrayInput
		omit  string
	}{{"ecrResources", c.ecrResources, "the profile's default"}, {"sesIdentityArns", c.sesIdentityArns, `["*"]`}} {
		arr, ok := l.input.(pulumi.StringArray)
		if !ok {
			continue
		}
		if len(arr) == 0 {
			p.add(l.path, "must not be empty (omit it for %s)", l.omit)
		}
		for i, e := range arr {
			if v, ok := knownString(e); ok {
				p.addErrs(policyResourceProblem(c, l.path, i, v))
			}
		}
	}
}

// policyResourceProblem is the rule for one element of ecrResources or sesIdentityArns.
func policyResourceProblem(c *config, path string, i int, v string) error {
	if v == "*" {
		return nil
	}
	switch {
	case path == "sesIdentityArns" && !sesResourceArnRe.MatchString(v):
		return fmt.Errorf("%s[%d]: %q must be \"*\" or an SES identity ARN (arn:<partition>:ses:<region>:<account>:identity/<address or domain>)", path, i, v)
	case path == "ecrResources" && c.ecrType == EcrPublic && !ecrPublicRepositoryArnRe.MatchString(v):
		return fmt.Errorf("%s[%d]: %q must be \"*\" or an ECR ARN of an ECR Public repository (arn:<partition>:ecr-public::<account>:repository/<name or pattern>), as ecrType is public", path, i, v)
	case path == "ecrResources" && c.ecrType != EcrPublic && !ecrRepositoryArnRe.MatchString(v):
		return fmt.Errorf("%s[%d]: %q must be \"*\" or an ECR ARN of a repository (arn:<partition>:ecr:<region>:<account>:repository/<name or pattern>)", path, i, v)
	}
	return nil
}

// checkPolicyResourceValues runs the element rules inside the policy's apply, for lists
// not known at construct time.
func checkPolicyResourceValues(c *config, ecrResources, sesIdentityArns []string) error {
	var p problems
	for _, l := range []struct {
		path   string
		values []string
	}{{"ecrResources", ecrResources}, {"sesIdentityArns", sesIdentityArns}} {
		path, vs := l.path, l.values
		if len(vs) == 0 {
			p.add(path, "must not be empty")
		}
		for i, v := range vs {
			p.addErrs(policyResourceProblem(c, path, i, v))
		}
	}
	return p.err()
}
