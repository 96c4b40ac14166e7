package mocktest

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// answerInvoke plays AWS for the invokes the components make.
func answerInvoke(c Cluster, token string, args property.Map) (property.Map, error) {
	str := property.New[string]
	strs := func(v []string) property.Value {
		arr := make([]property.Value, len(v))
		for i, s := range v {
			arr[i] = str(s)
		}
		return property.New(arr)
	}
	switch token {
	case "aws:index/getRegion:getRegion":
		return property.NewMap(map[string]property.Value{
			"name": str(c.Region), "id": str(c.Region), "region": str(c.Region),
			"endpoint":    str(fmt.Sprintf("ec2.%s.amazonaws.com", c.Region)),
			"description": str(c.Region),
		}), nil
	case "aws:index/getPartition:getPartition":
		return property.NewMap(map[string]property.Value{
			"partition": str(c.Partition), "id": str(c.Partition), "dnsSuffix": str("amazonaws.com"),
			"reverseDnsPrefix": str("com.amazonaws"),
		}), nil
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return property.NewMap(map[string]property.Value{
			"accountId": str(c.AccountID), "id": str(c.AccountID),
			"arn":    str(fmt.Sprintf("arn:%s:iam::%s:user/ci", c.Partition, c.AccountID)),
			"userId": str("AIDAEXAMPLE"),
		}), nil
	case "aws:eks/getCluster:getCluster":
		name := args.Get("name").AsString()
		if name != c.Name {
			return property.Map{}, fmt.Errorf("reading EKS Cluster (%s): couldn't find resource", name)
		}
		return property.NewMap(map[string]property.Value{
			"name": str(c.Name), "id": str(c.Name), "arn": str(c.ClusterARN()),
			"endpoint": str(c.Endpoint), "status": str("ACTIVE"), "version": str("1.33"),
			"accessConfigs": property.New([]property.Value{property.New(property.NewMap(map[string]property.Value{
				"authenticationMode": str(c.AuthenticationMode),
			}))}),
			"certificateAuthorities": property.New([]property.Value{property.New(property.NewMap(map[string]property.Value{
				"data": str(c.CertificateData),
			}))}),
			"vpcConfig": property.New(property.NewMap(map[string]property.Value{
				"subnetIds": strs(c.SubnetIDs), "vpcId": str(c.VpcID),
			})),
		}), nil
	case "aws:ec2/getVpc:getVpc":
		return property.NewMap(map[string]property.Value{
			"id": str(c.VpcID), "cidrBlock": str(c.VpcCidr),
			"arn": str(fmt.Sprintf("arn:%s:ec2:%s:%s:vpc/%s", c.Partition, c.Region, c.AccountID, c.VpcID)),
		}), nil
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		ids := make([]string, len(c.AvailabilityZones))
		for i := range ids {
			ids[i] = fmt.Sprintf("use2-az%d", i+1)
		}
		return property.NewMap(map[string]property.Value{
			"names": strs(c.AvailabilityZones), "zoneIds": strs(ids), "id": str(c.Region),
		}), nil
	case "aws:ssm/getParameter:getParameter":
		return property.NewMap(map[string]property.Value{
			"name": args.Get("name"), "id": args.Get("name"), "type": str("String"),
			"value": str("ami-0123456789abcdef0"), "insecureValue": str("ami-0123456789abcdef0"),
		}), nil
	}
	return property.Map{}, nil
}

// AutoNameSuffix is what the fake adds to a logical name for a resource Pulumi would
// auto-name (Pulumi adds 7 random characters); the offline plan shows it as `-<auto>`.
const AutoNameSuffix = "-1234567"

// fakeState plays AWS and Kubernetes for created resources: the inputs, plus the computed
// outputs the components read (ARNs, names, ids).
func fakeState(c Cluster, r Resource) (string, property.Map) {
	state := r.Inputs.AsMap()
	id := r.Name + "-id"
	physical := r.Name
	if n, ok := state["name"]; ok && n.IsString() && n.AsString() != "" {
		physical = n.AsString()
	} else {
		physical = r.Name + AutoNameSuffix
	}
	set := func(k string, v string) {
		if _, ok := state[k]; !ok {
			state[k] = property.New(v)
		}
	}
	switch r.Type {
	case "aws:iam/role:Role":
		path := "/"
		if p, ok := state["path"]; ok && p.IsString() {
			path = p.AsString()
		}
		set("name", physical)
		set("arn", fmt.Sprintf("arn:%s:iam::%s:role%s%s", c.Partition, c.AccountID, path, physical))
		id = physical
	case "random:index/randomUuid:RandomUuid":
		set("result", "0b8f6a2e-3c1d-4e5f-9a7b-2c3d4e5f6a7b")
	case "aws:eks/nodeGroup:NodeGroup":
		set("nodeGroupName", physical)
		set("arn", fmt.Sprintf("arn:%s:eks:%s:%s:nodegroup/%s/%s/x", c.Partition, c.Region, c.AccountID, c.Name, physical))
	case "aws:eks/fargateProfile:FargateProfile":
		set("fargateProfileName", physical)
		set("arn", fmt.Sprintf("arn:%s:eks:%s:%s:fargateprofile/%s/%s/x", c.Partition, c.Region, c.AccountID, c.Name, physical))
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + strings.ReplaceAll(r.Name, "-", "")
	case "aws:ec2/eip:Eip":
		id = "eipalloc-" + strings.ReplaceAll(r.Name, "-", "")
		set("allocationId", id)
		set("publicIp", "203.0.113.10")
	case "aws:ec2/instance:Instance":
		id = "i-" + strings.ReplaceAll(r.Name, "-", "")
		set("primaryNetworkInterfaceId", "eni-"+strings.ReplaceAll(r.Name, "-", ""))
	default:
		set("arn", fmt.Sprintf("arn:%s:fake:%s:%s:%s", c.Partition, c.Region, c.AccountID, r.Name))
	}
	return id, property.NewMap(state)
}
