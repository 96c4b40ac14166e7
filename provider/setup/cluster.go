package setup

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// clusterFacts is what the look-ups learn, read by the rules that need the cluster and by
// every step: the cluster and its account, the access mode `auto` resolves to, the
// kubeconfig that reaches the cluster, the subnets, and the VPC of fargate.network (nil
// without it).
type clusterFacts struct {
	cluster    *cluster
	accessMode AccessMode
	kubeconfig pulumi.StringOutput // secret
	network    *vpcNetwork
	// subnets are the cluster's subnets and the known ones the inputs name (known cluster
	// only); privateSubnetIds the cluster's private ones, the node groups' default, and
	// subnetWhy what made each subnet private or public.
	subnets          map[string]subnetInfo
	privateSubnetIds pulumi.StringArrayOutput
	subnetWhy        []string
	// nodeGroupNames lists the cluster's node groups (known cluster, computeType fargate;
	// nil otherwise).
	nodeGroupNames []string
	// existingAccessEntry is the brought role's access entry this setup did not make (leftovers.go).
	existingAccessEntry *existingAccessEntry
}

// lookUp reads the cluster, its account and region, its subnets, and the VPC of
// fargate.network.
func lookUp(ctx *pulumi.Context, parent pulumi.Resource, c *config) (*clusterFacts, error) {
	cl, err := lookupCluster(ctx, parent, c)
	if err != nil {
		return nil, err
	}
	f := &clusterFacts{
		cluster:    cl,
		accessMode: resolveAccessMode(c.access.mode, cl),
		kubeconfig: kubeconfig(c, cl),
	}
	if err := lookupSubnets(ctx, parent, c, f); err != nil {
		return nil, err
	}
	if f.network, err = lookupNetwork(ctx, parent, c, f); err != nil {
		return nil, err
	}
	if cl.known && c.computeType == ComputeFargate {
		groups, err := eks.GetNodeGroups(ctx, &eks.GetNodeGroupsArgs{ClusterName: cl.knownName}, pulumi.Parent(parent))
		if err != nil {
			return nil, fmt.Errorf("clusterName: listing the node groups of cluster %s: %w", cl.knownName, err)
		}
		f.nodeGroupNames = append([]string{}, groups.Names...)
	}
	return f, nil
}

// cluster is what the steps need to know about the existing EKS cluster and its account.
type cluster struct {
	name      pulumi.StringOutput
	arn       pulumi.StringOutput
	endpoint  pulumi.StringOutput
	caData    pulumi.StringOutput
	subnetIds pulumi.StringArrayOutput
	vpcId     pulumi.StringOutput
	version   pulumi.StringOutput

	// known is true when clusterName was known at construct time and the cluster was looked
	// up with the blocking invoke; authenticationMode is then the cluster's accessConfig mode.
	known              bool
	knownName          string
	authenticationMode string
	knownVersion       string
	knownVpcId         string
	knownSubnetIds     []string
	endpointPublic     bool
	publicAccessCidrs  []string

	region    string
	partition string
	accountId string
}

// authMode is the known cluster's authenticationMode. Clusters created before access
// entries existed report none: they read only the aws-auth ConfigMap.
func (cl *cluster) authMode() string {
	if cl.authenticationMode == "" {
		return "CONFIG_MAP"
	}
	return cl.authenticationMode
}

// lookupCluster reads the cluster, the region, the partition and the account. When the
// cluster's name is known it blocks, so `access.mode: auto` can decide which children to
// register; otherwise (a cluster built in the same program) it uses the output form.
func lookupCluster(ctx *pulumi.Context, parent pulumi.Resource, c *config) (*cluster, error) {
	opt := pulumi.Parent(parent)
	region, err := aws.GetRegion(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the region: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the partition: %w", err)
	}
	caller, err := aws.GetCallerIdentity(ctx, nil, opt)
	if err != nil {
		return nil, fmt.Errorf("looking up the account: %w", err)
	}
	cl := &cluster{region: region.Name, partition: partition.Partition, accountId: caller.AccountId}

	if name, ok := knownString(c.clusterName); ok {
		res, err := eks.LookupCluster(ctx, &eks.LookupClusterArgs{Name: name}, opt)
		if err != nil {
			return nil, fmt.Errorf("clusterName: looking up EKS cluster %q in %s: %w", name, cl.region, err)
		}
		cl.known, cl.knownName, cl.knownVersion = true, name, res.Version
		cl.knownVpcId, cl.knownSubnetIds = res.VpcConfig.VpcId, res.VpcConfig.SubnetIds
		cl.endpointPublic, cl.publicAccessCidrs = res.VpcConfig.EndpointPublicAccess, res.VpcConfig.PublicAccessCidrs
		if len(res.AccessConfigs) > 0 {
			cl.authenticationMode = res.AccessConfigs[0].AuthenticationMode
		}
		ca := ""
		if len(res.CertificateAuthorities) > 0 {
			ca = res.CertificateAuthorities[0].Data
		}
		cl.name = pulumi.String(name).ToStringOutput()
		cl.arn = pulumi.String(res.Arn).ToStringOutput()
		cl.endpoint = pulumi.String(res.Endpoint).ToStringOutput()
		cl.caData = pulumi.String(ca).ToStringOutput()
		cl.subnetIds = pulumi.ToStringArray(res.VpcConfig.SubnetIds).ToStringArrayOutput()
		cl.vpcId = pulumi.String(res.VpcConfig.VpcId).ToStringOutput()
		cl.version = pulumi.String(res.Version).ToStringOutput()
		return cl, nil
	}

	res := eks.LookupClusterOutput(ctx, eks.LookupClusterOutputArgs{Name: c.clusterName}, opt)
	// A cluster built in the same program is checked when it exists: every child takes its
	// name from here, so none is created for a cluster Concurrent cannot reach.
	cl.name = pulumi.All(res.Name(), res.VpcConfig()).ApplyT(func(v []any) (string, error) {
		vpc := v[1].(eks.GetClusterVpcConfig)
		return v[0].(string), endpointError(v[0].(string), vpc.EndpointPublicAccess, c.allowPrivateEndpoint)
	}).(pulumi.StringOutput)
	cl.arn = res.Arn()
	cl.endpoint = res.Endpoint()
	cl.caData = res.CertificateAuthorities().Index(pulumi.Int(0)).Data()
	cl.subnetIds = res.VpcConfig().SubnetIds()
	cl.vpcId = res.VpcConfig().VpcId()
	cl.version = res.Version()
	return cl, nil
}
