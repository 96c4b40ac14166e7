package awsauth

import (
	"strings"
	"testing"
)

// fuzzSeeds are the real shapes plus a few awkward ones.
var fuzzSeeds = []string{
	eksctlShape, terraformShape, consoleShape, jsonShape, commentedShape,
	oursSame, oursDifferent, oursDuplicated, "", "null\n", "[]\n", "# only a comment\n", "''",
	"- rolearn: " + oursARN + "\n  username: u\n  groups: &g [system:masters]\n- rolearn: x\n  groups: *g\n",
	"- &n {rolearn: " + nodeARN + ", username: n}\n- *n\n- rolearn: " + oursARN + "\n",
	"- rolearn: \"" + oursARN + "\"\n  username: 'quoted'\n  groups: []\n  extra: {a: [1, 2.5, true, null]}\n",
	"- plain scalar entry\n- [a, list]\n- null\n- rolearn: " + fargateARN + "\n",
	"- rolearn: a\n  username: |\n    multi\n    line\n",
	"- RoleARN: " + strings.ToUpper(oursARN) + "\n  UserName: system-manager\n  Groups: [system:masters]\n",
	"  - rolearn: " + oursARN + "\n    username: system-manager\n    groups:\n      - system:masters\n  # tail\n",
}

// fuzzRole turns fuzz input into a valid mapping for our ARN.
func fuzzRole(username, group string) RoleMapping {
	r := RoleMapping{RoleARN: oursARN, Username: username}
	if group != "" {
		r.Groups = []string{group, "system:masters"}
	}
	return r
}

// FuzzAddRemove: for any parseable mapRoles, adding our entry then removing
// it leaves every foreign entry equal and in order, every other key byte for
// byte, and every entry for our role that was there before.
func FuzzAddRemove(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "system-manager", "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, username, group string) {
		in := map[string]string{MapRolesKey: mapRoles, "mapUsers": username}
		a, err := NewAuthConfigMap(in)
		if err != nil {
			return // unparseable: refused, never rewritten
		}
		r := fuzzRole(username, group)
		if err := a.AddRole(r); err != nil {
			return // refused to render what would not parse back the same
		}
		added := a.Data()
		if added["mapUsers"] != username {
			t.Fatalf("mapUsers changed")
		}
		assertForeignKept(t, mapRoles, added[MapRolesKey], oursARN)
		b := mustAuthConfigMap(t, added)
		if got, ok := b.roles.InForce(oursARN); !ok || !got.Equal(r) {
			t.Fatalf("added entry not in force in\n%q", added[MapRolesKey])
		}
		if removed, err := b.RemoveOwnedRole(r); err != nil || !removed {
			t.Fatalf("remove after add: %v, %v\n%q", removed, err, added[MapRolesKey])
		}
		removed := b.Data()
		if !sameEntries(mustRoles(t, mapRoles).items(), b.roles.items()) {
			t.Fatalf("add then remove changed the entries:\n%q\n->\n%q", mapRoles, removed[MapRolesKey])
		}
	})
}

// FuzzAddIdempotent: adding then removing our entry gives back the value
// read byte for byte whenever the add kept it as a prefix (a block list),
// and removing again writes nothing.
func FuzzAddIdempotent(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "system-manager", "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, username, group string) {
		a, err := NewAuthConfigMap(map[string]string{MapRolesKey: mapRoles})
		if err != nil {
			return
		}
		r := fuzzRole(username, group)
		if err := a.AddRole(r); err != nil {
			return
		}
		spliced := strings.HasPrefix(a.roles.text, mapRoles)
		b := mustAuthConfigMap(t, a.Data())
		if _, err := b.RemoveOwnedRole(r); err != nil {
			t.Fatalf("remove: %v", err)
		}
		// A value without a final newline gets one before our entry,
		// which stays (every tool writes one).
		exact := spliced && len(mustRoles(t, mapRoles).items()) > 0 && strings.HasSuffix(mapRoles, "\n")
		if got := b.Data()[MapRolesKey]; exact && got != mapRoles {
			t.Fatalf("add then remove is not byte for byte:\n%q\n->\n%q", mapRoles, got)
		}
		c := mustAuthConfigMap(t, b.Data())
		if _, err := c.RemoveOwnedRole(r); err != nil {
			t.Fatalf("second remove: %v", err)
		}
		if !sameEntries(mustRoles(t, mapRoles).items(), c.roles.items()) {
			t.Fatalf("removing again removed an entry that was there before:\n%q\n->\n%q", mapRoles, c.roles.text)
		}
	})
}

// FuzzRemoveOther: removing any entry never touches an entry of another ARN.
func FuzzRemoveOther(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, oursARN)
		f.Add(s, nodeARN)
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, rolearn string) {
		a, err := NewAuthConfigMap(map[string]string{MapRolesKey: mapRoles, "mapAccounts": rolearn})
		if err != nil {
			return
		}
		r := RoleMapping{RoleARN: rolearn, Username: "system-manager", Groups: []string{"system:masters"}}
		before := len(a.Roles(rolearn))
		if _, err := a.RemoveOwnedRole(r); err != nil {
			return
		}
		out := a.Data()
		if out["mapAccounts"] != rolearn {
			t.Fatalf("mapAccounts changed")
		}
		if !a.Changed() && out[MapRolesKey] != mapRoles {
			t.Fatalf("mapRoles rewritten without a change")
		}
		assertForeignKept(t, mapRoles, out[MapRolesKey], rolearn)
		if after := len(mustAuthConfigMap(t, out).Roles(rolearn)); a.Changed() && after != before-1 {
			t.Fatalf("removed %d entries for %q, want 1", before-after, rolearn)
		}
	})
}

func mustAuthConfigMap(t *testing.T, data map[string]string) *AuthConfigMap {
	t.Helper()
	a, err := NewAuthConfigMap(data)
	if err != nil {
		t.Fatalf("rendered mapRoles does not parse: %v\n%q", err, data[MapRolesKey])
	}
	return a
}
