// Package examples holds a check of the Pulumi YAML programs of this repository against
// schema.yaml: no Pulumi CLI or YAML language host builds here, so this is what catches a
// renamed input, a wrong type or a missing output before a user runs `pulumi up`.
package examples

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	k8syaml "sigs.k8s.io/yaml"
)

// The parts of a Pulumi package schema the check reads.
type schemaSpec struct {
	Name      string                  `json:"name"`
	Resources map[string]resourceSpec `json:"resources"`
	Types     map[string]typeSpec     `json:"types"`
}

type resourceSpec struct {
	IsComponent     bool                `json:"isComponent"`
	InputProperties map[string]propSpec `json:"inputProperties"`
	RequiredInputs  []string            `json:"requiredInputs"`
	Properties      map[string]propSpec `json:"properties"`
}

type propSpec struct {
	Type                 string    `json:"type"`
	Ref                  string    `json:"$ref"`
	Items                *propSpec `json:"items"`
	AdditionalProperties *propSpec `json:"additionalProperties"`
	Plain                bool      `json:"plain"`
	Secret               bool      `json:"secret"`
}

type typeSpec struct {
	Type       string              `json:"type"`
	Properties map[string]propSpec `json:"properties"`
	Required   []string            `json:"required"`
	Enum       []struct {
		Value any `json:"value"`
	} `json:"enum"`
}

func loadSchema(path string) (*schemaSpec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s schemaSpec
	if err := k8syaml.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// The kinds of problem the check reports.
const (
	unknownType      = "unknownType"      // a resource type of the package that the schema lacks
	unknownProperty  = "unknownProperty"  // a property the resource or type does not take
	wrongType        = "wrongType"        // string/number/integer/boolean/array/object mismatch
	notInEnum        = "notInEnum"        // a value outside an enum
	missingRequired  = "missingRequired"  // a required input or type property left out
	unknownOutput    = "unknownOutput"    // ${res.x} where x is no output of res (or no field of it)
	unknownReference = "unknownReference" // ${x} where x is no config, variable or resource
	badExpression    = "badExpression"    // an interpolation the check cannot parse
	plainFromOutput  = "plainFromOutput"  // a plain input given an output or a secret
)

type problem struct {
	Path string // e.g. resources.concurrent.properties.nodeGroups.system.minSize
	Kind string
	Line int
	Msg  string
}

func (p problem) String() string { return fmt.Sprintf("line %d: %s: %s", p.Line, p.Path, p.Msg) }

// checker checks one Pulumi YAML program against the schema of one package.
type checker struct {
	schema    *schemaSpec
	config    map[string]propSpec // declared type of each config value
	variables map[string]bool
	resources map[string]string // logical name -> type token
	problems  []problem
}

// checkProgram returns the problems of a Pulumi YAML program (the text of a Pulumi.yaml).
func checkProgram(s *schemaSpec, program []byte) ([]problem, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(program, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a YAML mapping")
	}
	top := doc.Content[0]
	c := &checker{schema: s, config: map[string]propSpec{}, variables: map[string]bool{}, resources: map[string]string{}}

	for _, section := range []string{"config", "configuration"} {
		for _, kv := range pairs(get(top, section)) {
			c.config[kv[0].Value] = configType(kv[1])
		}
	}
	for _, kv := range pairs(get(top, "variables")) {
		c.variables[kv[0].Value] = true
	}
	for _, kv := range pairs(get(top, "resources")) {
		c.resources[kv[0].Value] = c.token(scalar(get(kv[1], "type")))
	}

	for _, kv := range pairs(get(top, "resources")) {
		c.checkResource("resources."+kv[0].Value, kv[1])
	}
	for _, kv := range pairs(get(top, "variables")) {
		c.checkValue("variables."+kv[0].Value, kv[1], nil)
	}
	for _, kv := range pairs(get(top, "outputs")) {
		c.checkValue("outputs."+kv[0].Value, kv[1], nil)
	}
	return c.problems, nil
}

func (c *checker) report(path, kind string, n *yaml.Node, format string, args ...any) {
	c.problems = append(c.problems, problem{Path: path, Kind: kind, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// token expands Pulumi YAML's short form `pkg:Type` to `pkg:index:Type`.
func (c *checker) token(t string) string {
	if parts := strings.Split(t, ":"); len(parts) == 2 {
		return parts[0] + ":index:" + parts[1]
	}
	return t
}

func (c *checker) ours(token string) bool { return strings.HasPrefix(token, c.schema.Name+":") }

func (c *checker) checkResource(path string, res *yaml.Node) {
	token := c.resources[strings.TrimPrefix(path, "resources.")]
	props := get(res, "properties")
	for _, kv := range pairs(get(res, "options")) {
		c.checkValue(path+".options."+kv[0].Value, kv[1], nil)
	}
	if !c.ours(token) {
		c.checkValue(path+".properties", props, nil) // references only: no schema for other packages
		return
	}
	spec, ok := c.schema.Resources[token]
	if !ok {
		c.report(path+".type", unknownType, get(res, "type"), "%s is not a resource of package %s", token, c.schema.Name)
		return
	}
	if props == nil {
		props = &yaml.Node{Kind: yaml.MappingNode, Line: res.Line}
	}
	c.checkObject(path+".properties", props, spec.InputProperties, spec.RequiredInputs)
}

// checkObject checks a mapping against the properties of a resource's inputs or of an
// object type.
func (c *checker) checkObject(path string, n *yaml.Node, props map[string]propSpec, required []string) {
	if c.expression(path, n, &propSpec{Type: "object"}) {
		return
	}
	if n.Kind != yaml.MappingNode {
		c.report(path, wrongType, n, "want an object, got %s", describe(n))
		return
	}
	for _, kv := range pairs(n) {
		p, ok := props[kv[0].Value]
		if !ok {
			c.report(path+"."+kv[0].Value, unknownProperty, kv[0], "no such property (have %s)", strings.Join(slices.Sorted(maps.Keys(props)), ", "))
			continue
		}
		c.checkValue(path+"."+kv[0].Value, kv[1], &p)
	}
	for _, r := range required {
		if v := get(n, r); v == nil || v.ShortTag() == "!!null" {
			c.report(path+"."+r, missingRequired, n, "required")
		}
	}
}

// checkValue checks a value against a property's type; with p nil it only checks the
// references in it.
func (c *checker) checkValue(path string, n *yaml.Node, p *propSpec) {
	if n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if c.expression(path, n, p) {
		return
	}
	if p == nil {
		for i, e := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				continue
			}
			sub := path
			if n.Kind == yaml.MappingNode {
				sub += "." + n.Content[i-1].Value
			} else if n.Kind == yaml.SequenceNode {
				sub += "[" + strconv.Itoa(i) + "]"
			}
			c.checkValue(sub, e, nil)
		}
		return
	}
	if n.ShortTag() == "!!null" {
		return // the same as leaving it out
	}
	if p.Ref != "" {
		t, ok := c.schema.Types[strings.TrimPrefix(p.Ref, "#/types/")]
		if !ok {
			c.report(path, unknownType, n, "the schema has no type %s", p.Ref)
			return
		}
		if len(t.Enum) > 0 {
			c.checkEnum(path, n, t)
			return
		}
		c.checkObject(path, n, t.Properties, t.Required)
		return
	}
	switch p.Type {
	case "array":
		if n.Kind != yaml.SequenceNode {
			c.report(path, wrongType, n, "want an array, got %s", describe(n))
			return
		}
		for i, e := range n.Content {
			c.checkValue(fmt.Sprintf("%s[%d]", path, i), e, p.Items)
		}
	case "object":
		if n.Kind != yaml.MappingNode {
			c.report(path, wrongType, n, "want an object, got %s", describe(n))
			return
		}
		for _, kv := range pairs(n) {
			c.checkValue(path+"."+kv[0].Value, kv[1], p.AdditionalProperties)
		}
	default:
		if got := kindOf(n); !assignable(got, p.Type) {
			c.report(path, wrongType, n, "want %s, got %s", p.Type, describe(n))
		}
	}
}

func (c *checker) checkEnum(path string, n *yaml.Node, t typeSpec) {
	if got := kindOf(n); !assignable(got, t.Type) {
		c.report(path, wrongType, n, "want %s, got %s", t.Type, describe(n))
		return
	}
	var values []string
	for _, e := range t.Enum {
		if fmt.Sprint(e.Value) == n.Value {
			return
		}
		values = append(values, fmt.Sprint(e.Value))
	}
	c.report(path, notInEnum, n, "%q is not one of %s", n.Value, strings.Join(values, ", "))
}

// kind is the JSON kind of a property type: string, integer, number, boolean, array, object.
func (c *checker) kind(p *propSpec) string {
	if p.Ref != "" {
		if t, ok := c.schema.Types[strings.TrimPrefix(p.Ref, "#/types/")]; ok {
			return t.Type
		}
	}
	return p.Type
}

func assignable(got, want string) bool {
	return got == want || (got == "integer" && want == "number")
}

// kindOf is the JSON kind of a YAML value.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.ShortTag() {
	case "!!str":
		return "string"
	case "!!int":
		return "integer"
	case "!!float":
		return "number"
	case "!!bool":
		return "boolean"
	}
	return n.ShortTag()
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%s %q", kindOf(n), n.Value)
	}
	return kindOf(n)
}

// configType is the type a Pulumi.yaml config declaration gives its value: `type` (and
// `items`, `secret`) of a declaration, or the kind of a bare default value.
func configType(n *yaml.Node) propSpec {
	if n.Kind != yaml.MappingNode {
		return propSpec{Type: kindOf(n)}
	}
	p := propSpec{Type: scalar(get(n, "type")), Secret: scalar(get(n, "secret")) == "true"}
	if items := get(n, "items"); items != nil {
		it := configType(items)
		p.Items = &it
	}
	if p.Type == "" {
		if d := get(n, "default"); d != nil {
			p.Type = kindOf(d)
		}
	}
	return p
}

// get returns the value of key in a mapping node, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := n.Content[i+1]
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			return v
		}
	}
	return nil
}

// pairs returns the key/value pairs of a mapping node (none for anything else).
func pairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		out = append(out, [2]*yaml.Node{n.Content[i], v})
	}
	return out
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
