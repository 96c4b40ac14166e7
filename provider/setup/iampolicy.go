package setup

import "fmt"

// The permission policy of the role Concurrent assumes, for each `permissions` profile.
// docs/permissions.md names, for every action, the Concurrent call that needs it (file and
// line in concurrent-ai/concurrent) and what fails without it; a test keeps the two in step.

// permissionsSpec is what the policy depends on, resolved: defaults applied, values known.
type permissionsSpec struct {
	profile         Permissions
	partition       string
	accountId       string
	clusterArn      string
	ecrType         EcrType
	ecrRegion       string   // the registry's region (us-east-1 for ECR Public)
	ecrResources    []string // scope of the repository actions, never empty
	enableSes       bool
	sesIdentityArns []string // scope of the SES send statement, never empty
}

// Actions of the minimal profile, by the Concurrent call that needs them.
var (
	// The service's only EKS call: the endpoint and CA it writes into its kubeconfig. Its
	// Kubernetes token is a presigned sts:GetCallerIdentity, which needs no grant.
	eksActions = []string{"eks:DescribeCluster"}

	// The bootstrap job finds (describe-repositories, describe-images) and creates the
	// repositories it builds into, pushes with buildah, and pulls the env image as the base
	// of the full image; the pipeline's pods pull with the login it stores as a Secret.
	ecrRepositoryActions = []string{
		"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
		"ecr:CreateRepository", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer",
		"ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart",
	}
	// ECR Public images are pulled anonymously: only the push side and the lookups.
	ecrPublicRepositoryActions = []string{
		"ecr-public:BatchCheckLayerAvailability", "ecr-public:CompleteLayerUpload",
		"ecr-public:CreateRepository", "ecr-public:InitiateLayerUpload",
		"ecr-public:PutImage", "ecr-public:UploadLayerPart",
	}
	sesActions = []string{"ses:SendEmail", "ses:SendRawEmail"}
)

// ecrRepositoryArn is the ARN of the repositories matching pattern (a name or a `*`
// pattern) in the registry Concurrent pushes to. ECR Public ARNs carry no region.
func ecrRepositoryArn(partition string, ecrType EcrType, region, account, pattern string) string {
	if ecrType == EcrPublic {
		return fmt.Sprintf("arn:%s:ecr-public::%s:repository/%s", partition, account, pattern)
	}
	return fmt.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, region, account, pattern)
}

// permissionsPolicy is the role's permission policy for the spec's profile.
func permissionsPolicy(s permissionsSpec) policyDocument {
	if s.profile == PermissionsRunbook {
		return runbookPermissions(s)
	}
	return minimalPermissions(s)
}

// runbookPermissions is the runbook's manual policy, with eks:* scoped to this cluster (an
// older template granted eks:* on *). SES is for Concurrent's alert e-mails.
func runbookPermissions(s permissionsSpec) policyDocument {
	d := policyDocument{Version: "2012-10-17", Statement: []statement{
		{Sid: "BuildAndPullImages", Effect: "Allow", Action: []string{"ecr:*"}, Resource: s.ecrResources},
		{Sid: "ManageThisCluster", Effect: "Allow", Action: []string{"eks:*"}, Resource: []string{s.clusterArn}},
		{Sid: "BearerTokens", Effect: "Allow", Action: []string{"sts:GetServiceBearerToken"}, Resource: []string{"*"}},
	}}
	return withSes(d, s)
}

// minimalPermissions grants only what Concurrent's code calls, each on the narrowest
// resource that works.
func minimalPermissions(s permissionsSpec) policyDocument {
	d := policyDocument{Version: "2012-10-17", Statement: []statement{
		{Sid: "DescribeThisCluster", Effect: "Allow", Action: eksActions, Resource: []string{s.clusterArn}},
	}}
	// describe-repositories without names is authorized against `repository/*`: a grant on
	// a prefix alone denies it. It reads names and URIs of this registry only.
	all := []string{ecrRepositoryArn(s.partition, s.ecrType, s.ecrRegion, s.accountId, "*")}
	if s.ecrType == EcrPublic {
		d.Statement = append(d.Statement,
			// GetAuthorizationToken has no resource type; ECR Public's login also needs a
			// bearer token from STS (ECR Public user guide, registry authentication).
			statement{Sid: "EcrPublicLogin", Effect: "Allow", Action: []string{"ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"}, Resource: []string{"*"}},
			statement{Sid: "EcrPublicFindRepositories", Effect: "Allow", Action: []string{"ecr-public:DescribeRepositories"}, Resource: all},
			statement{Sid: "EcrPublicBuildAndPush", Effect: "Allow", Action: ecrPublicRepositoryActions, Resource: s.ecrResources},
		)
	} else {
		d.Statement = append(d.Statement,
			// No resource type: on any narrower resource the login, and so every push, fails.
			statement{Sid: "EcrLogin", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
			statement{Sid: "EcrFindRepositories", Effect: "Allow", Action: []string{"ecr:DescribeRepositories"}, Resource: all},
			statement{Sid: "EcrBuildPushAndPull", Effect: "Allow", Action: ecrRepositoryActions, Resource: s.ecrResources},
		)
	}
	return withSes(d, s)
}

func withSes(d policyDocument, s permissionsSpec) policyDocument {
	if s.enableSes {
		d.Statement = append(d.Statement, statement{Sid: "AlertEmails", Effect: "Allow", Action: sesActions, Resource: s.sesIdentityArns})
	}
	return d
}
