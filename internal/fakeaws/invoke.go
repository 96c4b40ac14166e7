package fakeaws

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Invoke answers one AWS function call the components make, keyed by its token, from the
// description. A token it does not play answers an empty map, as the integration server's
// mocks do; a getCluster for another cluster fails as AWS does.
func (c Cluster) Invoke(token string, args property.Map) (property.Map, error) {
	answer, ok := answers[token]
	if !ok {
		return property.Map{}, nil
	}
	m, err := answer(c, args)
	if err != nil {
		return property.Map{}, err
	}
	return property.NewMap(m), nil
}

// Functions are the tokens Invoke plays, sorted. The stand-in aws plugin refuses any other,
// so a new look-up of the components fails the engine tests by name until it is played here.
var Functions = slices.Sorted(maps.Keys(answers))

type values = map[string]property.Value

var str = property.New[string]

func strs(v []string) property.Value {
	arr := make([]property.Value, len(v))
	for i, s := range v {
		arr[i] = str(s)
	}
	return property.New(arr)
}

func obj(m values) property.Value { return property.New(property.NewMap(m)) }

var answers = map[string]func(c Cluster, args property.Map) (values, error){
	"aws:index/getRegion:getRegion": func(c Cluster, _ property.Map) (values, error) {
		return values{
			"name": str(c.Region), "id": str(c.Region), "region": str(c.Region),
			"endpoint": str(fmt.Sprintf("ec2.%s.amazonaws.com", c.Region)), "description": str(c.Region),
		}, nil
	},
	"aws:index/getPartition:getPartition": func(c Cluster, _ property.Map) (values, error) {
		return values{
			"partition": str(c.Partition), "id": str(c.Partition), "dnsSuffix": str("amazonaws.com"),
			"reverseDnsPrefix": str("com.amazonaws"),
		}, nil
	},
	"aws:index/getCallerIdentity:getCallerIdentity": func(c Cluster, _ property.Map) (values, error) {
		return values{
			"accountId": str(c.AccountID), "id": str(c.AccountID),
			"arn":    str(fmt.Sprintf("arn:%s:iam::%s:user/ci", c.Partition, c.AccountID)),
			"userId": str("AIDAEXAMPLE"),
		}, nil
	},
	"aws:eks/getCluster:getCluster":         getCluster,
	"aws:eks/getAccessEntry:getAccessEntry": getAccessEntry,
	"aws:eks/getNodeGroups:getNodeGroups":   getNodeGroups,
	"aws:ec2/getSubnet:getSubnet":           getSubnet,
	"aws:ec2/getRouteTables:getRouteTables": getRouteTables,
	"aws:ec2/getRouteTable:getRouteTable":   getRouteTable,
	"aws:ec2/getVpc:getVpc": func(c Cluster, _ property.Map) (values, error) {
		return values{
			"id": str(c.VpcID), "cidrBlock": str(c.VpcCidr),
			"arn": str(fmt.Sprintf("arn:%s:ec2:%s:%s:vpc/%s", c.Partition, c.Region, c.AccountID, c.VpcID)),
		}, nil
	},
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(c Cluster, _ property.Map) (values, error) {
		ids := make([]string, len(c.AvailabilityZones))
		for i := range ids {
			ids[i] = fmt.Sprintf("use2-az%d", i+1)
		}
		return values{"names": strs(c.AvailabilityZones), "zoneIds": strs(ids), "id": str(c.Region)}, nil
	},
	"aws:ssm/getParameter:getParameter": func(_ Cluster, args property.Map) (values, error) {
		return values{
			"name": args.Get("name"), "id": args.Get("name"), "type": str("String"),
			"value": str("ami-0123456789abcdef0"), "insecureValue": str("ami-0123456789abcdef0"),
		}, nil
	},
}

func getCluster(c Cluster, args property.Map) (values, error) {
	if name := argString(args, "name"); name != c.Name {
		return nil, fmt.Errorf("reading EKS Cluster (%s): couldn't find resource", name)
	}
	return values{
		"name": str(c.Name), "id": str(c.Name), "arn": str(c.ClusterARN()),
		"endpoint": str(c.APIEndpoint()), "status": str("ACTIVE"), "version": str(c.Version),
		"accessConfigs":          property.New([]property.Value{obj(values{"authenticationMode": str(c.AuthenticationMode)})}),
		"certificateAuthorities": property.New([]property.Value{obj(values{"data": str(c.CertificateAuthority())})}),
		"vpcConfig": obj(values{
			"subnetIds": strs(c.SubnetIDs), "vpcId": str(c.VpcID),
			"endpointPublicAccess":  property.New(c.EndpointPublicAccess),
			"endpointPrivateAccess": property.New(!c.EndpointPublicAccess),
			"publicAccessCidrs":     strs(c.PublicAccessCidrs),
		}),
	}, nil
}

// getAccessEntry answers for the described accessEntries and fails for any other principal,
// as eks:DescribeAccessEntry does (ResourceNotFoundException).
func getAccessEntry(c Cluster, args property.Map) (values, error) {
	cluster, principal := args.Get("clusterName").AsString(), args.Get("principalArn").AsString()
	if cluster != c.Name || !slices.Contains(c.AccessEntries, principal) {
		return nil, fmt.Errorf("reading EKS Access Entry (%s:%s): couldn't find resource", cluster, principal)
	}
	// EKS's default username for a role: its assumed-role ARN with the session name.
	user := principal
	if i := strings.Index(principal, ":role/"); i >= 0 {
		name := principal[strings.LastIndex(principal, "/")+1:]
		user = fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/{{SessionName}}", c.Partition, c.AccountID, name)
	}
	return values{
		"id": str(cluster + ":" + principal), "clusterName": str(cluster), "principalArn": str(principal),
		"accessEntryArn": str(fmt.Sprintf("arn:%s:eks:%s:%s:access-entry/%s/role/%s/%s/0a1b2c3d", c.Partition,
			c.Region, c.AccountID, c.Name, c.AccountID, principal[strings.LastIndex(principal, "/")+1:])),
		"type": str("STANDARD"), "userName": str(user), "kubernetesGroups": strs(nil),
		"tags": obj(values{}), "tagsAll": obj(values{}),
		"createdAt": str("2026-01-01T00:00:00Z"), "modifiedAt": str("2026-01-01T00:00:00Z"),
	}, nil
}

func getNodeGroups(c Cluster, args property.Map) (values, error) {
	if name := argString(args, "clusterName"); name != c.Name {
		return nil, fmt.Errorf("listing EKS Node Groups (%s): couldn't find resource", name)
	}
	return values{"id": str(c.Name), "clusterName": str(c.Name), "names": strs(c.NodeGroups)}, nil
}

func argString(args property.Map, key string) string {
	if v, ok := args.GetOk(key); ok && v.IsString() {
		return v.AsString()
	}
	return ""
}
