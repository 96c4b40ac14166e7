package fakeaws

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Invoke answers one AWS function call the components make, keyed by its token, from the
// description. A token it does not play answers an empty map, as the integration server's
// mocks do; a getCluster for another cluster fails as AWS does.
func (c Cluster) Invoke(token string, args property.Map) (property.Map, error) {
	str := property.New[string]
	strs := func(v []string) property.Value {
		arr := make([]property.Value, len(v))
		for i, s := range v {
			arr[i] = str(s)
		}
		return property.New(arr)
	}
	obj := func(m map[string]property.Value) property.Value { return property.New(property.NewMap(m)) }
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
			"endpoint": str(c.APIEndpoint()), "status": str("ACTIVE"), "version": str("1.33"),
			"accessConfigs": property.New([]property.Value{obj(map[string]property.Value{
				"authenticationMode": str(c.AuthenticationMode),
			})}),
			"certificateAuthorities": property.New([]property.Value{obj(map[string]property.Value{
				"data": str(c.CertificateAuthority()),
			})}),
			"vpcConfig": obj(map[string]property.Value{"subnetIds": strs(c.SubnetIDs), "vpcId": str(c.VpcID)}),
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

// Functions are the tokens Invoke plays. The stand-in aws plugin refuses any other, so a new
// look-up of the components fails the engine tests by name until it is played here.
var Functions = []string{
	"aws:index/getRegion:getRegion",
	"aws:index/getPartition:getPartition",
	"aws:index/getCallerIdentity:getCallerIdentity",
	"aws:eks/getCluster:getCluster",
	"aws:ec2/getVpc:getVpc",
	"aws:index/getAvailabilityZones:getAvailabilityZones",
	"aws:ssm/getParameter:getParameter",
}
