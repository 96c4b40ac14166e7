package setup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"google.golang.org/grpc/status"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
)

// FuzzConstruct runs Construct over random input maps, cluster descriptions and stack
// configs (wrong types, missing fields, values out of range, unknowns, secrets): it must
// never panic or hang, and every error must start each line with an input's path (or be
// the SDK's own `copying input "<name>"` for a value of the wrong type).
//
//	go test ./provider/setup -run '^$' -fuzz FuzzConstruct -fuzztime 5m
func FuzzConstruct(f *testing.F) {
	// "" is the minimal valid setup; the others set fields, some to wrong values.
	for _, seed := range []string{"", "\x00\x00\x01", "\x01\x02\x03\x04", "\xff\xfe\xfd", strings.Repeat("\x07\x03", 40),
		strings.Repeat("\x00\x01\x02", 60), strings.Repeat("\x05", 200), strings.Repeat("\x00\x00\x01\x00", 50)} {
		f.Add([]byte(seed))
	}
	inputs := topLevelInputs(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		args, unknown := g.inputs()
		cl, err := fakeaws.NewCluster(g.cluster())
		if err != nil {
			cl = fakeaws.DemoCluster() // a description AWS could not have: not the component's input
		}
		opts := []fakeaws.Option{fakeaws.WithCluster(cl), fakeaws.WithConfig(g.stackConfig())}
		if unknown || g.pick(4) == 1 {
			opts = append(opts, fakeaws.DryRun())
		}
		_, err = construct(t, args, opts...)
		if err != nil {
			checkErrorNamesAnInput(t, status.Convert(err).Message(), inputs)
		}
	})
}

var (
	pathLineRe = regexp.MustCompile(`^([A-Za-z]+)(\[[0-9]+\]|\.[A-Za-z0-9_./:-]+)*: `)
	copyingRe  = regexp.MustCompile(`copying input "([A-Za-z]+)"`)
)

func checkErrorNamesAnInput(t *testing.T, msg string, inputs []string) {
	t.Helper()
	for _, line := range strings.Split(msg, "\n") {
		name := ""
		if m := pathLineRe.FindStringSubmatch(line); m != nil {
			name = m[1]
		} else if m := copyingRe.FindStringSubmatch(line); m != nil {
			name = m[1]
		}
		if !slices.Contains(inputs, name) {
			t.Fatalf("an error line names no input path: %q\nwhole error: %s", line, msg)
		}
	}
}

// topLevelInputs are the component's input names, from the provider's schema.
func topLevelInputs(f *testing.F) []string {
	raw, err := provider.Schema(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	var pkg struct {
		Resources map[string]struct {
			InputProperties map[string]any `json:"inputProperties"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		f.Fatal(err)
	}
	var out []string
	for k := range pkg.Resources[setupToken].InputProperties {
		out = append(out, k)
	}
	return out
}

// gen turns fuzz bytes into choices; past the end every choice is 0, which always means
// "leave it" or "the right value", so short data gives a valid setup.
type gen struct {
	data    []byte
	unknown bool
}

func (g *gen) pick(n int) int {
	if len(g.data) == 0 || n <= 1 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b) % n
}

func (g *gen) one(vs ...any) any { return vs[g.pick(len(vs))] }

func (g *gen) strs(pool ...string) []any {
	out := []any{}
	for range g.pick(5) {
		out = append(out, g.one(anySlice(pool)...))
	}
	return out
}

// value is a right value from good most of the time (so that runs get past the type
// checks to the rules), else something of any shape, an unknown or a secret. Choice 0
// (also past the end of the data) is the first good value.
func (g *gen) value(good ...any) any {
	switch n := g.pick(32); {
	case n < 15:
		return good[0]
	case n == 29:
		return g.wild()
	case n == 30:
		g.unknown = true
		return property.New(property.Computed)
	case n == 31:
		if s, ok := good[0].(string); ok {
			return property.New(s).WithSecret(true)
		}
	}
	return g.one(good...)
}

func (g *gen) wild() any {
	return g.one("", "x", -1.0, 0.0, 1e9, 2.5, true, false, nil, []any{"a", 1.0}, map[string]any{"k": "v"},
		strings.Repeat("a", 300), "subnet-", "arn:aws:iam::1:role/", "1.0.0.0/8")
}

var (
	subnetPool   = []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003", "subnet-0b00000000000public", "subnet-0other", "bad"}
	instancePool = []string{"m5.xlarge", "m6g.xlarge", "c7g.2xlarge", "t3.medium", "c5.large", "x.y", "m7i.48xlarge", "g5g.xlarge"}
	amiPool      = []string{"AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2_x86_64", "AL2_ARM_64", "BOTTLEROCKET_ARM_64", "CUSTOM", "WINDOWS_CORE_2022_x86_64"}
	cidrPool     = []string{"192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19", "10.0.0.0/24", "192.168.0.1/24", "nope", "192.168.0.0/30"}
)

func (g *gen) group() map[string]any {
	m := map[string]any{}
	fields := map[string]func() any{
		"enabled":       func() any { return g.value(true, false) },
		"instanceTypes": func() any { return g.value(g.strs(instancePool...)) },
		"capacityType":  func() any { return g.value("SPOT", "ON_DEMAND", "RESERVED") },
		"diskSize":      func() any { return g.value(200.0, 20.0, 10.0, -5.0, 125.0) },
		"desiredSize":   func() any { return g.value(0.0, 1.0, 3.0, -1.0) },
		"minSize":       func() any { return g.value(0.0, 1.0, 5.0, -2.0) },
		"maxSize":       func() any { return g.value(0.0, 1.0, 3.0, 100.0) },
		"amiType":       func() any { return g.value(anySlice(amiPool)...) },
		"labels":        func() any { return g.value(map[string]any{"team": "a"}, map[string]any{"bad key": "v"}) },
		"subnetIds":     func() any { return g.value(g.strs(subnetPool...)) },
	}
	g.fill(m, fields)
	return m
}

// fill sets a random subset of the fields, in a fixed order.
func (g *gen) fill(m map[string]any, fields map[string]func() any) {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if g.pick(4) == 1 {
			m[k] = fields[k]()
		}
	}
}

func (g *gen) inputs() (map[string]any, bool) {
	m := map[string]any{}
	if g.pick(8) != 7 {
		m["clusterName"] = g.value("kubetest32", "other", "-bad", outputOf("kubetest32"))
	}
	if g.pick(8) != 7 {
		m["concurrentAccountId"] = g.value("123456789012", "12345", "1234567890123")
	}
	g.fill(m, map[string]func() any{
		"externalId":           func() any { return g.value("0b8f6a2e-3c1d", "x", "has space") },
		"roleName":             func() any { return g.value("concurrent", strings.Repeat("r", 65)) },
		"rolePath":             func() any { return g.value("/", "/concurrent/", "bad") },
		"roleArn":              func() any { return g.value("arn:aws:iam::678901234557:role/r", "role") },
		"allowPrivateEndpoint": func() any { return g.value(true, false) },
		"adoptExisting":        func() any { return g.value(true, false) },
		"computeType":          func() any { return g.value("nodeGroups", "fargate", "none", "ec2") },
		"kubeconfig":           func() any { return g.value("apiVersion: v1\nkind: Config\n") },
		"kubeconfigAuth":       func() any { return g.value(map[string]any{"profile": "p", "roleArn": "arn:aws:iam::1:role/x"}) },
		"access":               func() any { return g.value(map[string]any{"mode": g.value("auto", "configMap", "accessEntry", "iam")}) },
		"ecrType":              func() any { return g.value("private", "public", "hub") },
		"ecrRegion":            func() any { return g.value("us-east-1", "Ohio") },
		"tags":                 func() any { return g.value(map[string]any{"team": "ml"}, map[string]any{"aws:x": "y"}) },
		"namespaces": func() any {
			return g.value([]any{map[string]any{"name": g.value("concurrent", "team-a", "Bad_NS", "kube-system")}}, []any{})
		},
		"nodeGroups": func() any {
			ng := map[string]any{}
			g.fill(ng, map[string]func() any{
				"system": func() any { return g.group() }, "worker": func() any { return g.group() },
				"deployment": func() any { return g.group() }, "subnetIds": func() any { return g.value(g.strs(subnetPool...)) },
				"nodeRoleArn": func() any { return g.value("arn:aws:iam::678901234557:role/n", "n") },
			})
			return g.value(ng)
		},
		"fargate": func() any {
			fg := map[string]any{}
			g.fill(fg, map[string]func() any{
				"subnetIds":   func() any { return g.value(g.strs(subnetPool...)) },
				"maxProfiles": func() any { return g.value(10.0, 1.0, 0.0) },
				"network": func() any {
					n := map[string]any{}
					g.fill(n, map[string]func() any{
						"vpcId":          func() any { return g.value("vpc-0123456789abcdef0", "vpc-0aaaaaaaaaaaaaaaa") },
						"publicSubnetId": func() any { return g.value(anySlice(subnetPool)...) },
						"subnetCidrs":    func() any { return g.value(g.strs(cidrPool...)) },
						"natType":        func() any { return g.value("gateway", "instance", "ssh") },
					})
					return g.value(n)
				},
			})
			return g.value(fg)
		},
	})
	return m, g.unknown
}

func (g *gen) cluster() map[string]any {
	d := map[string]any{}
	fields := map[string]func() any{
		"name":                 func() any { return g.one("kubetest32", "other") },
		"authenticationMode":   func() any { return g.one("API", "API_AND_CONFIG_MAP", "CONFIG_MAP") },
		"subnetIds":            func() any { return g.strs(subnetPool[:4]...) },
		"publicSubnetIds":      func() any { return g.strs(subnetPool...) },
		"otherVpcSubnetIds":    func() any { return g.strs(subnetPool...) },
		"availabilityZones":    func() any { return g.strs("us-east-2a", "us-east-2b", "us-east-2c", "us-east-2d") },
		"version":              func() any { return g.one("1.29", "1.32", "1.33", "1.35") },
		"endpointPublicAccess": func() any { return g.one("true", "false") },
		"publicAccessCidrs":    func() any { return g.strs("0.0.0.0/0", "203.0.113.0/24") },
		"nodeGroups":           func() any { return g.strs("general", "gpu") },
	}
	g.fill(d, fields)
	for k, v := range d {
		if l, ok := v.([]any); ok {
			d[k] = toStrings(l)
		}
	}
	return d
}

func (g *gen) stackConfig() map[string]string {
	m := map[string]string{}
	if g.pick(4) == 1 {
		m["aws:profile"] = "platform"
	}
	switch g.pick(5) {
	case 1:
		m["aws:assumeRole"] = `{"roleArn": "arn:aws:iam::678901234557:role/deployer"}`
	case 2:
		m["aws:assumeRole"] = `{"roleArn": "arn:aws:iam::678901234557:role/deployer", "externalId": "e"}`
	case 3:
		m["aws:assumeRole"] = `not json`
	}
	if g.pick(6) == 1 {
		m["aws:accessKey"] = "AKIAEXAMPLE"
	}
	return m
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func toStrings(l []any) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i] = fmt.Sprint(v)
	}
	return out
}
