package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"gopkg.in/yaml.v3"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
	"github.com/concurrent-ai/pulumi-concurrent/provider"
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

	d := &decoder{file: name, spec: spec}
	out := &Setup{Cluster: fakeaws.DemoCluster()}
	inputs := map[string]property.Value{}
	var clusterNode *yaml.Node
	if len(doc.Content) > 0 {
		top := resolve(doc.Content[0])
		if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
			top = &yaml.Node{Kind: yaml.MappingNode}
		}
		if top.Kind != yaml.MappingNode {
			return nil, d.errf(top, "", "want a mapping of ConcurrentEksSetup inputs and a %q section, got %s", clusterKey, kindName(top))
		}
		known := append(sortedKeys(spec.inputs), clusterKey)
		sort.Strings(known)
		err := d.mapping(top, "", func(key string, k, v *yaml.Node) error {
			if key == clusterKey {
				clusterNode = v
				return nil
			}
			prop, ok := spec.inputs[key]
			if !ok {
				return d.unknownKey(k, "", key, known)
			}
			val, present, err := d.value(v, key, prop.TypeSpec)
			if err != nil || !present {
				return err
			}
			if prop.Secret {
				val = val.WithSecret(true)
			}
			if key == "externalId" {
				out.UserExternalID = true
			}
			inputs[key] = val
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	out.Inputs = property.NewMap(inputs)

	// The cluster's name defaults to the clusterName input: the file then names it once.
	out.Cluster, err = d.cluster(clusterNode, inputs["clusterName"])
	if err != nil {
		return nil, err
	}
	return out, nil
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
	prov, err := provider.New()
	if err != nil {
		return nil, err
	}
	s, err := integration.NewServer(ctx, provider.Name, semver.MustParse(provider.Version), integration.WithProvider(prov))
	if err != nil {
		return nil, err
	}
	resp, err := s.GetSchema(p.GetSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("reading the provider's schema: %w", err)
	}
	var pkg schema.PackageSpec
	if err := json.Unmarshal([]byte(resp.Schema), &pkg); err != nil {
		return nil, fmt.Errorf("reading the provider's schema: %w", err)
	}
	res, ok := pkg.Resources[setup.Token]
	if !ok {
		return nil, fmt.Errorf("the provider's schema has no %s", setup.Token)
	}
	return &componentSpec{inputs: res.InputProperties, types: pkg.Types}, nil
}

type decoder struct {
	file string
	spec *componentSpec
}

// errf formats `file:line: path: message`.
func (d *decoder) errf(n *yaml.Node, path, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	return fmt.Errorf("%s:%d: %s", d.file, n.Line, msg)
}

func (d *decoder) unknownKey(k *yaml.Node, path, key string, known []string) error {
	where := path
	if where == "" {
		where = "the top level"
	}
	return fmt.Errorf("%s:%d: %s: unknown key %q in %s (known keys: %s)", d.file, k.Line, join(path, key), key, where,
		strings.Join(known, ", "))
}

// mapping walks a mapping node, rejecting duplicate and non-string keys.
func (d *decoder) mapping(n *yaml.Node, path string, f func(key string, k, v *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return d.errf(k, path, "keys must be strings, got %s", kindName(k))
		}
		if first, dup := seen[k.Value]; dup {
			return d.errf(k, join(path, k.Value), "duplicate key (first at line %d)", first)
		}
		seen[k.Value] = k.Line
		if err := f(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// value converts a node to a property value of the schema type t. A null value is absent.
func (d *decoder) value(n *yaml.Node, path string, t schema.TypeSpec) (property.Value, bool, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return property.Value{}, false, nil
	}
	if t.Ref != "" {
		token := strings.TrimPrefix(t.Ref, "#/types/")
		ct, ok := d.spec.types[token]
		if !ok {
			return property.Value{}, false, d.errf(n, path, "the schema type %s is not known", t.Ref)
		}
		if len(ct.Enum) > 0 {
			return d.value(n, path, schema.TypeSpec{Type: ct.Type})
		}
		return d.object(n, path, ct.Properties)
	}
	switch t.Type {
	case "string":
		// Any scalar is its text: `concurrentAccountId: 123456789012` is the string.
		if n.Kind != yaml.ScalarNode {
			return property.Value{}, false, d.errf(n, path, "want a string, got %s", kindName(n))
		}
		return property.New(n.Value), true, nil
	case "boolean":
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			return property.Value{}, false, d.errf(n, path, "want true or false, got %s", describe(n))
		}
		return property.New(b), true, nil
	case "integer", "number":
		var f float64
		ok := n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || (t.Type == "number" && n.Tag == "!!float"))
		if !ok || n.Decode(&f) != nil {
			return property.Value{}, false, d.errf(n, path, "want %s, got %s", map[string]string{
				"integer": "a whole number", "number": "a number",
			}[t.Type], describe(n))
		}
		return property.New(f), true, nil
	case "array":
		if n.Kind != yaml.SequenceNode {
			return property.Value{}, false, d.errf(n, path, "want a list, got %s", kindName(n))
		}
		arr := make([]property.Value, 0, len(n.Content))
		for i, item := range n.Content {
			v, present, err := d.value(resolve(item), fmt.Sprintf("%s[%d]", path, i), *t.Items)
			if err != nil {
				return property.Value{}, false, err
			}
			if !present {
				return property.Value{}, false, d.errf(item, fmt.Sprintf("%s[%d]", path, i), "null is not a value here")
			}
			arr = append(arr, v)
		}
		return property.New(arr), true, nil
	case "object":
		if n.Kind != yaml.MappingNode {
			return property.Value{}, false, d.errf(n, path, "want a mapping, got %s", kindName(n))
		}
		m := map[string]property.Value{}
		err := d.mapping(n, path, func(key string, _, v *yaml.Node) error {
			val, present, err := d.value(v, join(path, key), *t.AdditionalProperties)
			if present {
				m[key] = val
			}
			return err
		})
		return property.New(m), true, err
	}
	return property.Value{}, false, d.errf(n, path, "the schema type %q is not supported here", t.Type)
}

// object converts a mapping to an object type of the schema, rejecting unknown keys.
func (d *decoder) object(n *yaml.Node, path string, props map[string]schema.PropertySpec) (property.Value, bool, error) {
	if n.Kind != yaml.MappingNode {
		return property.Value{}, false, d.errf(n, path, "want a mapping, got %s", kindName(n))
	}
	m := map[string]property.Value{}
	err := d.mapping(n, path, func(key string, k, v *yaml.Node) error {
		prop, ok := props[key]
		if !ok {
			return d.unknownKey(k, path, key, sortedKeys(props))
		}
		val, present, err := d.value(v, join(path, key), prop.TypeSpec)
		if err != nil || !present {
			return err
		}
		if prop.Secret {
			val = val.WithSecret(true)
		}
		m[key] = val
		return nil
	})
	return property.New(m), true, err
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
		return fakeaws.Cluster{}, d.errf(n, clusterKey, "want a mapping describing the cluster, got %s", kindName(n))
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

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return resolve(n.Content[0])
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return describe(n)
	}
	return "nothing"
}

func describe(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return kindName(n)
	}
	return fmt.Sprintf("%q", n.Value)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
