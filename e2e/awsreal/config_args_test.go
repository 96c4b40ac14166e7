package awsreal_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// Without credentials the run is skipped, whatever else is set, and says why.
func TestSkipsWithoutCredentials(t *testing.T) {
	_, skip, err := configFromEnv(env(map[string]string{"CONCURRENT_E2E_CLUSTER": "c", "AWS_REGION": "us-east-2"}))
	require.NoError(t, err)
	assert.Contains(t, skip, "no AWS credentials in the environment")
	assert.Contains(t, skip, "AWS_PROFILE")
}

func TestArguments(t *testing.T) {
	creds := map[string]string{"AWS_PROFILE": "acceptance"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{"CONCURRENT_E2E_CLUSTER": "prod-ml", "CONCURRENT_E2E_ACCOUNT": "123456789012", "AWS_REGION": "eu-west-1"}
		for k, v := range creds {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	cfg, skip, err := configFromEnv(env(with(nil)))
	require.NoError(t, err)
	assert.Empty(t, skip)
	assert.Equal(t, runConfig{cluster: "prod-ml", region: "eu-west-1", account: "123456789012", compute: "nodeGroups"}, cfg)

	cfg, _, err = configFromEnv(env(with(map[string]string{
		"CONCURRENT_E2E_REGION": "us-west-2", "CONCURRENT_E2E_COMPUTE": "fargate",
		"CONCURRENT_E2E_FARGATE_SUBNETS": "subnet-a, subnet-b,",
	})))
	require.NoError(t, err)
	assert.Equal(t, "us-west-2", cfg.region, "CONCURRENT_E2E_REGION wins over AWS_REGION")
	assert.Equal(t, []string{"subnet-a", "subnet-b"}, cfg.fargateSubnets)

	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CONCURRENT_E2E_CLUSTER": ""}, "CONCURRENT_E2E_CLUSTER: required"},
		{map[string]string{"AWS_REGION": ""}, "CONCURRENT_E2E_REGION: required"},
		{map[string]string{"CONCURRENT_E2E_ACCOUNT": "12345"}, `CONCURRENT_E2E_ACCOUNT: "12345" is not a 12-digit`},
		{map[string]string{"CONCURRENT_E2E_COMPUTE": "ec2"}, `CONCURRENT_E2E_COMPUTE: "ec2" is not one of`},
		{map[string]string{"CONCURRENT_E2E_COMPUTE": "fargate"}, "CONCURRENT_E2E_FARGATE_SUBNETS: required"},
	} {
		_, _, err := configFromEnv(env(with(tc.env)))
		assert.ErrorContains(t, err, tc.want, tc.env)
	}
}
