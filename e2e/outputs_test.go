//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// eksSetup is the client side of the remote ConcurrentEksSetup: every output the schema
// declares, taken as it arrives, so the test (not the Go SDK) judges its shape.
type eksSetup struct {
	pulumi.ResourceState
	RoleArn              pulumi.AnyOutput `pulumi:"roleArn"`
	RoleName             pulumi.AnyOutput `pulumi:"roleName"`
	ExternalId           pulumi.AnyOutput `pulumi:"externalId"`
	ClusterName          pulumi.AnyOutput `pulumi:"clusterName"`
	ClusterArn           pulumi.AnyOutput `pulumi:"clusterArn"`
	Region               pulumi.AnyOutput `pulumi:"region"`
	AccessMode           pulumi.AnyOutput `pulumi:"accessMode"`
	Permissions          pulumi.AnyOutput `pulumi:"permissions"`
	NodeGroupNames       pulumi.AnyOutput `pulumi:"nodeGroupNames"`
	NodeRoleArn          pulumi.AnyOutput `pulumi:"nodeRoleArn"`
	FargateProfileNames  pulumi.AnyOutput `pulumi:"fargateProfileNames"`
	PodExecutionRoleArn  pulumi.AnyOutput `pulumi:"podExecutionRoleArn"`
	PrivateSubnetIds     pulumi.AnyOutput `pulumi:"privateSubnetIds"`
	Namespaces           pulumi.AnyOutput `pulumi:"namespaces"`
	Registrations        pulumi.AnyOutput `pulumi:"registrations"`
	MlflowBackendConfigs pulumi.AnyOutput `pulumi:"mlflowBackendConfigs"`
	RegistrationRequests pulumi.AnyOutput `pulumi:"registrationRequests"`
}

// export makes every output a stack output of the same name.
func (s *eksSetup) export(ctx *pulumi.Context) {
	for name, o := range map[string]pulumi.AnyOutput{
		"roleArn": s.RoleArn, "roleName": s.RoleName, "externalId": s.ExternalId, "clusterName": s.ClusterName,
		"clusterArn": s.ClusterArn, "region": s.Region, "accessMode": s.AccessMode, "permissions": s.Permissions,
		"nodeGroupNames": s.NodeGroupNames, "nodeRoleArn": s.NodeRoleArn, "fargateProfileNames": s.FargateProfileNames,
		"podExecutionRoleArn": s.PodExecutionRoleArn, "privateSubnetIds": s.PrivateSubnetIds,
		"namespaces": s.Namespaces, "registrations": s.Registrations, "mlflowBackendConfigs": s.MlflowBackendConfigs,
		"registrationRequests": s.RegistrationRequests,
	} {
		ctx.Export(name, o)
	}
}

// schemaProperty is the part of a schema property that fixes a value's shape.
type schemaProperty struct {
	Type                 string          `json:"type"`
	Ref                  string          `json:"$ref"`
	Secret               bool            `json:"secret"`
	Items                *schemaProperty `json:"items"`
	AdditionalProperties *schemaProperty `json:"additionalProperties"`
}

type schemaObject struct {
	Properties map[string]schemaProperty `json:"properties"`
	Required   []string                  `json:"required"`
}

type packageSchema struct {
	Resources map[string]schemaObject `json:"resources"`
	Types     map[string]schemaObject `json:"types"`
}

func loadSchema(t *testing.T) packageSchema {
	t.Helper()
	b, err := os.ReadFile("../schema.yaml")
	require.NoError(t, err)
	var s packageSchema
	require.NoError(t, yaml.Unmarshal(b, &s))
	return s
}

// assertOutputsMatchSchema checks that every output the schema requires arrived, with the
// schema's shape, and secret where the schema says so: what a TypeScript or Python program
// typed from the schema would read. nullable are the outputs the component leaves null in
// this configuration.
func assertOutputsMatchSchema(t *testing.T, outputs auto.OutputMap, token string, nullable ...string) {
	t.Helper()
	s := loadSchema(t)
	res, ok := s.Resources[token]
	require.True(t, ok, "schema has no %s", token)
	for _, name := range res.Required {
		out, ok := outputs[name]
		if !assert.True(t, ok, "output %s missing", name) {
			continue
		}
		prop := res.Properties[name]
		assert.Equal(t, prop.Secret, out.Secret, "output %s: secret", name)
		if out.Value == nil && slices.Contains(nullable, name) {
			continue
		}
		for _, problem := range s.shape(prop, out.Value, name) {
			t.Errorf("output %s", problem)
		}
	}
	for name := range outputs {
		_, declared := res.Properties[name]
		assert.True(t, declared, "output %s is not in the schema", name)
	}
}

// shape lists how v differs from the schema property p.
func (s packageSchema) shape(p schemaProperty, v any, path string) []string {
	if p.Ref != "" {
		obj, ok := s.Types[strings.TrimPrefix(p.Ref, "#/types/")]
		if !ok {
			return []string{fmt.Sprintf("%s: unknown $ref %s", path, p.Ref)}
		}
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object %s, got %T %v", path, p.Ref, v, v)}
		}
		var out []string
		for k, sub := range obj.Properties {
			if _, ok := m[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			out = append(out, s.shape(sub, m[k], path+"."+k)...)
		}
		for k := range m {
			if _, ok := obj.Properties[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: not in the schema", path, k))
			}
		}
		return out
	}
	switch p.Type {
	case "string":
		if _, ok := v.(string); !ok {
			return []string{fmt.Sprintf("%s: want a string, got %T %v", path, v, v)}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return []string{fmt.Sprintf("%s: want a boolean, got %T %v", path, v, v)}
		}
	case "integer", "number":
		if _, ok := v.(float64); !ok {
			return []string{fmt.Sprintf("%s: want a number, got %T %v", path, v, v)}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %T %v", path, v, v)}
		}
		var out []string
		for i, e := range arr {
			out = append(out, s.shape(*p.Items, e, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want a map, got %T %v", path, v, v)}
		}
		var out []string
		for k, e := range m {
			out = append(out, s.shape(*p.AdditionalProperties, e, path+"."+k)...)
		}
		return out
	default:
		return []string{fmt.Sprintf("%s: schema type %q not checked", path, p.Type)}
	}
	return nil
}
