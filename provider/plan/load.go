package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"gopkg.in/yaml.v3"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
	"github.com/concurrent-ai/pulumi-concurrent/provider/internal/inputs"
	"github.com/concurrent-ai/pulumi-concurrent/provider/setup"
)

// Setup is a loaded setup file: the component's inputs, as the engine would send them, and
// the description of the cluster the fake AWS answers for.
type Setup struct {
	Inputs  property.Map
	Cluster fakeaws.Cluster
	// UserExternalID is true when the file gives externalId: the plan may then print it.
	UserExternalID bool
}

// clusterKey is the key of the section describing the cluster; every other top-level key
// is an input of ConcurrentEksSetup.
const clusterKey = "cluster"

// LoadFile reads and decodes a setup file.
func LoadFile(ctx context.Context, path string) (*Setup, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(ctx, path, data)
}

// Load decodes a setup file strictly: an unknown key, a value of the wrong kind or a
// second document is an error naming the file, the line and the key's path. Values are
// checked by the component itself when the plan runs, as in `pulumi preview`.
func Load(ctx context.Context, name string, data []byte) (*Setup, error) {
	spec, err := componentSchema(ctx)
	if err != nil {
		return nil, err
	}
	top, err := document(name, data)
	if err != nil {
		return nil, err
	}
	d := &decoder{file: name, spec: spec}
	if top.Kind != yaml.MappingNode {
		return nil, d.errf(top, "", "want a mapping of ConcurrentEksSetup inputs and a %q section, got %s", clusterKey, describe(top))
	}
	known := slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(spec.inputs)), clusterKey)))
	var clusterNode *yaml.Node
	inputs, err := d.fields(top, "", spec.inputs, known, func(key string, v *yaml.Node) bool {
		if key == clusterKey {
			clusterNode = v
		}
		return key == clusterKey
	})
	if err != nil {
		return nil, err
	}
	out := &Setup{Inputs: property.NewMap(inputs)}
	_, out.UserExternalID = inputs["externalId"]
	// The cluster's name defaults to the clusterName input: the file then names it once.
	out.Cluster, err = d.cluster(clusterNode, inputs["clusterName"])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// document is the file's one YAML document (an empty file is an empty mapping).
func document(name string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, syntaxError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, fmt.Errorf("%s:%d: a second YAML document: the file holds one setup", name, extra.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(name, err)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	top := resolve(doc.Content[0])
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return &yaml.Node{Kind: yaml.MappingNode}, nil
	}
	return top, nil
}

var yamlLineRe = regexp.MustCompile(`^yaml: line ([0-9]+): `)

// syntaxError puts the parser's line after the file name, as the other errors have it.
func syntaxError(name string, err error) error {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: not valid YAML: %s", name, m[1], msg[len(m[0]):])
	}
	return fmt.Errorf("%s: not valid YAML: %s", name, strings.TrimPrefix(msg, "yaml: "))
}

// componentSpec is what the loader needs from the provider's schema.
type componentSpec struct {
	inputs map[string]schema.PropertySpec
	types  map[string]schema.ComplexTypeSpec
}

// componentSchema asks the provider for its schema, the same one the SDKs are built from,
// so the file accepts exactly the component's inputs.
func componentSchema(ctx context.Context) (*componentSpec, error) {
	raw, err := provider.Schema(ctx)
	if err != nil {
		return nil, err
	}
	var pkg schema.PackageSpec
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return nil, fmt.Errorf("reading the provider's schema: %w", err)
	}
	res, ok := pkg.Resources[setup.Token]
	if !ok {
		return nil, fmt.Errorf("the provider's schema has no %s", setup.Token)
	}
	return &componentSpec{inputs: res.InputProperties, types: pkg.Types}, nil
}

// clusterShapes check the cluster section's account and region with the component's own
// rules for those inputs.
var clusterShapes = map[string]struct {
	ok   func(string) bool
	want string
}{
	"account": {inputs.IsAccountID, "a 12-digit AWS account id"},
	"region":  {inputs.IsRegion, "an AWS region"},
}

// cluster decodes the cluster section: the fake AWS's cluster description (less the keys
// that say where its API server answers: a plan never connects). Unset keys keep the demo
// cluster's values; name defaults to the clusterName input.
func (d *decoder) cluster(n *yaml.Node, clusterName property.Value) (fakeaws.Cluster, error) {
	desc := map[string]any{}
	if clusterName.IsString() {
		desc["name"] = clusterName.AsString()
	}
	if n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return fakeaws.NewCluster(desc)
	}
	if n.Kind != yaml.MappingNode {
		return fakeaws.Cluster{}, d.errf(n, clusterKey, "want a mapping describing the cluster, got %s", describe(n))
	}
	str := schema.TypeSpec{Type: "string"}
	strs := schema.TypeSpec{Type: "array", Items: &str}
	nodes := map[string]*yaml.Node{}
	err := d.mapping(n, clusterKey, func(key string, k, v *yaml.Node) error {
		if !slices.Contains(fakeaws.DescribedKeys, key) {
			return d.unknownKey(k, clusterKey, key, slices.Sorted(slices.Values(fakeaws.DescribedKeys)))
		}
		t := str
		if fakeaws.IsList(key) {
			t = strs
		}
		val, present, err := d.value(v, join(clusterKey, key), t)
		if err != nil || !present {
			return err
		}
		if shape, ok := clusterShapes[key]; ok && !shape.ok(val.AsString()) {
			return d.errf(v, join(clusterKey, key), "%q is not %s", val.AsString(), shape.want)
		}
		nodes[key] = v
		if fakeaws.IsList(key) {
			desc[key] = stringList(val)
		} else {
			desc[key] = val.AsString()
		}
		return nil
	})
	if err != nil {
		return fakeaws.Cluster{}, err
	}
	c, err := fakeaws.NewCluster(desc)
	var bad *fakeaws.KeyError
	if errors.As(err, &bad) && nodes[bad.Key] != nil {
		return c, d.errf(nodes[bad.Key], join(clusterKey, bad.Key), "%s", bad.Msg)
	}
	return c, err
}

func stringList(v property.Value) []string {
	var out []string
	for _, e := range v.AsArray().AsSlice() {
		out = append(out, e.AsString())
	}
	return out
}
