package awsauth

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// yaml.v3 node helpers: the model keeps every entry as a node so entries we
// do not own keep every field, comment and anchor.

// resolve follows an alias node to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// mappingValue returns the value of key in mapping node n, or nil. Keys
// compare case-insensitively, as aws-iam-authenticator's JSON decoding does.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k != nil && k.Kind == yaml.ScalarNode && strings.EqualFold(k.Value, key) {
			return n.Content[i+1]
		}
	}
	return nil
}

// scalar returns the value of a scalar node (through aliases).
func scalar(n *yaml.Node) (string, bool) {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return "", false
	}
	if n.ShortTag() == "!!binary" {
		// yaml.v3 writes a string that is not UTF-8 this way.
		var s string
		if err := n.Decode(&s); err != nil {
			return "", false
		}
		return s, true
	}
	return n.Value, true
}

func findAnchor(n *yaml.Node) string {
	if n.Kind == yaml.AliasNode {
		return ""
	}
	if n.Anchor != "" {
		return n.Anchor
	}
	for _, c := range n.Content {
		if a := findAnchor(c); a != "" {
			return a
		}
	}
	return ""
}

func setFlow(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		n.Style = yaml.FlowStyle
	case yaml.ScalarNode:
		n.Style = yaml.DoubleQuotedStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}

func sameEntries(a, b []*yaml.Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !nodeEqual(a[i], b[i], 0) {
			return false
		}
	}
	return true
}

// nodeEqual compares content: kind, resolved tag, value, anchors and
// children. Style, comments and positions do not matter; aliases compare by
// the anchor they name, so the comparison never expands them.
func nodeEqual(a, b *yaml.Node, depth int) bool {
	if a == nil || b == nil {
		return a == b
	}
	if depth > 10000 {
		return false
	}
	if a.Kind != b.Kind || a.Anchor != b.Anchor {
		return false
	}
	switch a.Kind {
	case yaml.AliasNode:
		return a.Value == b.Value
	case yaml.ScalarNode:
		return a.ShortTag() == b.ShortTag() && a.Value == b.Value
	}
	if a.ShortTag() != b.ShortTag() || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !nodeEqual(a.Content[i], b.Content[i], depth+1) {
			return false
		}
	}
	return true
}

// cloneNode deep-copies a tree, keeping aliases pointing into the copy.
func cloneNode(n *yaml.Node) *yaml.Node {
	seen := map[*yaml.Node]*yaml.Node{}
	var walk func(*yaml.Node) *yaml.Node
	walk = func(n *yaml.Node) *yaml.Node {
		if n == nil {
			return nil
		}
		if c, ok := seen[n]; ok {
			return c
		}
		c := *n
		seen[n] = &c
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = walk(k)
		}
		c.Alias = walk(n.Alias)
		return &c
	}
	return walk(n)
}

func stripComments(n *yaml.Node) {
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}
