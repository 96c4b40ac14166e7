package setup

import (
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// registrationRequest is the body Concurrent's `add_kube_cluster` handler reads for an EKS
// cluster (server/aws/lambdas/kube_clusters.py, add_kube_cluster, in concurrent-ai/concurrent:
// `item['cluster_name']` ... `item['use_fargate']`). The field names are its keys; the same
// role and external ID serve ECR (concurrent-facts.md section 5).
type registrationRequest struct {
	ClusterName string `json:"cluster_name"`
	Namespace   string `json:"namespace"`
	ClusterType string `json:"cluster_type"`
	Role        string `json:"role"`
	RoleExt     string `json:"role_ext"`
	Region      string `json:"region"`
	EcrRole     string `json:"ecr_role"`
	EcrRoleExt  string `json:"ecr_role_ext"`
	EcrType     string `json:"ecr_type"`
	EcrRegion   string `json:"ecr_region"`
	UseFargate  string `json:"use_fargate"`
}

// registrationRequests turns the registrations into namespace -> request JSON, secret
// because each holds the external ID.
func registrationRequests(regs RegistrationArrayOutput, externalID pulumi.StringOutput) pulumi.StringMapOutput {
	out := pulumi.All(regs, externalID).ApplyT(func(v []any) (map[string]string, error) {
		ext := v[1].(string)
		m := map[string]string{}
		for _, r := range v[0].([]Registration) {
			b, err := json.Marshal(registrationRequest{
				ClusterName: r.ClusterName, Namespace: r.Namespace, ClusterType: r.ClusterType,
				Role: r.Role, RoleExt: ext, Region: r.Region,
				EcrRole: r.EcrRole, EcrRoleExt: ext, EcrType: r.EcrType, EcrRegion: r.EcrRegion,
				UseFargate: r.UseFargate,
			})
			if err != nil {
				return nil, err
			}
			m[r.Namespace] = string(b)
		}
		return m, nil
	}).(pulumi.StringMapOutput)
	return pulumi.ToSecret(out).(pulumi.StringMapOutput)
}
