package examples

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func schema(t *testing.T) *schemaSpec {
	t.Helper()
	s, err := loadSchema(filepath.Join("..", "schema.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Resources["concurrent:index:ConcurrentEksSetup"]; !ok {
		t.Fatalf("schema.yaml has no concurrent:index:ConcurrentEksSetup")
	}
	return s
}

// yamlPrograms returns the Pulumi YAML programs of the repository: the top-level
// Pulumi.yaml and every examples/*/Pulumi.yaml whose runtime is yaml.
func yamlPrograms(t *testing.T) []string {
	t.Helper()
	candidates, err := filepath.Glob(filepath.Join("*", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var programs []string
	for _, path := range append([]string{filepath.Join("..", "Pulumi.yaml")}, candidates...) {
		var project struct {
			Runtime yaml.Node `yaml:"runtime"`
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &project); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		runtime := scalar(&project.Runtime) // `runtime: yaml` or `runtime: {name: yaml, ...}`
		if runtime == "" {
			runtime = scalar(get(&project.Runtime, "name"))
		}
		if runtime == "yaml" {
			programs = append(programs, path)
		}
	}
	return programs
}

// TestYAMLPrograms checks every Pulumi YAML program of the repository against schema.yaml
// (types, properties, required inputs, enum values, referenced outputs), and that each one
// loads the concurrent plugin from the repository's bin folder.
func TestYAMLPrograms(t *testing.T) {
	s := schema(t)
	programs := yamlPrograms(t)
	for _, want := range []string{filepath.Join("..", "Pulumi.yaml"), filepath.Join("yaml", "Pulumi.yaml")} {
		if !slices.Contains(programs, want) {
			t.Errorf("YAML programs %v: %s is missing", programs, want)
		}
	}
	for _, path := range programs {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			problems, err := checkProgram(s, data)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("%s:%d: %s: %s", path, p.Line, p.Path, p.Msg)
			}

			var project struct {
				Plugins struct {
					Providers []struct{ Name, Path string }
				}
			}
			if err := yaml.Unmarshal(data, &project); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(project.Plugins.Providers, func(p struct{ Name, Path string }) bool { return p.Name == "concurrent" })
			if i < 0 {
				t.Fatalf("plugins.providers has no concurrent entry")
			}
			if got, want := filepath.Join(filepath.Dir(path), project.Plugins.Providers[i].Path), filepath.Join("..", "bin"); got != want {
				t.Errorf("plugins.providers concurrent path resolves to %s, want the repository's bin folder (%s)", got, want)
			}
		})
	}
}

// A program around the component's properties and the program's outputs: config
// clusterName (string), size (integer) and token (secret), and a resource of another package.
func program(properties, outputs string) string {
	indent := func(s, pad string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		for i := range lines {
			lines[i] = pad + lines[i]
		}
		return strings.Join(lines, "\n")
	}
	return `name: test
runtime: yaml
config:
  clusterName:
    type: string
  size:
    type: integer
  token:
    type: string
    secret: true
resources:
  bucket:
    type: aws:s3:Bucket
  concurrent:
    type: concurrent:index:ConcurrentEksSetup
    properties:
` + indent(properties, "      ") + `
outputs:
` + indent(outputs, "  ") + "\n"
}

const required = `
clusterName: ${clusterName}
concurrentAccountId: "123456789012"
`

// TestCheckProgram feeds the checker programs with one mistake each and compares the
// problems it reports (path and kind); a correct program using every kind of value reports
// none.
func TestCheckProgram(t *testing.T) {
	s := schema(t)
	type found struct{ Path, Kind string }
	props := "resources.concurrent.properties."
	tests := []struct {
		name        string
		program     string
		wantProblem []found
	}{
		{"correct", program(required+`
computeType: nodeGroups
access: {mode: configMap, groups: ["system:masters"]}
adoptExisting: false
externalId:
  fn::secret: ${token}
nodeGroups:
  system: {enabled: true, capacityType: ON_DEMAND, instanceTypes: [m6i.xlarge], maxSize: "${size}", minSize: 0, labels: {a: b}}
  deployment: {enabled: false}
  subnetIds: [subnet-1, "${bucket.id}"]
fargate:
  network: {vpcId: vpc-1, publicSubnetId: subnet-1, subnetCidrs: [10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24], natType: instance}
namespaces:
  - name: team-a
    labels: {team: a}
  - {name: team-b, create: false}
tags:
  owner: ml-${clusterName}
`, `
roleArn: ${concurrent.roleArn}
role: ${concurrent.registrations[0].role}
config: ${concurrent.mlflowBackendConfigs["team-a"]}
urn: ${concurrent.urn}
bucket: ${bucket.arn}
stack: ${pulumi.stack}
literal: $${concurrent.nothing}
`), nil},
		{"short type form", strings.Replace(program(required, `x: ${concurrent.roleArn}`),
			"concurrent:index:ConcurrentEksSetup", "concurrent:ConcurrentEksSetup", 1), nil},
		{"unknown resource type", strings.Replace(program(required, `x: y`),
			"concurrent:index:ConcurrentEksSetup", "concurrent:index:ConcurrentSetup", 1),
			[]found{{"resources.concurrent.type", unknownType}}},
		{"misspelt input", program(`
clusterNmae: ${clusterName}
concurrentAccountId: "123456789012"`, `x: y`),
			[]found{{props + "clusterNmae", unknownProperty}, {props + "clusterName", missingRequired}}},
		{"misspelt nested input", program(required+`nodeGroups: {system: {minsize: 0}}`, `x: y`),
			[]found{{props + "nodeGroups.system.minsize", unknownProperty}}},
		{"string for integer", program(required+`nodeGroups: {worker: {maxSize: "3"}}`, `x: y`),
			[]found{{props + "nodeGroups.worker.maxSize", wrongType}}},
		{"float for integer", program(required+`nodeGroups: {worker: {diskSize: 200.5}}`, `x: y`),
			[]found{{props + "nodeGroups.worker.diskSize", wrongType}}},
		{"string for boolean", program(required+`enableSes: "yes"`, `x: y`),
			[]found{{props + "enableSes", wrongType}}},
		{"number for string", program(`
clusterName: ${clusterName}
concurrentAccountId: 123456789012`, `x: y`),
			[]found{{props + "concurrentAccountId", wrongType}}},
		{"object for array", program(required+`namespaces: {name: team-a}`, `x: y`),
			[]found{{props + "namespaces", wrongType}}},
		{"scalar for array", program(required+`ecrResources: arn:aws:ecr:*`, `x: y`),
			[]found{{props + "ecrResources", wrongType}}},
		{"array for map", program(required+`tags: [a]`, `x: y`),
			[]found{{props + "tags", wrongType}}},
		{"array for object type", program(required+`access: [configMap]`, `x: y`),
			[]found{{props + "access", wrongType}}},
		{"enum value", program(required+`computeType: nodegroups`, `x: y`),
			[]found{{props + "computeType", notInEnum}}},
		{"nested enum value", program(required+`nodeGroups: {system: {capacityType: spot}}`, `x: y`),
			[]found{{props + "nodeGroups.system.capacityType", notInEnum}}},
		{"missing required input", program(`clusterName: ${clusterName}`, `x: y`),
			[]found{{props + "concurrentAccountId", missingRequired}}},
		{"missing required in array item", program(required+`namespaces: [{create: false}]`, `x: y`),
			[]found{{props + "namespaces[0].name", missingRequired}}},
		{"missing required in nested object", program(required+`fargate: {network: {vpcId: vpc-1, publicSubnetId: subnet-1}}`, `x: y`),
			[]found{{props + "fargate.network.subnetCidrs", missingRequired}}},
		{"unknown output", program(required, `x: ${concurrent.roleARN}`),
			[]found{{"outputs.x", unknownOutput}}},
		{"unknown field of an output", program(required, `x: ${concurrent.registrations[0].rol}`),
			[]found{{"outputs.x", unknownOutput}}},
		{"array output read as object", program(required, `x: ${concurrent.registrations.role}`),
			[]found{{"outputs.x", unknownOutput}}},
		{"index into a string output", program(required, `x: ${concurrent.roleArn[0]}`),
			[]found{{"outputs.x", unknownOutput}}},
		{"unknown output in an interpolated string", program(required, `x: "role ${concurrent.role} of ${clusterName}"`),
			[]found{{"outputs.x", unknownOutput}}},
		{"undefined name", program(`
clusterName: ${clustername}
concurrentAccountId: "123456789012"`, `x: y`),
			[]found{{props + "clusterName", unknownReference}}},
		{"integer config for string input", program(`
clusterName: ${size}
concurrentAccountId: "123456789012"`, `x: y`),
			[]found{{props + "clusterName", wrongType}}},
		{"interpolated string for integer", program(required+`nodeGroups: {system: {maxSize: "${size}0"}}`, `x: y`),
			[]found{{props + "nodeGroups.system.maxSize", wrongType}}},
		{"output for plain input", program(required+`roleName: ${bucket.id}`, `x: y`),
			[]found{{props + "roleName", plainFromOutput}}},
		{"secret for plain input", program(required+`ecrRegion: ${token}`, `x: y`),
			[]found{{props + "ecrRegion", plainFromOutput}}},
		{"unclosed interpolation", program(required, `x: ${concurrent.roleArn`),
			[]found{{"outputs.x", badExpression}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := checkProgram(s, []byte(tt.program))
			if err != nil {
				t.Fatalf("%v\n%s", err, tt.program)
			}
			var got []found
			for _, p := range problems {
				got = append(got, found{p.Path, p.Kind})
			}
			if !reflect.DeepEqual(got, tt.wantProblem) {
				t.Errorf("problems %v\nwant %v\n%s", problems, tt.wantProblem, tt.program)
			}
		})
	}
}

func TestParseReference(t *testing.T) {
	tests := []struct {
		expr   string
		root   string
		access []string
		ok     bool
	}{
		{"res", "res", nil, true},
		{"res.a", "res", []string{"a"}, true},
		{`res.a[0]["b-c"].d`, "res", []string{"a", "[0]", "b-c", "d"}, true},
		{"res.", "", nil, false},
		{"res[x]", "", nil, false},
		{"res[0", "", nil, false},
		{".a", "", nil, false},
	}
	for _, tt := range tests {
		root, access, err := parseReference(tt.expr)
		if (err == nil) != tt.ok || root != tt.root || !reflect.DeepEqual(access, tt.access) {
			t.Errorf("parseReference(%q) = %q, %q, %v; want %q, %q, ok=%v", tt.expr, root, access, err, tt.root, tt.access, tt.ok)
		}
	}
}
