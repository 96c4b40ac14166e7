package awsauth

import (
	"fmt"
	"strings"
)

// RoleARNWithoutPath returns the ARN of an IAM role with its path removed:
// arn:aws:iam::123456789012:role/some/path/name becomes
// arn:aws:iam::123456789012:role/name. aws-iam-authenticator compares the
// `rolearn` of a mapRoles entry with the role ARN it derives from the caller's
// STS assumed-role ARN, and that ARN never carries the path, so an entry
// written with the path never matches (EKS docs, "Add IAM principals to your
// Amazon EKS cluster": "the role ARN can't include a path").
func RoleARNWithoutPath(arn string) (string, error) {
	// arn:partition:service:region:account:resource
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", fmt.Errorf("roleArn: %q is not an ARN", arn)
	}
	partition, service, region, account, res := parts[1], parts[2], parts[3], parts[4], parts[5]
	if partition == "" || service != "iam" || region != "" || account == "" {
		return "", fmt.Errorf("roleArn: %q is not an IAM role ARN (want arn:<partition>:iam::<account>:role/<name>)", arn)
	}
	const prefix = "role/"
	if !strings.HasPrefix(res, prefix) {
		return "", fmt.Errorf("roleArn: %q is not an IAM role ARN (want arn:<partition>:iam::<account>:role/<name>)", arn)
	}
	name := res[strings.LastIndex(res, "/")+1:]
	if name == "" {
		return "", fmt.Errorf("roleArn: %q has no role name", arn)
	}
	return "arn:" + partition + ":iam::" + account + ":role/" + name, nil
}

// SameRole reports whether aws-iam-authenticator takes a mapRoles rolearn and
// a role ARN for the same role: it lowercases both (config.RoleMapping.Key,
// Matches with strings.EqualFold) and strips no path from the entry.
func SameRole(a, b string) bool { return strings.EqualFold(a, b) }
