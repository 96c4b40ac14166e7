package setup_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// Every validation rule, one bad input each: the construct must fail before anything is
// registered, with an error that starts with the input's path.
func TestValidationRules(t *testing.T) {
	ng := func(group map[string]any) map[string]any {
		return map[string]any{"nodeGroups": map[string]any{"system": group}}
	}
	fargate := func(f map[string]any) map[string]any {
		return map[string]any{"computeType": "fargate", "fargate": f}
	}
	network := func(n map[string]any) map[string]any {
		base := map[string]any{"vpcId": "vpc-0123456789abcdef0", "publicSubnetId": "subnet-0b00000000000public",
			"subnetCidrs": []string{"192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19"}}
		for k, v := range n {
			base[k] = v
		}
		return fargate(map[string]any{"network": base})
	}
	namespaces := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = map[string]any{"name": fmt.Sprintf("ns%d", i)}
		}
		return out
	}
	cases := []struct {
		name   string
		inputs map[string]any
		path   string // the error must contain "<path>: "
		detail string // and this
	}{
		{"cluster name format", map[string]any{"clusterName": "-bad name"}, "clusterName", "not an EKS cluster name"},
		{"cluster name length", map[string]any{"clusterName": strings.Repeat("a", 101)}, "clusterName", "1-100"},
		{"account id digits", map[string]any{"concurrentAccountId": "12345"}, "concurrentAccountId", "12-digit"},
		{"account id letters", map[string]any{"concurrentAccountId": "12345678901a"}, "concurrentAccountId", "12-digit"},
		{"external id too short", map[string]any{"externalId": "x"}, "externalId", "2 to 1224"},
		{"external id too long", map[string]any{"externalId": strings.Repeat("a", 1225)}, "externalId", "2 to 1224"},
		{"external id characters", map[string]any{"externalId": "has space"}, "externalId", "2 to 1224"},
		{"external id required with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r"}, "externalId", "required with roleArn"},
		{"roleArn format", map[string]any{"roleArn": "arn:aws:iam::678901234557:user/u", "externalId": "abc"}, "roleArn", "not an IAM role ARN"},
		{"roleName with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": "abc", "roleName": "x"}, "roleName", "cannot be set with roleArn"},
		{"rolePath with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": "abc", "rolePath": "/x/"}, "rolePath", "cannot be set with roleArn"},
		{"boundary with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": "abc", "permissionsBoundaryArn": "arn:aws:iam::678901234557:policy/b"}, "permissionsBoundaryArn", "cannot be set with roleArn"},
		{"role name characters", map[string]any{"roleName": "bad name!"}, "roleName", "not an IAM role name"},
		{"role name length", map[string]any{"roleName": strings.Repeat("r", 65)}, "roleName", "1-64"},
		{"role path shape", map[string]any{"rolePath": "concurrent"}, "rolePath", "not an IAM path"},
		{"role path length", map[string]any{"rolePath": "/" + strings.Repeat("p", 511) + "/"}, "rolePath", "at most 512"},
		{"boundary arn", map[string]any{"permissionsBoundaryArn": "not-an-arn"}, "permissionsBoundaryArn", "not an IAM policy ARN"},
		{"ecr resources empty", map[string]any{"ecrResources": []string{}}, "ecrResources", "must not be empty"},
		{"ecr resource shape", map[string]any{"ecrResources": []string{"repo"}}, "ecrResources[0]", "ECR ARN"},
		{"too many tags", map[string]any{"tags": manyTags(51)}, "tags", "at most 50"},
		{"tag key aws:", map[string]any{"tags": map[string]string{"aws:x": "y"}}, "tags", "not start with aws:"},
		{"tag value length", map[string]any{"tags": map[string]string{"k": strings.Repeat("v", 257)}}, "tags.k", "at most 256"},
		{"access mode enum", map[string]any{"access": map[string]any{"mode": "iam"}}, "access.mode", "not one of auto, configMap, accessEntry"},
		{"access username empty", map[string]any{"access": map[string]any{"username": ""}}, "access.username", "must not be empty"},
		{"access entry reserved username", map[string]any{"access": map[string]any{"mode": "accessEntry", "username": "system:admin"}}, "access.username", `starting with "system:"`},
		{"access entry eks: username", map[string]any{"access": map[string]any{"mode": "accessEntry", "username": "eks:x"}}, "access.username", `starting with "eks:"`},
		{"access groups with access entry", map[string]any{"access": map[string]any{"mode": "accessEntry", "groups": []string{"g"}}}, "access.groups", "only with configMap"},
		{"access groups empty", map[string]any{"access": map[string]any{"mode": "configMap", "groups": []string{}}}, "access.groups", "at least one group"},
		{"access group empty string", map[string]any{"access": map[string]any{"mode": "configMap", "groups": []string{""}}}, "access.groups[0]", "must not be empty"},
		{"compute type enum", map[string]any{"computeType": "ec2"}, "computeType", "not one of nodeGroups, fargate, none"},
		{"nodeGroups with fargate", map[string]any{"computeType": "fargate", "fargate": map[string]any{"subnetIds": []string{"subnet-1"}}, "nodeGroups": map[string]any{}}, "nodeGroups", "computeType is \"fargate\""},
		{"fargate with nodeGroups", map[string]any{"fargate": map[string]any{"subnetIds": []string{"subnet-1"}}}, "fargate", "computeType is \"nodeGroups\""},
		{"fargate with none", map[string]any{"computeType": "none", "fargate": map[string]any{}}, "fargate", "computeType is \"none\""},
		{"min > desired", ng(map[string]any{"minSize": 2, "desiredSize": 1, "maxSize": 3}), "nodeGroups.system.minSize", "must be <= desiredSize (2 > 1)"},
		{"min < 0", ng(map[string]any{"minSize": -1}), "nodeGroups.system.minSize", "must be >= 0"},
		{"desired > max", ng(map[string]any{"desiredSize": 2, "maxSize": 1}), "nodeGroups.system.desiredSize", "must be <= maxSize (2 > 1)"},
		{"max < 1", ng(map[string]any{"desiredSize": 0, "maxSize": 0}), "nodeGroups.system.maxSize", "must be >= 1"},
		{"no instance types", ng(map[string]any{"instanceTypes": []string{}}), "nodeGroups.system.instanceTypes", "1 to 20"},
		{"too many instance types", ng(map[string]any{"instanceTypes": manyTypes(21)}), "nodeGroups.system.instanceTypes", "1 to 20"},
		{"system too small", ng(map[string]any{"instanceTypes": []string{"m5.xlarge", "t3.medium"}}), "nodeGroups.system.instanceTypes[1]", "too small for Concurrent's bootstrap pod"},
		{"system too small c5.large", ng(map[string]any{"instanceTypes": []string{"c5.large"}}), "nodeGroups.system.instanceTypes[0]", "2 vCPU"},
		{"capacity type enum", ng(map[string]any{"capacityType": "RESERVED"}), "nodeGroups.system.capacityType", "not one of SPOT, ON_DEMAND"},
		{"disk too small", map[string]any{"nodeGroups": map[string]any{"worker": map[string]any{"diskSize": 10}}}, "nodeGroups.worker.diskSize", "must be >= 20"},
		{"system disk below bootstrap", ng(map[string]any{"diskSize": 100}), "nodeGroups.system.diskSize", "100Gi of ephemeral storage"},
		{"ami type", ng(map[string]any{"amiType": "WINDOWS_CORE_2022_x86_64"}), "nodeGroups.system.amiType", "not a Linux EKS AMI type"},
		{"label key", ng(map[string]any{"labels": map[string]string{"bad key": "v"}}), "nodeGroups.system.labels", `key "bad key"`},
		{"label value", ng(map[string]any{"labels": map[string]string{"k": "bad value"}}), "nodeGroups.system.labels.k", `value "bad value"`},
		{"reserved node label", ng(map[string]any{"labels": map[string]string{"concurrent-node-type": "x"}}), "nodeGroups.system.labels", "set by the component"},
		{"group subnets empty", ng(map[string]any{"subnetIds": []string{}}), "nodeGroups.system.subnetIds", "must not be empty"},
		{"group subnet shape", map[string]any{"nodeGroups": map[string]any{"subnetIds": []string{"sn-1"}}}, "nodeGroups.subnetIds[0]", "not a subnet id"},
		{"node role arn", map[string]any{"nodeGroups": map[string]any{"nodeRoleArn": "role"}}, "nodeGroups.nodeRoleArn", "not an IAM role ARN"},
		{"deployment checked when enabled", map[string]any{"nodeGroups": map[string]any{"deployment": map[string]any{"enabled": true, "maxSize": 0, "desiredSize": 0}}}, "nodeGroups.deployment.maxSize", "must be >= 1"},
		{"fargate needs subnets", fargate(map[string]any{}), "fargate.subnetIds", "required with computeType fargate"},
		{"fargate subnets and network", fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "network": map[string]any{"vpcId": "vpc-1", "publicSubnetId": "subnet-2", "subnetCidrs": []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}}}), "fargate.network", "not both"},
		{"fargate subnet shape", fargate(map[string]any{"subnetIds": []string{"x"}}), "fargate.subnetIds[0]", "not a subnet id"},
		{"fargate execution role", fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "podExecutionRoleArn": "x"}), "fargate.podExecutionRoleArn", "not an IAM role ARN"},
		{"fargate max profiles", fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "maxProfiles": 1}), "fargate.maxProfiles", "must be >= 2"},
		{"fargate selectors value", fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "selectors": "all"}), "fargate.selectors", "not one of wildcard, perNamespace"},
		{"fargate profile quota", mergeMaps(fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "selectors": "perNamespace"}), map[string]any{"namespaces": namespaces(11)}), "namespaces", "11 namespaces need 11 Fargate profiles"},
		{"fargate raised quota still short", mergeMaps(fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "selectors": "perNamespace", "maxProfiles": 4}), map[string]any{"namespaces": namespaces(5)}), "namespaces", "need 5 Fargate profiles"},
		{"fargate profile name", mergeMaps(fargate(map[string]any{"subnetIds": []string{"subnet-1"}, "selectors": "perNamespace"}), map[string]any{"namespaces": []any{map[string]any{"name": strings.Repeat("n", 60)}}}), "fargate.selectors", "is not a profile name"},
		{"network four cidrs", network(map[string]any{"subnetCidrs": []string{"192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19", "192.168.192.0/19"}}), "fargate.network.subnetCidrs", "must list 2 or 3 CIDR blocks"},
		{"network one cidr", network(map[string]any{"subnetCidrs": []string{"192.168.96.0/19"}}), "fargate.network.subnetCidrs", "must list 2 or 3 CIDR blocks"},
		{"arm ami with x86 types", ng(map[string]any{"amiType": "AL2023_ARM_64_STANDARD", "instanceTypes": []string{"m5.xlarge"}}), "nodeGroups.system.amiType", "AL2023_ARM_64_STANDARD is an Arm (arm64) AMI type, but instanceTypes[0] m5.xlarge is x86_64"},
		{"graviton types with x86 ami", map[string]any{"nodeGroups": map[string]any{"worker": map[string]any{"instanceTypes": []string{"c6i.2xlarge", "c7g.2xlarge"}}}}, "nodeGroups.worker.instanceTypes[1]", "c7g.2xlarge is a Graviton (arm64) type, but amiType AL2023_x86_64_STANDARD is x86_64"},
		{"graviton with bottlerocket x86", ng(map[string]any{"amiType": "BOTTLEROCKET_x86_64", "instanceTypes": []string{"m6g.xlarge"}}), "nodeGroups.system.instanceTypes[0]", "Graviton"},
		{"external id in the stack's assumeRole", map[string]any{}, "kubeconfig", "has an external ID, which `aws eks get-token` cannot pass: give kubeconfig"},
		{"network bad cidr", network(map[string]any{"subnetCidrs": []string{"192.168.96.0/19", "192.168.128.0/19", "nope"}}), "fargate.network.subnetCidrs[2]", "not an IPv4 CIDR"},
		{"network host bits", network(map[string]any{"subnetCidrs": []string{"192.168.96.1/19", "192.168.128.0/19", "192.168.160.0/19"}}), "fargate.network.subnetCidrs[0]", "host bits"},
		{"network prefix size", network(map[string]any{"subnetCidrs": []string{"192.168.96.0/29", "192.168.128.0/19", "192.168.160.0/19"}}), "fargate.network.subnetCidrs[0]", "/16 to /28"},
		{"network overlap", network(map[string]any{"subnetCidrs": []string{"192.168.96.0/19", "192.168.100.0/24", "192.168.160.0/19"}}), "fargate.network.subnetCidrs[1]", "overlaps fargate.network.subnetCidrs[0]"},
		{"network nat type", network(map[string]any{"natType": "ssh-bastion"}), "fargate.network.natType", "not one of gateway, instance"},
		{"no namespaces", map[string]any{"namespaces": []any{}}, "namespaces", "at least one"},
		{"namespace dns label", map[string]any{"namespaces": []any{map[string]any{"name": "Bad_NS"}}}, "namespaces[0].name", "not a namespace name"},
		{"namespace too long", map[string]any{"namespaces": []any{map[string]any{"name": strings.Repeat("n", 64)}}}, "namespaces[0].name", "not a namespace name"},
		{"namespace reserved", map[string]any{"namespaces": []any{map[string]any{"name": "kube-system"}}}, "namespaces[0].name", "reserved"},
		{"namespace kube-node-lease", map[string]any{"namespaces": []any{map[string]any{"name": "kube-node-lease"}}}, "namespaces[0].name", "reserved"},
		{"namespace duplicate", map[string]any{"namespaces": []any{map[string]any{"name": "a"}, map[string]any{"name": "a"}}}, "namespaces[1].name", "listed twice"},
		{"namespace label", map[string]any{"namespaces": []any{map[string]any{"name": "a", "labels": map[string]string{"k": "-v-"}}}}, "namespaces[0].labels.k", "value"},
		{"ecr type enum", map[string]any{"ecrType": "dockerhub"}, "ecrType", "not one of private, public"},
		{"ecr region", map[string]any{"ecrRegion": "Ohio"}, "ecrRegion", "not an AWS region"},
		{"ecr public region", map[string]any{"ecrType": "public", "ecrRegion": "us-east-2"}, "ecrRegion", "must be us-east-1 with ecrType public"},
		{"permissions enum", map[string]any{"permissions": "admin"}, "permissions", "not one of minimal, runbook"},
		{"runbook with ecr public", map[string]any{"permissions": "runbook", "ecrType": "public"}, "permissions", "no ecr-public: action"},
		{"permissions with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": "abc", "permissions": "minimal"}, "permissions", "cannot be set with roleArn"},
		{"ses identities with roleArn", map[string]any{"roleArn": "arn:aws:iam::678901234557:role/r", "externalId": "abc", "sesIdentityArns": []string{"*"}}, "sesIdentityArns", "cannot be set with roleArn"},
		{"ses identities without ses", map[string]any{"enableSes": false, "sesIdentityArns": []string{"*"}}, "sesIdentityArns", "no effect with enableSes: false"},
		{"ses identities empty", map[string]any{"sesIdentityArns": []string{}}, "sesIdentityArns", "must not be empty"},
		{"ses identity shape", map[string]any{"sesIdentityArns": []string{"ops@example.com"}}, "sesIdentityArns[0]", "SES identity ARN"},
		{"ecr resource not a repository", map[string]any{"ecrResources": []string{"arn:aws:ecr:us-east-2:678901234557:registry/x"}}, "ecrResources[0]", "ECR ARN of a repository"},
		{"ecr public resource", map[string]any{"ecrType": "public", "ecrResources": []string{"arn:aws:ecr:us-east-1:678901234557:repository/mlflow/*"}}, "ecrResources[0]", "ECR Public repository"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []fakeaws.Option
			if strings.Contains(tc.name, "stack") {
				opts = append(opts, fakeaws.WithConfig(map[string]string{
					"aws:assumeRole": `{"roleArn": "arn:aws:iam::678901234557:role/deployer", "externalId": "abc"}`,
				}))
			}
			run, err := construct(t, mergeMaps(minimal(), tc.inputs), opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.path+": ", "the error must name the input's path")
			assert.Contains(t, err.Error(), tc.detail)
			assert.Empty(t, run.Resources, "nothing may be registered before validation passes")
		})
	}
}

// Errors that need the cluster: the access mode it supports, and `auto` with a cluster that is
// not known yet.
func TestValidationAgainstTheCluster(t *testing.T) {
	run, err := construct(t, with(map[string]any{"access": map[string]any{"mode": "configMap"}}),
		withAuthMode("API"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "access.mode: cluster kubetest32 has authenticationMode API")
	assert.Empty(t, childrenOf(run), "no child may be registered")

	run, err = construct(t, with(map[string]any{"access": map[string]any{"mode": "accessEntry"}}),
		withAuthMode("CONFIG_MAP"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "access.mode: cluster kubetest32 has authenticationMode CONFIG_MAP")
	assert.Empty(t, childrenOf(run))

	// auto resolving to accessEntry re-checks the username.
	run, err = construct(t, with(map[string]any{"access": map[string]any{"username": "system:concurrent"}}),
		withAuthMode("API"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `access.username: "system:concurrent"`)
	assert.Empty(t, childrenOf(run))

	_, err = construct(t, with(map[string]any{"clusterName": "missing"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `clusterName: looking up EKS cluster "missing"`)
}

// A secret external ID is not known at construct time: it is checked where it is used, and
// the role is never created with it.
func TestSecretExternalIDIsValidatedInTheApply(t *testing.T) {
	run, err := construct(t, with(map[string]any{"externalId": secret("has space")}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "externalId: must be 2 to 1224 characters")
	assert.NotContains(t, err.Error(), "has space", "the secret must not be echoed")
	for _, r := range run.ByType("aws:iam/role:Role") {
		assert.NotEqual(t, "demo-role", r.Name, "the role must not be created with a bad external ID")
	}
}

func TestAutoNeedsAKnownCluster(t *testing.T) {
	run, err := construct(t, with(map[string]any{"clusterName": unknownString()}), fakeaws.DryRun())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "access.mode: `auto` needs the cluster's authentication mode")
	assert.Empty(t, childrenOf(run))
}

func manyTags(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("t%d", i)] = "v"
	}
	return m
}

func manyTypes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("m5.%dxlarge", i+2)
	}
	return out
}

func mergeMaps(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
