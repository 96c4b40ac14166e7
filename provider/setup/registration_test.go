package setup_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/testprops"
)

// addKubeClusterEksFields are the keys Concurrent's add_kube_cluster handler reads from the
// posted body for an EKS cluster, in its order (server/aws/lambdas/kube_clusters.py in
// concurrent-ai/concurrent: item['cluster_name'], item['namespace'], item['cluster_type'],
// then for EKS item['role'] ... item['use_fargate']). A key it does not read is dropped,
// a key it reads and we miss is a KeyError in the handler.
var addKubeClusterEksFields = []string{
	"cluster_name", "namespace", "cluster_type",
	"role", "role_ext", "region", "ecr_role", "ecr_role_ext", "ecr_type", "ecr_region", "use_fargate",
}

func TestRegistrationRequestsMatchAddKubeCluster(t *testing.T) {
	const ext = "ext-id-0123456789"
	for _, tc := range []struct {
		name       string
		inputs     map[string]any
		useFargate string
	}{
		{"node groups", twoNamespaces(map[string]any{"externalId": secret(ext)}), "no"},
		{"fargate", with(map[string]any{
			"externalId": secret(ext), "computeType": "fargate",
			"fargate":    map[string]any{"subnetIds": fgSubnets},
			"namespaces": []any{map[string]any{"name": "alpha"}, map[string]any{"name": "beta"}},
		}), "yes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := mustConstruct(t, tc.inputs)
			out := run.Outputs.Get("registrationRequests")
			assert.True(t, out.Secret(), "registrationRequests holds the external ID: it must be secret")
			roleArn := testprops.Str(run.Outputs, "roleArn")

			reqs, ok := testprops.Plain(out).(map[string]any)
			require.True(t, ok, "registrationRequests: %v", out)
			require.Len(t, reqs, 2)
			for _, ns := range []string{"alpha", "beta"} {
				body, ok := reqs[ns].(string)
				require.True(t, ok, ns)
				var got map[string]string
				require.NoError(t, json.Unmarshal([]byte(body), &got), body)

				keys := make([]string, 0, len(got))
				for k := range got {
					keys = append(keys, k)
				}
				assert.ElementsMatch(t, addKubeClusterEksFields, keys, "the handler's field list")
				assert.Equal(t, map[string]string{
					"cluster_name": "kubetest32", "namespace": ns, "cluster_type": "EKS",
					"role": roleArn, "role_ext": ext, "region": "us-east-2",
					"ecr_role": roleArn, "ecr_role_ext": ext, "ecr_type": "private", "ecr_region": "us-east-2",
					"use_fargate": tc.useFargate,
				}, got, ns)
			}
		})
	}
}
