package examples

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The expressions of a Pulumi YAML program: ${...} interpolations and fn:: calls, and the
// references in them, checked against the config, the variables and the resources' outputs.

// expression handles a value computed when the program runs: a string with ${...}
// interpolations or a `fn::` call. It checks every reference and, where the value's type is
// known, that type against p. It reports whether n was such a value.
func (c *checker) expression(path string, n *yaml.Node, p *propSpec) bool {
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && strings.HasPrefix(n.Content[0].Value, "fn::") {
		fn, arg := n.Content[0].Value, n.Content[1]
		switch fn {
		case "fn::secret":
			c.checkValue(path, arg, p)
			if p != nil && p.Plain {
				c.report(path, plainFromOutput, n, "a plain input cannot take a secret")
			}
		case "fn::join", "fn::toJSON", "fn::toBase64", "fn::fromBase64", "fn::readFile":
			c.checkValue(path+"."+fn, arg, nil)
			if p != nil && !assignable("string", c.kind(p)) {
				c.report(path, wrongType, n, "want %s, got the string %s returns", c.kind(p), fn)
			}
		default:
			c.checkValue(path+"."+fn, arg, nil)
		}
		return true
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return false
	}
	exprs, whole, ok := interpolations(n.Value)
	if !ok {
		c.report(path, badExpression, n, "unterminated ${ in %q", n.Value)
		return true
	}
	if len(exprs) == 0 {
		return false
	}
	for _, e := range exprs {
		typ, fromOutput, secret, ok := c.reference(path, n, e)
		if !ok || p == nil {
			continue
		}
		if p.Plain && (fromOutput || secret) {
			c.report(path, plainFromOutput, n, "a plain input cannot take ${%s}: it must be known when the program runs, and not secret", e)
		}
		if whole && typ != nil {
			if got, want := c.kind(typ), c.kind(p); !assignable(got, want) {
				c.report(path, wrongType, n, "want %s, got ${%s}, a %s", want, e, got)
			}
		}
	}
	if !whole && p != nil && !assignable("string", c.kind(p)) {
		c.report(path, wrongType, n, "want %s, got an interpolated string", c.kind(p))
	}
	return true
}

// reference checks one ${...} expression: its root is a config value, a variable, a
// resource or `pulumi`; on a resource of the package every property access must follow the
// schema's outputs. It returns the value's type when known, whether the value is an output
// of a resource, and whether it is a secret.
func (c *checker) reference(path string, n *yaml.Node, expr string) (typ *propSpec, fromOutput, secret, ok bool) {
	root, access, err := parseReference(expr)
	if err != nil {
		c.report(path, badExpression, n, "${%s}: %v", expr, err)
		return nil, false, false, false
	}
	if cfg, isConfig := c.config[root]; isConfig && len(access) == 0 {
		return &cfg, false, cfg.Secret, true
	}
	if c.variables[root] || root == "pulumi" || strings.Contains(root, ":") {
		return nil, false, false, true
	}
	token, isResource := c.resources[root]
	if !isResource {
		c.report(path, unknownReference, n, "${%s}: %q is no config value, variable or resource", expr, root)
		return nil, false, false, false
	}
	spec, known := c.schema.Resources[token]
	if !c.ours(token) || !known || len(access) == 0 {
		return nil, true, false, true
	}
	first := access[0]
	var cur *propSpec
	switch {
	case first == "urn" || (first == "id" && !spec.IsComponent):
		cur = &propSpec{Type: "string"}
	case spec.Properties[first].Type != "" || spec.Properties[first].Ref != "":
		p := spec.Properties[first]
		cur = &p
	default:
		c.report(path, unknownOutput, n, "${%s}: %s has no output %q (have %s)", expr, token, first, strings.Join(slices.Sorted(maps.Keys(spec.Properties)), ", "))
		return nil, true, false, false
	}
	secret = cur.Secret
	for _, a := range access[1:] {
		next, err := c.step(cur, a)
		if err != nil {
			c.report(path, unknownOutput, n, "${%s}: at %s: %v", expr, a, err)
			return nil, true, secret, false
		}
		cur = next
	}
	return cur, true, secret, true
}

// step follows one property access ("name" or "[0]") into a type.
func (c *checker) step(p *propSpec, a string) (*propSpec, error) {
	if strings.HasPrefix(a, "[") {
		if p.Type != "array" || p.Items == nil {
			return nil, fmt.Errorf("not an array")
		}
		return p.Items, nil
	}
	if p.Type == "object" && p.AdditionalProperties != nil {
		return p.AdditionalProperties, nil
	}
	if p.Ref == "" {
		return nil, fmt.Errorf("not an object")
	}
	t := c.schema.Types[strings.TrimPrefix(p.Ref, "#/types/")]
	next, ok := t.Properties[a]
	if !ok {
		return nil, fmt.Errorf("no property %q (have %s)", a, strings.Join(slices.Sorted(maps.Keys(t.Properties)), ", "))
	}
	return &next, nil
}

// interpolations returns the ${...} expressions in s ($${ is a literal "${"), whether s is
// exactly one expression, and false if an expression is not closed.
func interpolations(s string) (exprs []string, whole, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			continue
		}
		if s[i+1] == '$' {
			i++ // $$ escapes the dollar
			continue
		}
		if s[i+1] != '{' {
			continue
		}
		end := strings.IndexByte(s[i+2:], '}')
		if end < 0 {
			return nil, false, false
		}
		exprs = append(exprs, s[i+2:i+2+end])
		whole = i == 0 && i+2+end == len(s)-1
		i += 2 + end
	}
	return exprs, whole && len(exprs) == 1, true
}

// parseReference splits `res.a[0]["b"].c` into "res" and ["a", "[0]", "b", "c"].
func parseReference(expr string) (root string, access []string, err error) {
	expr = strings.TrimSpace(expr)
	i := strings.IndexAny(expr, ".[")
	if i < 0 {
		i = len(expr)
	}
	root, rest := expr[:i], expr[i:]
	if root == "" {
		return "", nil, fmt.Errorf("no name before %q", rest)
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			j := strings.IndexAny(rest[1:], ".[")
			if j < 0 {
				j = len(rest) - 1
			}
			if j == 0 {
				return "", nil, fmt.Errorf("empty property name")
			}
			access, rest = append(access, rest[1:1+j]), rest[1+j:]
		case '[':
			j := strings.IndexByte(rest, ']')
			if j < 0 {
				return "", nil, fmt.Errorf("unclosed [")
			}
			inner := rest[1:j]
			if key, qerr := strconv.Unquote(inner); qerr == nil {
				access = append(access, key)
			} else if _, nerr := strconv.Atoi(inner); nerr == nil {
				access = append(access, "["+inner+"]")
			} else {
				return "", nil, fmt.Errorf("index %q is neither a number nor a quoted key", inner)
			}
			rest = rest[j+1:]
		default:
			return "", nil, fmt.Errorf("unexpected %q", rest)
		}
	}
	return root, access, nil
}
