package awsauth

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Render returns the mapRoles value: as read, or as last edited.
func (m *MapRoles) Render() (string, error) { return m.text, nil }

// render renders the edited nodes, when a splice was not possible. It checks
// its own output: the result must parse back to the same entries, with the
// same content and order; otherwise it retries without comments, then fails
// rather than write something else.
func (m *MapRoles) render() (string, error) {
	if m.doc == nil {
		return m.prefix, nil
	}
	out, err := m.renderDoc(m.doc)
	if err == nil {
		return out, nil
	}
	bare := cloneNode(m.doc)
	stripComments(bare)
	if out, err2 := m.renderDoc(bare); err2 == nil {
		return out, nil
	}
	return "", err
}

func (m *MapRoles) renderDoc(doc *yaml.Node) (out string, err error) {
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
