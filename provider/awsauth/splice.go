package awsauth

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Text splices: in a block list (what eksctl, terraform, the AWS docs and
// the runbook's script write) an entry is added by appending its lines and
// removed by cutting its lines, so every other byte of mapRoles stays as it
// was: the entry that was there before us is back byte for byte after our
// delete. Each splice is checked by parsing the result, which must hold the
// same entries but the one added or removed; when it does not (or the list
// is JSON), the caller re-renders the nodes instead.

// block reports whether the list is a block sequence at the document's top.
func (m *MapRoles) block() bool {
	return m.seq != nil && !m.flow && m.seq.Column >= 1 && m.doc != nil && len(m.doc.Content) == 1
}

// spliceAppend returns the value with entry appended as text.
func (m *MapRoles) spliceAppend(entry *yaml.Node) (string, bool) {
	if !m.block() || len(m.items()) == 0 {
		return "", false
	}
	b, err := yaml.Marshal([]*yaml.Node{entry})
	if err != nil {
		return "", false
	}
	indent := strings.Repeat(" ", m.seq.Column-1)
	var out strings.Builder
	out.WriteString(m.text)
	if !strings.HasSuffix(m.text, "\n") {
		out.WriteString("\n")
	}
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line != "" {
			out.WriteString(indent + line)
		}
	}
	want := append(append([]*yaml.Node{}, m.items()...), entry)
	return m.checked(out.String(), want)
}

// spliceRemove returns the value without the lines of entry i. Comment and
// blank lines at the list's indentation that follow the entry belong to
// what follows, and stay.
func (m *MapRoles) spliceRemove(i int) (string, bool) {
	if !m.block() {
		return "", false
	}
	lines := strings.SplitAfter(m.text, "\n")
	dash := m.seq.Column - 1
	start := dashLine(lines, m.items()[i].Line, dash)
	if start < 0 {
		return "", false
	}
	end := len(lines)
	if i+1 < len(m.items()) {
		if end = dashLine(lines, m.items()[i+1].Line, dash); end <= start {
			return "", false
		}
	}
	for end > start+1 && outside(lines[end-1], dash) {
		end--
	}
	text := strings.Join(lines[:start], "") + strings.Join(lines[end:], "")
	want := append(append([]*yaml.Node{}, m.items()[:i]...), m.items()[i+1:]...)
	return m.checked(text, want)
}

// dashLine returns the index in lines of the `-` line of the item whose
// node starts on 1-based line, or -1.
func dashLine(lines []string, line, dash int) int {
	for l := line - 1; l >= 0 && l < len(lines); l-- {
		s := lines[l]
		if len(s) > dash && s[dash] == '-' && strings.TrimSpace(s[:dash]) == "" {
			return l
		}
	}
	return -1
}

// outside reports whether a line is blank, or a comment no deeper than the
// list's dashes: it cannot be part of an entry's value.
func outside(line string, dash int) bool {
	t := strings.TrimSpace(line)
	if t == "" {
		return true
	}
	return strings.HasPrefix(t, "#") && len(line)-len(strings.TrimLeft(line, " \t")) <= dash
}

// checked returns text if it parses to exactly the entries want.
func (m *MapRoles) checked(text string, want []*yaml.Node) (string, bool) {
	back, err := ParseMapRoles(text)
	if err != nil || !back.block() && len(want) > 0 || !sameEntries(want, back.items()) {
		return "", false
	}
	return text, true
}
