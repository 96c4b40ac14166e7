package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const setupType = "concurrent:index:ConcurrentEksSetup"

// mocks records every registration and answers for the component with outputs shaped like
// the provider's. The component runs in the provider (a remote component), so under mocks
// it registers no children: this test checks what the program sends through the Go SDK.
type mocks struct {
	mu         sync.Mutex
	registered []pulumi.MockResourceArgs
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered = append(m.registered, args)
	m.mu.Unlock()
	if args.TypeToken != setupType {
		return "", nil, fmt.Errorf("unexpected resource %s %q", args.TypeToken, args.Name)
	}
	return "", resource.NewPropertyMapFromMap(map[string]any{
		"roleArn":    "arn:aws:iam::210987654321:role/concurrent-role-1a2b3c4",
		"externalId": resource.MakeSecret(resource.NewProperty("0b9d6f57-5b0e-4b7c-9b4a-6c1d2e3f4a5b")),
		"registrations": []any{
			map[string]any{"clusterName": "demo", "namespace": "team-a", "clusterType": "EKS"},
			map[string]any{"clusterName": "demo", "namespace": "team-b", "clusterType": "EKS"},
		},
		"mlflowBackendConfigs": map[string]any{"team-a": "{}", "team-b": "{}"},
	}), nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("unexpected invoke %s", args.Token)
}

// TestProgram runs the program under mocks and compares the whole input map of the
// component with what main.go writes: a field the Go SDK dropped, renamed or mistyped
// fails here.
func TestProgram(t *testing.T) {
	t.Setenv("PULUMI_CONFIG", `{"project:clusterName": "demo", "project:concurrentAccountId": "123456789012"}`)
	m := &mocks{}
	if err := pulumi.RunErr(program, pulumi.WithMocks("project", "stack", m)); err != nil {
		t.Fatalf("program: %v", err)
	}

	if len(m.registered) != 1 {
		t.Fatalf("registered %d resources, want only the component: %v", len(m.registered), types(m.registered))
	}
	setup := m.registered[0]
	if setup.TypeToken != setupType || setup.Name != "concurrent" {
		t.Fatalf("registered %s %q, want %s %q", setup.TypeToken, setup.Name, setupType, "concurrent")
	}
	if setup.Custom || !setup.RegisterRPC.GetRemote() {
		t.Errorf("custom=%v remote=%v: want a remote component (constructed by the provider)",
			setup.Custom, setup.RegisterRPC.GetRemote())
	}

	want := `{
		"clusterName": "demo",
		"concurrentAccountId": "123456789012",
		"computeType": "nodeGroups",
		"nodeGroups": {
			"system": {"capacityType": "ON_DEMAND", "instanceTypes": ["m6i.xlarge", "m6a.xlarge"]},
			"worker": {"capacityType": "SPOT", "instanceTypes": ["m6i.2xlarge", "m6a.2xlarge"], "maxSize": 3}
		},
		"namespaces": [
			{"name": "team-a", "labels": {"team": "a"}},
			{"name": "team-b", "labels": {"team": "b"}}
		],
		"tags": {"app": "concurrent-for-mlflow"}
	}`
	assertInputs(t, setup.Inputs, want)
}

func types(rs []pulumi.MockResourceArgs) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.TypeToken+" "+r.Name)
	}
	return out
}

// assertInputs compares inputs with the JSON document want. A secret value is written
// {"secret": value} in want; an unknown one fails.
func assertInputs(t *testing.T, inputs resource.PropertyMap, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want: %v", err)
	}
	got := plain(t, resource.NewProperty(inputs))
	if !reflect.DeepEqual(got, w) {
		g, _ := json.MarshalIndent(got, "", "  ")
		e, _ := json.MarshalIndent(w, "", "  ")
		t.Errorf("component inputs:\n got %s\nwant %s", g, e)
	}
}

// plain turns a property value into what encoding/json decodes the same document to.
func plain(t *testing.T, v resource.PropertyValue) any {
	t.Helper()
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(t, e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(t, e)
		}
		return out
	case v.IsSecret():
		return map[string]any{"secret": plain(t, v.SecretValue().Element)}
	case v.IsOutput() && v.OutputValue().Known:
		inner := plain(t, v.OutputValue().Element)
		if v.OutputValue().Secret {
			return map[string]any{"secret": inner}
		}
		return inner
	}
	t.Fatalf("unexpected input value %v", v)
	return nil
}
