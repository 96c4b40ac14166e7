package awsauth

import (
	"testing"
)

// fuzzSeeds are the real shapes plus a few awkward ones.
var fuzzSeeds = []string{
	eksctlShape, terraformShape, consoleShape, jsonShape, commentedShape,
	oursSame, oursDifferent, oursDuplicated, "", "null\n", "[]\n", "# only a comment\n",
	"- rolearn: " + oursARN + "\n  username: u\n  groups: &g [system:masters]\n- rolearn: x\n  groups: *g\n",
	"- &n {rolearn: " + nodeARN + ", username: n}\n- *n\n- rolearn: " + oursARN + "\n",
	"- rolearn: \"" + oursARN + "\"\n  username: 'quoted'\n  groups: []\n  extra: {a: [1, 2.5, true, null]}\n",
	"- plain scalar entry\n- [a, list]\n- null\n- rolearn: " + fargateARN + "\n",
	"- rolearn: a\n  username: |\n    multi\n    line\n",
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
// it leaves every foreign entry equal and in order, and every other key
// byte for byte.
func FuzzAddRemove(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "system-manager", "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, username, group string) {
		in := map[string]string{MapRolesKey: mapRoles, "mapUsers": username}
		a, err := NewAuthMap(in)
		if err != nil {
			return // unparseable: refused, never rewritten
		}
		r := fuzzRole(username, group)
		if err := a.SetRole(r); err != nil {
			return // refused (anchor in our entry)
		}
		added, err := a.Data()
		if err != nil {
			return // refused to render what would not parse back the same
		}
		if added["mapUsers"] != username {
			t.Fatalf("mapUsers changed")
		}
		assertForeignKept(t, mapRoles, added[MapRolesKey], oursARN)
		b, err := NewAuthMap(added)
		if err != nil {
			t.Fatalf("rendered mapRoles does not parse: %v\n%q", err, added[MapRolesKey])
		}
		if !b.HasRole(r) {
			t.Fatalf("added entry not found as given in\n%q", added[MapRolesKey])
		}
		if err := b.RemoveRole(oursARN); err != nil {
			t.Fatalf("remove after add: %v\n%q", err, added[MapRolesKey])
		}
		removed, err := b.Data()
		if err != nil {
			t.Fatalf("render after remove: %v\n%q", err, added[MapRolesKey])
		}
		assertForeignKept(t, mapRoles, removed[MapRolesKey], oursARN)
		if got := foreign(t, removed[MapRolesKey], oursARN); len(got) != b.roles.Len() {
			t.Fatalf("an entry for our ARN survived removal:\n%q", removed[MapRolesKey])
		}
	})
}

// FuzzAddIdempotent: adding the same entry twice renders identical bytes,
// and the second add writes nothing.
func FuzzAddIdempotent(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "system-manager", "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, username, group string) {
		a, err := NewAuthMap(map[string]string{MapRolesKey: mapRoles})
		if err != nil {
			return
		}
		r := fuzzRole(username, group)
		if err := a.SetRole(r); err != nil {
			return
		}
		first, err := a.Data()
		if err != nil {
			return
		}
		b, err := NewAuthMap(first)
		if err != nil {
			t.Fatalf("rendered mapRoles does not parse: %v\n%q", err, first[MapRolesKey])
		}
		if err := b.SetRole(r); err != nil {
			t.Fatalf("second add: %v", err)
		}
		if b.Changed() {
			t.Fatalf("second add reports a change in\n%q", first[MapRolesKey])
		}
		second, err := b.Data()
		if err != nil || second[MapRolesKey] != first[MapRolesKey] {
			t.Fatalf("second add rendered different bytes (%v):\n%q\n%q", err, first[MapRolesKey], second[MapRolesKey])
		}
	})
}

// FuzzRemoveOther: removing any ARN never touches an entry of another ARN.
func FuzzRemoveOther(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, oursARN)
		f.Add(s, nodeARN)
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, mapRoles, rolearn string) {
		a, err := NewAuthMap(map[string]string{MapRolesKey: mapRoles, "mapAccounts": rolearn})
		if err != nil {
			return
		}
		if err := a.RemoveRole(rolearn); err != nil {
			return
		}
		out, err := a.Data()
		if err != nil {
			return
		}
		if out["mapAccounts"] != rolearn {
			t.Fatalf("mapAccounts changed")
		}
		if !a.Changed() && out[MapRolesKey] != mapRoles {
			t.Fatalf("mapRoles rewritten without a change")
		}
		assertForeignKept(t, mapRoles, out[MapRolesKey], rolearn)
		if _, found, _ := (mustAuthMap(t, out)).Role(rolearn); found {
			t.Fatalf("%q still present in\n%q", rolearn, out[MapRolesKey])
		}
	})
}

func mustAuthMap(t *testing.T, data map[string]string) *AuthMap {
	t.Helper()
	a, err := NewAuthMap(data)
	if err != nil {
		t.Fatalf("rendered mapRoles does not parse: %v\n%q", err, data[MapRolesKey])
	}
	return a
}
