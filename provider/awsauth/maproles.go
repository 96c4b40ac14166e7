package awsauth

import (
	"errors"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// RoleMapping is one mapRoles entry as aws-iam-authenticator reads it.
type RoleMapping struct {
	// RoleARN is the role ARN without its IAM path (see RoleARNWithoutPath).
	RoleARN  string   `yaml:"rolearn"`
	Username string   `yaml:"username"`
	Groups   []string `yaml:"groups"`
}

// Equal reports whether two mappings grant the same identity to the same
// role: rolearn as aws-iam-authenticator compares it (SameRole), username
// and groups exactly. A nil and an empty group list are the same.
func (r RoleMapping) Equal(o RoleMapping) bool {
	return SameRole(r.RoleARN, o.RoleARN) && r.Username == o.Username && slices.Equal(r.Groups, o.Groups)
}

// MapRoles is the parsed value of the aws-auth `mapRoles` key.
//
// Every entry is kept as a yaml.v3 node, so entries we do not own (node
// roles, Fargate pod execution roles, the platform team's admins) keep every
// field, including ones this package does not know, and their order. Add and
// RemoveOwned are the only edits: the first appends one entry, the second
// removes one entry equal to ours. Both splice the text where they can, so
// everything else stays byte for byte (see splice.go).
type MapRoles struct {
	// text is the value as read or as last edited.
	text string
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
	// skippable records a value aws-iam-authenticator reads as empty
	// (`""` and the like), which an edit replaces.
	skippable bool
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

// Found is an entry for a role, as found.
type Found struct {
	Index int // position in mapRoles
	RoleMapping
}

// decode reads the three fields aws-iam-authenticator uses from an entry,
// keys in any case. ok is false for an entry it never matches: no rolearn
// (an sso entry or garbage), or both rolearn and sso (its Validate rejects
// those).
func decode(item *yaml.Node) (r RoleMapping, ok bool) {
	item = resolve(item)
	if item == nil || item.Kind != yaml.MappingNode {
		return RoleMapping{}, false
	}
	arn, ok := scalar(mappingValue(item, "rolearn"))
	if !ok || arn == "" || mappingValue(item, "sso") != nil {
		return RoleMapping{}, false
	}
	r.RoleARN = arn
	r.Username, _ = scalar(mappingValue(item, "username"))
	if g := resolve(mappingValue(item, "groups")); g != nil && g.Kind == yaml.SequenceNode {
		for _, c := range g.Content {
			if s, ok := scalar(c); ok {
				r.Groups = append(r.Groups, s)
			}
		}
	}
	return r, true
}

// ForRole returns the entries aws-iam-authenticator matches to rolearn, in
// order. The last one is in force: it keys its role map by the lowercased
// rolearn, so a later entry overwrites an earlier one.
func (m *MapRoles) ForRole(rolearn string) []Found {
	if rolearn == "" {
		return nil
	}
	var out []Found
	for i, item := range m.items() {
		if r, ok := decode(item); ok && SameRole(r.RoleARN, rolearn) {
			out = append(out, Found{Index: i, RoleMapping: r})
		}
	}
	return out
}

// InForce returns the entry aws-iam-authenticator uses for rolearn.
func (m *MapRoles) InForce(rolearn string) (RoleMapping, bool) {
	f := m.ForRole(rolearn)
	if len(f) == 0 {
		return RoleMapping{}, false
	}
	return f[len(f)-1].RoleMapping, true
}

// WithPath returns the rolearns of entries that name rolearn's role with an
// IAM path. aws-iam-authenticator compares entries as written with the
// caller's path-less ARN, so these never match.
func (m *MapRoles) WithPath(rolearn string) []string {
	var out []string
	for _, item := range m.items() {
		r, ok := decode(item)
		if !ok || SameRole(r.RoleARN, rolearn) {
			continue
		}
		if p, err := RoleARNWithoutPath(r.RoleARN); err == nil && SameRole(p, rolearn) {
			out = append(out, r.RoleARN)
		}
	}
	return out
}

// Add appends the entry r, after every other entry, so it is the one in
// force for its role. Entries already there for the role are left as they
// are; they come back in force when ours is removed.
func (m *MapRoles) Add(r RoleMapping) error {
	if err := checkPathless(r.RoleARN); err != nil {
		return err
	}
	entry, err := m.newEntry(r)
	if err != nil {
		return err
	}
	if text, ok := m.spliceAppend(entry); ok {
		return m.reset(text)
	}
	m.ensureSeq()
	m.seq.Content = append(m.seq.Content, entry)
	return m.rerender()
}

// RemoveOwned removes one entry equal to r (the last one), and reports
// whether there was one. Equal entries grant the same thing, so which copy
// goes does not matter; the others, and every other entry for the role,
// stay.
func (m *MapRoles) RemoveOwned(r RoleMapping) (bool, error) {
	if r.RoleARN == "" {
		return false, errors.New("rolearn: must not be empty")
	}
	found := m.ForRole(r.RoleARN)
	idx := -1
	for _, f := range found {
		if f.Equal(r) {
			idx = f.Index
		}
	}
	if idx < 0 {
		return false, nil
	}
	if a := findAnchor(m.items()[idx]); a != "" {
		return false, fmt.Errorf("mapRoles: the entry for %s defines the YAML anchor &%s that other entries may use; "+
			"refusing to edit it, remove the anchor by hand", r.RoleARN, a)
	}
	if text, ok := m.spliceRemove(idx); ok {
		return true, m.reset(text)
	}
	m.seq.Content = slices.Delete(m.seq.Content, idx, idx+1)
	return true, m.rerender()
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

// reset replaces the value with text, parsed again.
func (m *MapRoles) reset(text string) error {
	n, err := ParseMapRoles(text)
	if err != nil {
		return err
	}
	*m = *n
	return nil
}

// rerender renders the edited nodes and parses the result again.
func (m *MapRoles) rerender() error {
	text, err := m.render()
	if err != nil {
		return err
	}
	return m.reset(text)
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
