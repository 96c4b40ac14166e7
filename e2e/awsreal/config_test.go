package awsreal_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// runConfig is what a real-account run needs, from the environment (docs/acceptance.md):
//
//	CONCURRENT_E2E_CLUSTER   the existing EKS cluster to set up (required)
//	CONCURRENT_E2E_REGION    its region (default: AWS_REGION, then AWS_DEFAULT_REGION)
//	CONCURRENT_E2E_ACCOUNT   the 12-digit account Concurrent runs in (required)
//	CONCURRENT_E2E_COMPUTE   nodeGroups (default), fargate or none
//	CONCURRENT_E2E_FARGATE_SUBNETS  comma-separated private subnets, with fargate
type runConfig struct {
	cluster, region, account, compute string
	fargateSubnets                    []string
}

// credentialVars are the ways the AWS CLI and SDKs find credentials without a file we
// could inspect: at least one must be set for a run (a default profile in ~/.aws alone is
// not enough, so a developer's machine never deploys by accident).
var credentialVars = []string{
	"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
}

var accountRe = regexp.MustCompile(`^[0-9]{12}$`)

// configFromEnv returns the run's config, or why the run is skipped (no credentials), or
// what is wrong with the arguments.
func configFromEnv(getenv func(string) string) (cfg runConfig, skip string, err error) {
	if !slices.ContainsFunc(credentialVars, func(v string) bool { return getenv(v) != "" }) {
		return cfg, "no AWS credentials in the environment (set one of " + strings.Join(credentialVars, ", ") +
			"): the real-account acceptance run is skipped", nil
	}
	cfg = runConfig{
		cluster: getenv("CONCURRENT_E2E_CLUSTER"),
		region:  firstSet(getenv, "CONCURRENT_E2E_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"),
		account: getenv("CONCURRENT_E2E_ACCOUNT"),
		compute: firstSet(getenv, "CONCURRENT_E2E_COMPUTE"),
	}
	if cfg.compute == "" {
		cfg.compute = "nodeGroups"
	}
	for _, s := range strings.Split(getenv("CONCURRENT_E2E_FARGATE_SUBNETS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.fargateSubnets = append(cfg.fargateSubnets, s)
		}
	}
	var errs []string
	if cfg.cluster == "" {
		errs = append(errs, "CONCURRENT_E2E_CLUSTER: required, the name of an existing EKS cluster")
	}
	if cfg.region == "" {
		errs = append(errs, "CONCURRENT_E2E_REGION: required (or AWS_REGION), the cluster's region")
	}
	if !accountRe.MatchString(cfg.account) {
		errs = append(errs, fmt.Sprintf("CONCURRENT_E2E_ACCOUNT: %q is not a 12-digit AWS account id (Concurrent's)", cfg.account))
	}
	switch cfg.compute {
	case "nodeGroups", "none":
	case "fargate":
		if len(cfg.fargateSubnets) == 0 {
			errs = append(errs, "CONCURRENT_E2E_FARGATE_SUBNETS: required with CONCURRENT_E2E_COMPUTE=fargate (private subnets behind NAT)")
		}
	default:
		errs = append(errs, fmt.Sprintf("CONCURRENT_E2E_COMPUTE: %q is not one of nodeGroups, fargate, none", cfg.compute))
	}
	if len(errs) > 0 {
		return cfg, "", fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return cfg, "", nil
}

func firstSet(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}
