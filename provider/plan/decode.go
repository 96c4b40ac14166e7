package plan

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"gopkg.in/yaml.v3"
)

// decoder turns the YAML of a setup file into property values of the component's schema
// types, with errors naming the file, the line and the key's path.
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
			return d.errf(k, path, "keys must be strings, got %s", describe(k))
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
			return property.Value{}, false, d.errf(n, path, "want a string, got %s", describe(n))
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
	case "array", "object":
		return d.collection(n, path, t)
	}
	return property.Value{}, false, d.errf(n, path, "the schema type %q is not supported here", t.Type)
}

// collection converts a list, or a mapping of one value type (additionalProperties).
func (d *decoder) collection(n *yaml.Node, path string, t schema.TypeSpec) (property.Value, bool, error) {
	switch t.Type {
	case "array":
		if n.Kind != yaml.SequenceNode {
			return property.Value{}, false, d.errf(n, path, "want a list, got %s", describe(n))
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
			return property.Value{}, false, d.errf(n, path, "want a mapping, got %s", describe(n))
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
		return property.Value{}, false, d.errf(n, path, "want a mapping, got %s", describe(n))
	}
	m, err := d.fields(n, path, props, slices.Sorted(maps.Keys(props)), nil)
	return property.New(m), true, err
}

// fields decodes the keys of a mapping that are schema properties; other takes a key that
// is not one (nil, or false from it: an unknown key, listing the known ones). A secret
// property's value is marked secret, as the engine sends it.
func (d *decoder) fields(n *yaml.Node, path string, props map[string]schema.PropertySpec, known []string,
	other func(key string, v *yaml.Node) bool,
) (map[string]property.Value, error) {
	m := map[string]property.Value{}
	err := d.mapping(n, path, func(key string, k, v *yaml.Node) error {
		prop, ok := props[key]
		if !ok {
			if other != nil && other(key, v) {
				return nil
			}
			return d.unknownKey(k, path, key, known)
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
	return m, err
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

// describe names a node for an error: a scalar by its text, else its kind.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "nothing"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
