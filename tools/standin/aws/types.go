package main

import (
	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/internal/standin"
)

// types are the AWS resource types ConcurrentEksSetup creates, with what decides how the
// real provider (pulumi-aws 6.83.4, bridged from terraform-provider-aws) treats them: the
// input it auto-names, and the inputs marked ForceNew in its schema (a change replaces the
// resource; any other change, tags included, updates it in place). A type missing here is
// refused by name, so a new child of the component fails the end-to-end tests until it is
// stood in.
var types = map[string]standin.Type{
	"aws:iam/role:Role": {
		AutoName: "name", MaxLen: 64,
		ForceNew: []string{"name", "namePrefix", "path"},
	},
	"aws:iam/rolePolicy:RolePolicy": {
		AutoName: "name", MaxLen: 128,
		ForceNew: []string{"name", "namePrefix", "role"},
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		ForceNew: []string{"role", "policyArn"},
	},
	// Labels, taints, scaling, version, release version, launch template version, update
	// config and tags update in place.
	"aws:eks/nodeGroup:NodeGroup": {
		AutoName: "nodeGroupName", MaxLen: 63,
		ForceNew: []string{"clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "subnetIds",
			"instanceTypes", "capacityType", "diskSize", "amiType", "remoteAccess"},
	},
	// EKS cannot change a Fargate profile: every input but tags replaces it.
	"aws:eks/fargateProfile:FargateProfile": {
		AutoName: "fargateProfileName", MaxLen: 63,
		ForceNew: []string{"clusterName", "fargateProfileName", "podExecutionRoleArn", "selectors", "subnetIds"},
	},
	"aws:eks/accessEntry:AccessEntry": {
		ForceNew: []string{"clusterName", "principalArn", "type"},
	},
	"aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
		ForceNew: []string{"clusterName", "principalArn", "policyArn", "accessScope"},
	},
	// Not a child of the component: the cluster a program creates beside it (the preview
	// test). No auto-name here: its name is computed (internal/fakeaws), unknown in a preview.
	"aws:eks/cluster:Cluster": {
		ForceNew: []string{"name", "roleArn"},
	},
	"aws:ec2/subnet:Subnet": {
		ForceNew: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv6Native", "outpostArn"},
	},
	"aws:ec2/routeTable:RouteTable": {
		ForceNew: []string{"vpcId"},
	},
	"aws:ec2/route:Route": {
		ForceNew: []string{"routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"},
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		ForceNew: []string{"subnetId", "gatewayId"},
	},
	"aws:ec2/eip:Eip": {
		ForceNew: []string{"domain", "vpc", "publicIpv4Pool", "networkBorderGroup", "address", "customerOwnedIpv4Pool", "ipamPoolId"},
	},
	"aws:ec2/natGateway:NatGateway": {
		ForceNew: []string{"allocationId", "subnetId", "connectivityType", "privateIp"},
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		AutoName: "name", MaxLen: 255,
		ForceNew: []string{"name", "namePrefix", "vpcId", "description"},
	},
	"aws:ec2/instance:Instance": {
		ForceNew: []string{"ami", "subnetId", "associatePublicIpAddress", "availabilityZone", "keyName",
			"privateIp", "tenancy", "placementGroup", "hostId", "ebsBlockDevices", "ephemeralBlockDevices",
			"networkInterfaces", "launchTemplate", "cpuOptions", "hibernation", "enclaveOptions"},
	},
}
