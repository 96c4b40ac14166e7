package setup

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Runbook step 1: the IAM role the Concurrent service assumes.

// policyDocument is an IAM policy, built with encoding/json rather than an invoke so it is
// exactly what iampolicy.go (or a trust policy here) says and can be read in the plan.
type policyDocument struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

func (d policyDocument) String() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // only strings and maps: cannot fail
	}
	return string(b)
}

// concurrentTrustPolicy lets the Concurrent account assume the role when it presents the
// external ID (concurrent-facts.md section 1).
func concurrentTrustPolicy(partition, concurrentAccountID, externalID string) policyDocument {
	return policyDocument{Version: "2012-10-17", Statement: []statement{{
		Sid:       "ConcurrentAssumeRole",
		Effect:    "Allow",
		Principal: map[string]string{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, concurrentAccountID)},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]string{"StringEquals": {"sts:ExternalId": externalID}},
	}}}
}

type concurrentRole struct {
	arn        pulumi.StringOutput
	name       pulumi.StringOutput
	externalID pulumi.StringOutput // secret
}

// createConcurrentRole makes the role, its inline policy and the external ID, or takes the
// role the user brought (roleArn), in which case nothing is created.
func createConcurrentRole(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, f *clusterFacts,
) (*concurrentRole, error) {
	cl := f.cluster
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}

	externalID, err := externalID(ctx, name, c, opts)
	if err != nil {
		return nil, err
	}

	if c.roleArn != nil {
		arn := c.roleArn.ToStringOutput()
		return &concurrentRole{arn: arn, name: arn.ApplyT(roleNameFromArn).(pulumi.StringOutput), externalID: externalID}, nil
	}

	trust := pulumi.All(c.concurrentAccountId, externalID).ApplyT(func(v []any) (string, error) {
		// Values unknown at construct time (secrets, outputs) are validated here.
		if err := errors.Join(checkAccountIDValue(v[0].(string)), checkExternalIDValue(v[1].(string))); err != nil {
			return "", err
		}
		return concurrentTrustPolicy(cl.partition, v[0].(string), v[1].(string)).String(), nil
	}).(pulumi.StringOutput)

	roleArgs := &iam.RoleArgs{
		Description:         pulumi.Sprintf("Assumed by Concurrent for MLflow to run pipelines on EKS cluster %s", cl.name),
		AssumeRolePolicy:    trust,
		Path:                pulumi.String(c.rolePath),
		PermissionsBoundary: c.permissionsBoundaryArn,
		Tags:                c.tags,
	}
	if c.roleName != "" {
		roleArgs.Name = pulumi.String(c.roleName)
	}
	role, err := iam.NewRole(ctx, name+"-role", roleArgs, opts...)
	if err != nil {
		return nil, err
	}

	permissions := pulumi.All(cl.arn, c.ecrResources, c.sesIdentityArns).ApplyT(func(v []any) (string, error) {
		// Values unknown at construct time (outputs) are validated here.
		if err := checkPolicyResourceValues(c, v[1].([]string), v[2].([]string)); err != nil {
			return "", err
		}
		return permissionsPolicy(permissionsSpec{
			profile: c.permissions, partition: cl.partition, accountId: cl.accountId, clusterArn: v[0].(string),
			ecrType: c.ecrType, ecrRegion: c.ecrRegion, ecrResources: v[1].([]string),
			enableSes: c.enableSes, sesIdentityArns: v[2].([]string),
		}).String(), nil
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role:   role.Name,
		Name:   pulumi.String("concurrent-for-mlflow"),
		Policy: permissions,
	}, opts...); err != nil {
		return nil, err
	}
	return &concurrentRole{arn: role.Arn, name: role.Name, externalID: externalID}, nil
}

// externalIDLength is the length of a generated external ID.
const externalIDLength = 32

// externalID is the given external ID, or one generated once and kept in state, like the
// runbook's CloudFormation template did. Secret either way.
func externalID(ctx *pulumi.Context, name string, c *config, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	if c.externalId != nil {
		return pulumi.ToSecret(c.externalId.ToStringOutput()).(pulumi.StringOutput), nil
	}
	// A RandomPassword, not a RandomUuid: a RandomUuid's resource id is the UUID itself, and
	// ids are never encrypted in state; a RandomPassword's id is the fixed "none" and its
	// result is secret (the SDK asks the engine for it). 32 letters and digits fit sts:ExternalId ([\w+=,.@:/-], 2 to 1224).
	id, err := random.NewRandomPassword(ctx, name+"-external-id", &random.RandomPasswordArgs{
		Length:  pulumi.Int(externalIDLength),
		Special: pulumi.Bool(false),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return pulumi.ToSecret(id.Result).(pulumi.StringOutput), nil
}

func roleNameFromArn(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

// serviceRoleSpec is an IAM role an AWS service assumes for the cluster (EC2 for the nodes,
// Fargate for the pods) and the AWS managed policies it gets.
type serviceRoleSpec struct {
	resourceName string
	description  pulumi.StringInput
	trust        pulumi.StringInput
	policies     []managedPolicy
}

type managedPolicy struct {
	resourceName string // of the attachment
	policy       string // name of the AWS managed policy
}

// createServiceRole makes the role, bounded and tagged like every role of the setup, and
// attaches its policies. It returns the role's ARN and the attachments, which whatever uses
// the role must wait for.
func createServiceRole(ctx *pulumi.Context, c *config, cl *cluster, spec serviceRoleSpec, opts []pulumi.ResourceOption,
) (pulumi.StringOutput, []pulumi.Resource, error) {
	role, err := iam.NewRole(ctx, spec.resourceName, &iam.RoleArgs{
		Description:         spec.description,
		AssumeRolePolicy:    spec.trust,
		PermissionsBoundary: c.permissionsBoundaryArn,
		Tags:                c.tags,
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}
	var attachments []pulumi.Resource
	for _, p := range spec.policies {
		a, err := iam.NewRolePolicyAttachment(ctx, p.resourceName, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", cl.partition, p.policy)),
		}, opts...)
		if err != nil {
			return pulumi.StringOutput{}, nil, err
		}
		attachments = append(attachments, a)
	}
	return role.Arn, attachments, nil
}
