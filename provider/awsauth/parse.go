package awsauth

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseMapRoles parses a mapRoles value written as YAML or as JSON. An empty
// value, one holding only comments, `null`, and the quoted empty strings
// aws-iam-authenticator skips (two backquotes, two double or two single
// quotes) mean no entries. Anything that is
// not a single list is an error: we never rewrite what we cannot read.
func ParseMapRoles(text string) (m *MapRoles, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("mapRoles: cannot parse: %v", r)
		}
	}()
	m = &MapRoles{text: text}
	switch strings.TrimSpace(text) {
	case "``", `""`, "''":
		// aws-iam-authenticator's isSkippable: no entries. Adding
		// replaces the value.
		m.skippable = true
		return m, nil
	}
	dec := yaml.NewDecoder(strings.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			m.prefix = commentLines(text)
			return m, nil
		}
		return nil, fmt.Errorf("mapRoles: cannot parse as YAML or JSON: %w", err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("mapRoles: cannot parse as YAML or JSON: %w", err)
		}
		return nil, errors.New("mapRoles: holds more than one YAML document")
	}
	if doc.Kind == 0 {
		m.prefix = commentLines(text)
		return m, nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("mapRoles: not a single YAML document")
	}
	root := doc.Content[0]
	if err := checkDuplicateKeys(root); err != nil {
		return nil, err
	}
	m.doc = &doc
	switch {
	case root.Kind == yaml.SequenceNode:
		m.seq = root
		m.flow = root.Style&yaml.FlowStyle != 0
	case root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null":
		// `null` or `~`: no entries yet.
	default:
		return nil, fmt.Errorf("mapRoles: must be a list of role mappings, found %s at line %d",
			kindName(root), root.Line)
	}
	return m, nil
}

// authKeys are the entry keys aws-iam-authenticator reads. It decodes entries
// with encoding/json, which matches keys case-insensitively (its test data
// has `rOlEaRn`), so we do too.
var authKeys = []string{"rolearn", "username", "groups", "sso"}

// checkDuplicateKeys rejects a mapping holding a key twice, or one of
// authKeys twice in different case: YAML forbids the first, yaml.v3 nodes
// keep both, and which one a reader takes (a second rolearn!) is anyone's
// guess.
func checkDuplicateKeys(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		seen := map[[2]string]bool{}
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			name := k.Value
			if isAuthKey(name) {
				name = strings.ToLower(name)
			}
			key := [2]string{k.ShortTag(), name}
			if seen[key] {
				return fmt.Errorf("mapRoles: cannot parse: line %d: key %q is defined twice", k.Line, k.Value)
			}
			seen[key] = true
		}
	}
	for _, c := range n.Content {
		if err := checkDuplicateKeys(c); err != nil {
			return err
		}
	}
	return nil
}

func isAuthKey(k string) bool {
	for _, a := range authKeys {
		if strings.EqualFold(k, a) {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		return "a scalar " + n.ShortTag()
	default:
		return "an unknown node"
	}
}

// commentLines returns the comment lines of a value that holds no YAML
// value, each ending in a newline.
func commentLines(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "#") {
			b.WriteString(t)
			b.WriteString("\n")
		}
	}
	return b.String()
}
