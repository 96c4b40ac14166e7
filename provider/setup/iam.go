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
// exactly what the runbook says and can be read in the plan.
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
func createConcurrentRole(ctx *pulumi.Context, parent pulumi.Resource, name string, c *config, cl *cluster) (*concurrentRole, error) {
	a := c.args
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}

	var externalID pulumi.StringOutput
	if a.ExternalId != nil {
		externalID = a.ExternalId.ToStringOutput()
	} else {
		// Generated once and kept in state, like the runbook's CloudFormation template did.
		id, err := random.NewRandomUuid(ctx, name+"-external-id", &random.RandomUuidArgs{},
			append(opts, pulumi.AdditionalSecretOutputs([]string{"result"}))...)
		if err != nil {
			return nil, err
		}
		externalID = id.Result
	}
	externalID = pulumi.ToSecret(externalID).(pulumi.StringOutput)

	if a.RoleArn != nil {
		arn := a.RoleArn.ToStringOutput()
		return &concurrentRole{arn: arn, name: arn.ApplyT(roleNameFromArn).(pulumi.StringOutput), externalID: externalID}, nil
	}

	trust := pulumi.All(a.ConcurrentAccountId, externalID).ApplyT(func(v []any) (string, error) {
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
		PermissionsBoundary: a.PermissionsBoundaryArn,
		Tags:                a.Tags,
	}
	if c.roleName != "" {
		roleArgs.Name = pulumi.String(c.roleName)
	}
	role, err := iam.NewRole(ctx, name+"-role", roleArgs, opts...)
	if err != nil {
		return nil, err
	}

	var ecr pulumi.StringArrayInput = pulumi.ToStringArray(ecrResourcesDefault(c, cl))
	if c.ecrResources != nil {
		ecr = c.ecrResources
	}
	permissions := pulumi.All(cl.arn, ecr, c.sesIdentityArns).ApplyT(func(v []any) (string, error) {
		// Values unknown at construct time (outputs) are validated here.
		if err := checkPolicyResourceValues(c, v[1].([]string), v[2].([]string)); err != nil {
			return "", err
		}
		return permissionsPolicy(permissionsSpec{
			profile: c.permissions, partition: cl.partition, accountId: cl.accountId, clusterArn: v[0].(string),
			ecrType: c.ecrType, ecrRegion: c.registryRegion(cl), ecrResources: v[1].([]string),
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

func roleNameFromArn(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}
