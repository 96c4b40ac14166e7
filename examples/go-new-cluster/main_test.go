package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	awseks "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	setupType      = "concurrent:index:ConcurrentEksSetup"
	eksType        = "eks:index:Cluster"
	awsClusterType = "aws:eks/cluster:Cluster"
	// The name EKS would give the cluster pulumi-eks creates ("<name>-eksCluster-<random>").
	eksClusterName = "mlflow-eksCluster-4b1c2d3"
)

// mocks plays AWS and the two remote components. Custom resources get the ID mockID
// gives them and echo their inputs; pulumi-eks's Cluster answers with a reference to
// its aws.eks.Cluster child (registered by the test as a stand-in: a remote component
// creates no children under mocks).
type mocks struct {
	mu            sync.Mutex
	registered    []pulumi.MockResourceArgs
	eksClusterURN string
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.registered = append(m.registered, args)
	switch args.TypeToken {
	case awsClusterType:
		return eksClusterName, resource.NewPropertyMapFromMap(map[string]any{"name": eksClusterName}), nil
	case eksType:
		if m.eksClusterURN == "" {
			return "", nil, fmt.Errorf("%s registered before the stand-in of its %s", eksType, awsClusterType)
		}
		return "", resource.PropertyMap{
			"eksCluster": resource.MakeCustomResourceReference(resource.URN(m.eksClusterURN),
				resource.ID(eksClusterName), ""),
			"kubeconfigJson": resource.NewProperty(`{"apiVersion": "v1", "kind": "Config"}`),
		}, nil
	case setupType:
		return "", resource.NewPropertyMapFromMap(map[string]any{
			"clusterName": eksClusterName,
			"roleArn":     "arn:aws:iam::210987654321:role/concurrent-role-1a2b3c4",
			"externalId":  resource.MakeSecret(resource.NewProperty("0b9d6f57-5b0e-4b7c-9b4a-6c1d2e3f4a5b")),
		}), nil
	}
	if !args.Custom {
		return "", nil, fmt.Errorf("unexpected component %s %q", args.TypeToken, args.Name)
	}
	return mockID(args.TypeToken, args.Name), args.Inputs, nil
}

// mockID is the ID of a custom resource under mocks: "subnet-mlflow-private-1" for the
// aws:ec2/subnet:Subnet "mlflow-private-1".
func mockID(typ, name string) string {
	return strings.ToLower(string(tokens.Type(typ).Name())) + "-" + name
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" {
		return resource.NewPropertyMapFromMap(map[string]any{
			"id":    "us-east-2",
			"names": []string{"us-east-2a", "us-east-2b", "us-east-2c"},
		}), nil
	}
	return nil, fmt.Errorf("unexpected invoke %s", args.Token)
}

// run runs the program under mocks after registering the stand-in for the aws.eks.Cluster
// that pulumi-eks creates, and returns every registration by type.
func run(t *testing.T) map[string][]pulumi.MockResourceArgs {
	t.Helper()
	t.Setenv("PULUMI_CONFIG", `{"project:concurrentAccountId": "123456789012"}`)
	m := &mocks{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var standIn awseks.Cluster
		if err := ctx.RegisterResource(awsClusterType, "mlflow-eksCluster", nil, &standIn); err != nil {
			return err
		}
		// Wait for the registration: the reference in pulumi-eks's answer is read back by URN.
		registered := make(chan string)
		standIn.URN().ApplyT(func(urn pulumi.URN) error { registered <- string(urn); return nil })
		urn := <-registered
		m.mu.Lock()
		m.eksClusterURN = urn
		m.mu.Unlock()
		return program(ctx)
	}, pulumi.WithMocks("project", "stack", m))
	if err != nil {
		t.Fatalf("program: %v", err)
	}
	byType := map[string][]pulumi.MockResourceArgs{}
	for _, r := range m.registered {
		byType[r.TypeToken] = append(byType[r.TypeToken], r)
	}
	return byType
}

func only(t *testing.T, byType map[string][]pulumi.MockResourceArgs, typ string) pulumi.MockResourceArgs {
	t.Helper()
	if n := len(byType[typ]); n != 1 {
		t.Fatalf("%d %s registered, want 1", n, typ)
	}
	return byType[typ][0]
}

// TestSetupOnNewCluster: the setup gets the new cluster's name (an output of pulumi-eks),
// explicit accessEntry mode, Fargate on the VPC's private subnets, and the two namespaces;
// nothing else.
func TestSetupOnNewCluster(t *testing.T) {
	byType := run(t)
	setup := only(t, byType, setupType)
	if setup.Name != "concurrent" || setup.Custom || !setup.RegisterRPC.GetRemote() {
		t.Errorf("setup %q custom=%v remote=%v: want the remote component \"concurrent\"",
			setup.Name, setup.Custom, setup.RegisterRPC.GetRemote())
	}
	assertInputs(t, setup.Inputs, `{
		"clusterName": "`+eksClusterName+`",
		"concurrentAccountId": "123456789012",
		"access": {"mode": "accessEntry"},
		"computeType": "fargate",
		"fargate": {"subnetIds": ["subnet-mlflow-private-1", "subnet-mlflow-private-2", "subnet-mlflow-private-3"]},
		"namespaces": [{"name": "team-a"}, {"name": "team-b"}]
	}`)

	// The cluster name is an output of the pulumi-eks cluster, so the setup waits for it.
	eksName := only(t, byType, eksType).Name
	deps := setup.RegisterRPC.GetPropertyDependencies()["clusterName"].GetUrns()
	if !slices.ContainsFunc(deps, func(urn string) bool {
		return resource.URN(urn).Name() == eksName && resource.URN(urn).Type() == eksType
	}) {
		t.Errorf("clusterName depends on %v, want the %s %q", deps, eksType, eksName)
	}
}

// TestCluster: pulumi-eks builds the cluster in the new VPC, access entries only, no node
// group, Fargate for the system pods.
func TestCluster(t *testing.T) {
	byType := run(t)
	cluster := only(t, byType, eksType)
	assertInputs(t, cluster.Inputs, `{
		"vpcId": "vpc-mlflow",
		"publicSubnetIds": ["subnet-mlflow-public-1", "subnet-mlflow-public-2", "subnet-mlflow-public-3"],
		"privateSubnetIds": ["subnet-mlflow-private-1", "subnet-mlflow-private-2", "subnet-mlflow-private-3"],
		"authenticationMode": "API",
		"skipDefaultNodeGroup": true,
		"fargate": true
	}`)
}

// TestNetwork: each private subnet is in its own zone and routes to the internet through
// the NAT gateway (Fargate pods have no public address); each public subnet routes
// through the internet gateway, and the NAT gateway sits in one of them.
func TestNetwork(t *testing.T) {
	byType := run(t)
	ids := func(typ string) map[string]resource.PropertyMap {
		out := map[string]resource.PropertyMap{}
		for _, r := range byType[typ] {
			out[mockID(typ, r.Name)] = r.Inputs
		}
		return out
	}
	subnets, tables, assocs := ids("aws:ec2/subnet:Subnet"), ids("aws:ec2/routeTable:RouteTable"), byType["aws:ec2/routeTableAssociation:RouteTableAssociation"]
	nat := only(t, byType, "aws:ec2/natGateway:NatGateway")
	igw := only(t, byType, "aws:ec2/internetGateway:InternetGateway")

	// Where each subnet's default route goes: "gatewayId=..." or "natGatewayId=...".
	defaultRoute := map[string]string{}
	for _, a := range assocs {
		subnet, table := a.Inputs["subnetId"].StringValue(), a.Inputs["routeTableId"].StringValue()
		routes := tables[table]["routes"]
		if !routes.IsArray() || len(routes.ArrayValue()) != 1 {
			t.Fatalf("route table %s: routes %v, want one default route", table, routes)
		}
		r := routes.ArrayValue()[0].ObjectValue()
		if r["cidrBlock"].StringValue() != "0.0.0.0/0" {
			t.Errorf("route table %s: route to %v, want 0.0.0.0/0", table, r["cidrBlock"])
		}
		for _, k := range []resource.PropertyKey{"gatewayId", "natGatewayId"} {
			if v, ok := r[k]; ok && v.IsString() {
				defaultRoute[subnet] = string(k) + "=" + v.StringValue()
			}
		}
	}

	zones := map[string]bool{}
	for _, id := range []string{"subnet-mlflow-private-1", "subnet-mlflow-private-2", "subnet-mlflow-private-3"} {
		if got, want := defaultRoute[id], "natGatewayId="+mockID(nat.TypeToken, nat.Name); got != want {
			t.Errorf("private subnet %s: default route %q, want %q", id, got, want)
		}
		if v, ok := subnets[id]["mapPublicIpOnLaunch"]; ok && v.IsBool() && v.BoolValue() {
			t.Errorf("private subnet %s maps public IPs", id)
		}
		zones[subnets[id]["availabilityZone"].StringValue()] = true
	}
	if len(zones) != 3 {
		t.Errorf("private subnets in zones %v, want 3 distinct zones", zones)
	}
	for _, id := range []string{"subnet-mlflow-public-1", "subnet-mlflow-public-2", "subnet-mlflow-public-3"} {
		if got, want := defaultRoute[id], "gatewayId="+mockID(igw.TypeToken, igw.Name); got != want {
			t.Errorf("public subnet %s: default route %q, want %q", id, got, want)
		}
	}
	if got := nat.Inputs["subnetId"].StringValue(); !slices.Contains([]string{"subnet-mlflow-public-1", "subnet-mlflow-public-2", "subnet-mlflow-public-3"}, got) {
		t.Errorf("NAT gateway in subnet %q, want a public subnet", got)
	}
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
		t.Errorf("inputs:\n got %s\nwant %s", g, e)
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
