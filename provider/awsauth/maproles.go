package awsauth

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// RoleMapping is one mapRoles entry as aws-iam-authenticator reads it.
type RoleMapping struct {
	// RoleARN is the role ARN without its IAM path (see RoleARNWithoutPath).
	RoleARN  string   `yaml:"rolearn"`
	Username string   `yaml:"username"`
	Groups   []string `yaml:"groups"`
}

// Equal reports whether two mappings grant the same identity. A nil and an
// empty group list are the same.
func (r RoleMapping) Equal(o RoleMapping) bool {
	return r.RoleARN == o.RoleARN && r.Username == o.Username &&
		slices.Equal(r.Groups, o.Groups)
}

// MapRoles is the parsed value of the aws-auth `mapRoles` key.
//
// Every entry is kept as a yaml.v3 node, so entries we do not own (node
// roles, Fargate pod execution roles, the platform team's admins) keep every
// field, including ones this package does not know, and their order. Only
// Set and Remove edit it, and they only ever touch entries of one rolearn.
type MapRoles struct {
	// prefix holds the comment lines of a value that held no YAML value at
	// all (only comments); rendering keeps them.
	prefix string
	// doc is the YAML document; nil when text holds no value.
	doc *yaml.Node
	// seq is the sequence of entries (doc.Content[0]); nil when doc is nil
	// or holds null.
	seq *yaml.Node
	// flow records that the value is written in flow style (JSON, which
	// the EKS console and some tools write); new entries follow it.
	flow bool
}

// ParseMapRoles parses a mapRoles value written as YAML or as JSON. An empty
// value, one holding only comments and `null` mean no entries. Anything that
// is not a single list is an error: we never rewrite what we cannot read.
func ParseMapRoles(text string) (m *MapRoles, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("mapRoles: cannot parse: %v", r)
		}
	}()
	m = &MapRoles{}
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

// checkDuplicateKeys rejects a mapping holding a key twice: YAML forbids it,
// yaml.v3 nodes keep both, and which one a reader takes (a second rolearn!)
// is anyone's guess.
func checkDuplicateKeys(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		seen := map[[2]string]bool{}
		for i := 0; i < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			key := [2]string{k.ShortTag(), k.Value}
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

// items returns the entries in order.
func (m *MapRoles) items() []*yaml.Node {
	if m.seq == nil {
		return nil
	}
	return m.seq.Content
}

// Len returns the number of entries, ours and foreign.
func (m *MapRoles) Len() int { return len(m.items()) }

// resolve follows an alias node to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

// mappingValue returns the value of key in mapping node n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// roleARNOf returns the rolearn of an entry, or "" when it has none.
func roleARNOf(item *yaml.Node) string {
	v := resolve(mappingValue(item, "rolearn"))
	if v == nil || v.Kind != yaml.ScalarNode {
		return ""
	}
	return v.Value
}

// matches returns the indexes of the entries whose rolearn is rolearn.
func (m *MapRoles) matches(rolearn string) []int {
	if rolearn == "" {
		return nil // entries without a rolearn are never ours
	}
	var idx []int
	for i, item := range m.items() {
		if roleARNOf(item) == rolearn {
			idx = append(idx, i)
		}
	}
	return idx
}

// Find returns the first entry for rolearn as found, for drift detection.
func (m *MapRoles) Find(rolearn string) (RoleMapping, bool, error) {
	idx := m.matches(rolearn)
	if len(idx) == 0 {
		return RoleMapping{}, false, nil
	}
	var r RoleMapping
	if err := resolve(m.items()[idx[0]]).Decode(&r); err != nil {
		return RoleMapping{}, true, fmt.Errorf("mapRoles: entry for %s: %w", rolearn, err)
	}
	return r, true, nil
}

// Has reports whether mapRoles holds exactly one entry for r.RoleARN and
// that entry is r, with no other field. When Has is true, Set is a no-op.
func (m *MapRoles) Has(r RoleMapping) bool {
	idx := m.matches(r.RoleARN)
	if len(idx) != 1 {
		return false
	}
	item := m.items()[idx[0]]
	if item.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i < len(item.Content); i += 2 {
		k := item.Content[i]
		if k.Kind != yaml.ScalarNode || !slices.Contains([]string{"rolearn", "username", "groups"}, k.Value) {
			return false
		}
	}
	var found RoleMapping
	if err := item.Decode(&found); err != nil {
		return false
	}
	return found.Equal(r)
}

// Set adds the entry r, or replaces the entries for r.RoleARN with one entry
// r at the place of the first. It reports whether anything changed.
func (m *MapRoles) Set(r RoleMapping) (bool, error) {
	if err := checkPathless(r.RoleARN); err != nil {
		return false, err
	}
	if m.Has(r) {
		return false, nil
	}
	idx := m.matches(r.RoleARN)
	if err := m.checkEditable(r.RoleARN, idx); err != nil {
		return false, err
	}
	entry, err := m.newEntry(r)
	if err != nil {
		return false, err
	}
	m.ensureSeq()
	if len(idx) == 0 {
		m.seq.Content = append(m.seq.Content, entry)
		return true, nil
	}
	old := m.seq.Content[idx[0]]
	entry.HeadComment, entry.LineComment, entry.FootComment = old.HeadComment, old.LineComment, old.FootComment
	m.seq.Content[idx[0]] = entry
	m.removeAt(idx[1:])
	return true, nil
}

// Remove deletes every entry for rolearn and reports whether there was one.
func (m *MapRoles) Remove(rolearn string) (bool, error) {
	if rolearn == "" {
		return false, errors.New("rolearn: must not be empty")
	}
	idx := m.matches(rolearn)
	if len(idx) == 0 {
		return false, nil
	}
	if err := m.checkEditable(rolearn, idx); err != nil {
		return false, err
	}
	m.removeAt(idx)
	return true, nil
}

func (m *MapRoles) removeAt(idx []int) {
	for i := len(idx) - 1; i >= 0; i-- {
		m.seq.Content = slices.Delete(m.seq.Content, idx[i], idx[i]+1)
	}
}

func checkPathless(rolearn string) error {
	p, err := RoleARNWithoutPath(rolearn)
	if err != nil {
		return err
	}
	if p != rolearn {
		return fmt.Errorf("rolearn: %q carries an IAM path; aws-auth needs %q", rolearn, p)
	}
	return nil
}

// checkEditable refuses to edit entries that define a YAML anchor: another
// entry may refer to it, and replacing or removing ours would change theirs.
func (m *MapRoles) checkEditable(rolearn string, idx []int) error {
	for _, i := range idx {
		if a := findAnchor(m.items()[i]); a != "" {
			return fmt.Errorf("mapRoles: the entry for %s defines the YAML anchor &%s that other entries may use; "+
				"refusing to edit it, remove the anchor by hand", rolearn, a)
		}
	}
	return nil
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

// ensureSeq makes sure there is a sequence to add to.
func (m *MapRoles) ensureSeq() {
	if m.seq != nil {
		return
	}
	m.seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if m.flow {
		m.seq.Style = yaml.FlowStyle
	}
	if m.doc == nil {
		m.doc = &yaml.Node{Kind: yaml.DocumentNode}
	}
	if len(m.doc.Content) == 1 {
		// Replacing a `null`: keep its comments.
		old := m.doc.Content[0]
		m.seq.HeadComment, m.seq.LineComment, m.seq.FootComment = old.HeadComment, old.LineComment, old.FootComment
	}
	m.doc.Content = []*yaml.Node{m.seq}
}

// newEntry builds the node for r in the style of the list: block YAML, or
// JSON-like flow when the list is written in JSON.
func (m *MapRoles) newEntry(r RoleMapping) (*yaml.Node, error) {
	if r.Groups == nil {
		r.Groups = []string{}
	}
	var n yaml.Node
	if err := n.Encode(r); err != nil {
		return nil, fmt.Errorf("mapRoles: encoding the entry for %s: %w", r.RoleARN, err)
	}
	if m.flow {
		setFlow(&n)
	}
	return &n, nil
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

// Render returns the mapRoles value. It checks its own output: the result
// must parse back to the same entries, with the same content and order;
// otherwise it retries without comments, then fails rather than write
// something else.
func (m *MapRoles) Render() (string, error) {
	if m.doc == nil {
		return m.prefix, nil
	}
	out, err := m.render(m.doc)
	if err == nil {
		return out, nil
	}
	bare := cloneNode(m.doc)
	stripComments(bare)
	if out, err2 := m.render(bare); err2 == nil {
		return out, nil
	}
	return "", err
}

func (m *MapRoles) render(doc *yaml.Node) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("mapRoles: cannot render: %v", r)
		}
	}()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("mapRoles: cannot render: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("mapRoles: cannot render: %w", err)
	}
	out = m.prefix + b.String()
	back, err := ParseMapRoles(out)
	if err != nil {
		return "", fmt.Errorf("mapRoles: rendered value does not parse back: %w", err)
	}
	if !sameEntries(m.items(), back.items()) {
		return "", errors.New("mapRoles: rendered value does not parse back to the same entries")
	}
	return out, nil
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
