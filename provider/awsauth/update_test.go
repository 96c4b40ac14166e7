package awsauth

import (
	"reflect"
	"slices"
	"testing"
)

// An update with nothing to change writes nothing; neither does a
// kubeconfig change alone (wrong behaviour 3: it used to be ignored by Diff,
// so the stale kubeconfig stayed in state), which is stored and used from
// then on.
func TestUpdateWithoutEntryChangeDoesNotWrite(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	st := c.mustCreate(args(oursARN))
	before := c.mapRoles()
	c.forbidWrites = true
	if _, err := c.update(st, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	rotated := args(oursARN)
	rotated.Kubeconfig = "kubeconfig-rotated"
	c.kubeconfigs = nil
	resp, err := c.update(st, rotated)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Output.Kubeconfig != "kubeconfig-rotated" || !reflect.DeepEqual(resp.Output, stateOf(rotated)) {
		t.Errorf("Update stored %#v, want %#v", resp.Output, stateOf(rotated))
	}
	if len(c.cs.Actions()) != 2 { // the create's get and update
		t.Errorf("the kubeconfig-only update used the cluster: %v", c.cs.Actions()[2:])
	}
	if got := c.mapRoles(); got != before {
		t.Errorf("mapRoles changed:\n%s", got)
	}
	c.forbidWrites = false
	c.kubeconfigs = nil
	if err := c.delete(resp.Output); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.kubeconfigs, []string{"kubeconfig-rotated"}) {
		t.Errorf("delete used kubeconfigs %q, want the rotated one", c.kubeconfigs)
	}
	if got := c.mapRoles(); got != eksctlShape {
		t.Errorf("mapRoles after delete =\n%s", got)
	}
}

func TestUpdateReplacesOnlyOurEntry(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(oursDuplicated)))
	old := c.mustCreate(args(oursARN))
	in := args(oursARN)
	in.Username, in.Groups = "concurrent", []string{"system:masters", "ops"}
	resp, err := c.update(old, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := stateOf(in); !reflect.DeepEqual(resp.Output, want) {
		t.Errorf("Update = %#v, want %#v", resp.Output, want)
	}
	runbook := entry(oursARN, oursARN, "system:masters")
	c.assertRoles(runbook, runbook, nodeEntry, oursEntry, entry(oursARN, "concurrent", "system:masters", "ops"))
	c.assertOtherKeys()
	if err := c.delete(resp.Output); err != nil {
		t.Fatal(err)
	}
	if got := c.mapRoles(); got != oursDuplicated {
		t.Errorf("mapRoles after delete =\n%s", got)
	}
}

// roleArn changes: the old rolearn's entry goes, the new one comes, in one
// write; foreign entries stay.
func TestUpdateMovesEntryToNewRole(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(consoleShape)))
	old := c.mustCreate(args(oursARN))
	newARN := "arn:aws:iam::111122223333:role/concurrent-access-2"
	c.updates = 0
	if _, err := c.update(old, args("arn:aws:iam::111122223333:role/team/concurrent-access-2")); err != nil {
		t.Fatal(err)
	}
	c.assertRoles(winNodeEntry, fargateEntry, entry(newARN, "system-manager", "system:masters"))
	if c.updates != 1 {
		t.Errorf("updates = %d, want 1", c.updates)
	}
}

// The engine (or our plugin) was killed after Update wrote aws-auth and
// before the engine recorded it: the state still holds the old entry. The
// next update finds the new entry in force and the old one gone, and writes
// nothing, so no copy is left that nobody owns.
func TestUpdateAfterAnUnrecordedWrite(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	old := c.mustCreate(args(oursARN))
	in := args(oursARN)
	in.Username = "concurrent"
	if _, err := c.update(old, in); err != nil { // its result is lost
		t.Fatal(err)
	}
	written := c.mapRoles()
	c.forbidWrites = true
	resp, err := c.update(old, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.mapRoles(); got != written {
		t.Errorf("mapRoles changed:\n%s", got)
	}
	c.forbidWrites = false
	if err := c.delete(resp.Output); err != nil {
		t.Fatal(err)
	}
	if got := c.mapRoles(); got != eksctlShape {
		t.Errorf("mapRoles after delete =\n%s", got)
	}
}

// A later entry shadows ours: an update puts ours last again.
func TestUpdateRestoresOursInForce(t *testing.T) {
	t.Parallel()
	c := newCluster(t, dataWith(ptr(eksctlShape)))
	st := c.mustCreate(args(oursARN))
	shadow := c.mapRoles() + "- rolearn: " + oursARN + "\n  username: someone-else\n"
	c.put(dataWith(&shadow))
	refreshed := c.read(st).State
	if _, err := c.update(refreshed, args(oursARN)); err != nil {
		t.Fatal(err)
	}
	c.assertRoles(nodeEntry, map[string]any{"rolearn": oursARN, "username": "someone-else"}, oursEntry)
}
