package setup

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ConcurrentEksSetup is the component and its outputs (design section 3).
type ConcurrentEksSetup struct {
	pulumi.ResourceState
	// No `,optional` on output tags: the Go SDK's construct result uses the whole tag as the
	// output's name (`nodeRoleArn,optional`), so such an output never reaches the program.

	RoleArn              pulumi.StringOutput      `pulumi:"roleArn"`
	RoleName             pulumi.StringOutput      `pulumi:"roleName"`
	ExternalId           pulumi.StringOutput      `pulumi:"externalId" provider:"secret"`
	ClusterName          pulumi.StringOutput      `pulumi:"clusterName"`
	ClusterArn           pulumi.StringOutput      `pulumi:"clusterArn"`
	Region               pulumi.StringOutput      `pulumi:"region"`
	AccessMode           pulumi.StringOutput      `pulumi:"accessMode"`
	Permissions          pulumi.StringOutput      `pulumi:"permissions"`
	NodeGroupNames       pulumi.StringArrayOutput `pulumi:"nodeGroupNames"`
	NodeRoleArn          pulumi.StringPtrOutput   `pulumi:"nodeRoleArn"`
	FargateProfileNames  pulumi.StringArrayOutput `pulumi:"fargateProfileNames"`
	PodExecutionRoleArn  pulumi.StringPtrOutput   `pulumi:"podExecutionRoleArn"`
	PrivateSubnetIds     pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	Namespaces           pulumi.StringArrayOutput `pulumi:"namespaces"`
	Registrations        RegistrationArrayOutput  `pulumi:"registrations"`
	RegistrationRequests pulumi.StringMapOutput   `pulumi:"registrationRequests" provider:"secret"`
	MlflowBackendConfigs pulumi.StringMapOutput   `pulumi:"mlflowBackendConfigs"`
}

func (r *ConcurrentEksSetup) Annotate(a infer.Annotator) {
	a.Describe(r, "Makes an existing Amazon EKS cluster ready for Concurrent for MLflow: the IAM role Concurrent "+
		"assumes (with an external ID), cluster-admin for it (an aws-auth entry merged without touching the others, "+
		"or an EKS access entry), managed node groups or Fargate profiles, and namespaces with the service accounts "+
		"and RBAC Concurrent expects. Its outputs are the values to register in Concurrent. Kubernetes object names "+
		"are fixed by Concurrent, so use one setup per cluster.")
	a.Describe(&r.RoleArn, "ARN of the role Concurrent assumes: the \"EKS Role\" to register in Concurrent.")
	a.Describe(&r.RoleName, "Name of that role.")
	a.Describe(&r.ExternalId, "The external ID Concurrent presents: the \"EKS External ID\" to register. Secret.")
	a.Describe(&r.ClusterName, "The EKS cluster's name (Concurrent's `kube-context`).")
	a.Describe(&r.ClusterArn, "The EKS cluster's ARN.")
	a.Describe(&r.Region, "The cluster's region.")
	a.Describe(&r.AccessMode, "How the role was made cluster-admin: `configMap` or `accessEntry`.")
	a.Describe(&r.Permissions, "The profile of the role's permission policy, `minimal` or `runbook` "+
		"(docs/permissions.md); empty when the role was brought with `roleArn`.")
	a.Describe(&r.NodeGroupNames, "Names of the managed node groups created (system, worker, deployment).")
	a.Describe(&r.NodeRoleArn, "Node IAM role of the node groups, when node groups are used.")
	a.Describe(&r.FargateProfileNames, "Names of the Fargate profiles created.")
	a.Describe(&r.PodExecutionRoleArn, "Fargate pod execution role, when Fargate is used.")
	a.Describe(&r.PrivateSubnetIds, "Private subnets created for Fargate by `fargate.network` (empty otherwise).")
	a.Describe(&r.Namespaces, "The namespaces prepared for Concurrent.")
	a.Describe(&r.Registrations, "One entry per namespace with every field of Concurrent's \"Add Cluster\" form "+
		"(the external ID is the `externalId` output).")
	a.Describe(&r.RegistrationRequests, "Namespace -> the JSON body Concurrent's `add_kube_cluster` handler reads "+
		"(the \"Add Cluster\" fields in snake_case: cluster_name, namespace, cluster_type, role, role_ext, region, "+
		"ecr_role, ecr_role_ext, ecr_type, ecr_region, use_fargate), ready to post. Secret: it holds the external ID.")
	a.Describe(&r.MlflowBackendConfigs, "Namespace -> the JSON for `mlflow run -b concurrent-backend --backend-config`.")
}

// Registration is what a user enters in Concurrent's "Add Cluster" form for one namespace
// (concurrent-facts.md section 5).
type Registration struct {
	ClusterName string `pulumi:"clusterName"`
	Namespace   string `pulumi:"namespace"`
	ClusterType string `pulumi:"clusterType"`
	Role        string `pulumi:"role"`
	Region      string `pulumi:"region"`
	EcrRole     string `pulumi:"ecrRole"`
	EcrType     string `pulumi:"ecrType"`
	EcrRegion   string `pulumi:"ecrRegion"`
	UseFargate  string `pulumi:"useFargate"`
}

func (r *Registration) Annotate(a infer.Annotator) {
	a.Describe(r, "The values of Concurrent's \"Add Cluster\" form for one namespace.")
	a.Describe(&r.ClusterName, "cluster_name: the EKS cluster's name.")
	a.Describe(&r.Namespace, "namespace.")
	a.Describe(&r.ClusterType, "cluster_type: always `EKS`.")
	a.Describe(&r.Role, "role: the ARN of the role Concurrent assumes (role_ext is the `externalId` output).")
	a.Describe(&r.Region, "region: the cluster's region.")
	a.Describe(&r.EcrRole, "ecr_role: the role used for ECR, the same role (ecr_role_ext is the `externalId` output).")
	a.Describe(&r.EcrType, "ecr_type: `private` or `public`.")
	a.Describe(&r.EcrRegion, "ecr_region.")
	a.Describe(&r.UseFargate, "use_fargate: `yes` or `no`.")
}

// RegistrationOutput and RegistrationArrayOutput let the Go SDK machinery carry
// Registration values as outputs.
type RegistrationOutput struct{ *pulumi.OutputState }

func (RegistrationOutput) ElementType() reflect.Type { return reflect.TypeOf(Registration{}) }

type RegistrationArrayOutput struct{ *pulumi.OutputState }

func (RegistrationArrayOutput) ElementType() reflect.Type { return reflect.TypeOf([]Registration{}) }

func (o RegistrationArrayOutput) ToRegistrationArrayOutput() RegistrationArrayOutput { return o }

func (o RegistrationArrayOutput) ToRegistrationArrayOutputWithContext(context.Context) RegistrationArrayOutput {
	return o
}

func init() {
	pulumi.RegisterOutputType(RegistrationOutput{})
	pulumi.RegisterOutputType(RegistrationArrayOutput{})
}

func (r *ConcurrentEksSetup) setOutputs(c *config, f *clusterFacts, role *concurrentRole, compute *computeResult,
	namespaces []string,
) {
	cl := f.cluster
	r.RoleArn = role.arn
	r.RoleName = role.name
	r.ExternalId = role.externalID
	r.ClusterName = cl.name
	r.ClusterArn = cl.arn
	r.Region = pulumi.String(cl.region).ToStringOutput()
	r.AccessMode = pulumi.String(string(f.accessMode)).ToStringOutput()
	permissions := c.permissions
	if c.roleArn != nil {
		permissions = "" // no policy is created for a brought role
	}
	r.Permissions = pulumi.String(string(permissions)).ToStringOutput()
	r.NodeGroupNames = orEmpty(compute.nodeGroupNames)
	r.NodeRoleArn = orNil(compute.nodeRoleArn)
	r.FargateProfileNames = orEmpty(compute.fargateProfileNames)
	r.PodExecutionRoleArn = orNil(compute.podExecutionRoleArn)
	r.PrivateSubnetIds = orEmpty(compute.privateSubnetIds)
	r.Namespaces = pulumi.ToStringArray(namespaces).ToStringArrayOutput()

	useFargate := "no"
	if c.computeType == ComputeFargate {
		useFargate = "yes"
	}
	r.Registrations = pulumi.All(cl.name, role.arn).ApplyT(func(v []any) []Registration {
		regs := make([]Registration, 0, len(namespaces))
		for _, ns := range namespaces {
			regs = append(regs, Registration{
				ClusterName: v[0].(string), Namespace: ns, ClusterType: "EKS",
				Role: v[1].(string), Region: cl.region,
				EcrRole: v[1].(string), EcrType: string(c.ecrType), EcrRegion: c.ecrRegion,
				UseFargate: useFargate,
			})
		}
		return regs
	}).(RegistrationArrayOutput)
	r.RegistrationRequests = registrationRequests(r.Registrations, role.externalID)
	r.MlflowBackendConfigs = cl.name.ApplyT(func(clusterName string) map[string]string {
		out := make(map[string]string, len(namespaces))
		for _, ns := range namespaces {
			out[ns] = mlflowBackendConfig(clusterName, ns)
		}
		return out
	}).(pulumi.StringMapOutput)
}

// mlflowBackendConfig is the --backend-config of the runbook's test run: kube-context is the
// EKS cluster's name, which Concurrent passes to eks:DescribeCluster (concurrent-facts.md 1).
func mlflowBackendConfig(clusterName, namespace string) string {
	b, _ := json.Marshal(struct {
		BackendType        string `json:"backend-type"`
		KubeContext        string `json:"kube-context"`
		KubeNamespace      string `json:"kube-namespace"`
		RequestsMemory     string `json:"resources.requests.memory"`
		KubeClientLocation string `json:"kube-client-location"`
	}{"eks", clusterName, namespace, "1024Mi", "backend"})
	return string(b)
}

func orEmpty(o pulumi.StringArrayOutput) pulumi.StringArrayOutput {
	if o.OutputState == nil {
		return pulumi.StringArray{}.ToStringArrayOutput()
	}
	return o
}

func orNil(o pulumi.StringPtrOutput) pulumi.StringPtrOutput {
	if o.OutputState == nil {
		return pulumi.ToOutput((*string)(nil)).(pulumi.StringPtrOutput)
	}
	return o
}
