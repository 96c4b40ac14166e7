package awsauth

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// FuzzOwnership: for any aws-auth and any sequence of creates, updates
// (username, role, kubeconfig), refreshes and deletes by two resources
// mapping roles that the aws-auth may already map, every live resource's
// entry is present after each step, the one that just wrote is in force
// (updates run only when Diff finds a change, as in the engine),
// and once both are deleted every entry that was not ours is exactly as it
// began, in order, and every other key byte for byte.
func FuzzOwnership(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, []byte{0, 1, 3, 2, 6, 4, 7})
		f.Add(s, []byte{0x00, 0x09, 0x81, 0x2b, 0x05, 0x0e, 0x21, 0x04})
	}
	usernames := []string{"system-manager", "concurrent", oursARN, "other"}
	roles := []string{"arn:aws:iam::111122223333:role/concurrent/concurrent-access", "arn:aws:iam::111122223333:role/concurrent-access-2"}
	f.Fuzz(func(t *testing.T, mapRoles string, ops []byte) {
		if len(ops) > 32 {
			ops = ops[:32]
		}
		initial, err := ParseMapRoles(mapRoles)
		if err != nil {
			return // refused, never rewritten
		}
		c := newCluster(t, dataWith(&mapRoles))
		var live [2]*AwsAuthRoleMappingState
		for step, b := range ops {
			who, kind := int(b&1), (b>>1)%4
			in := args(roles[(b>>5)&1])
			in.Username = usernames[(b>>3)&3]
			if kind == 3 {
				in.Kubeconfig = "kubeconfig-rotated"
			}
			st := live[who]
			var next AwsAuthRoleMappingState
			wrote := true // the step wrote our entry, which must then be in force
			switch {
			case kind == 2 && st != nil:
				if err := c.delete(*st); err != nil {
					t.Fatalf("step %d: delete: %v", step, err)
				}
				live[who] = nil
				continue
			case kind == 2:
				continue
			case st == nil:
				resp, err := c.create(in)
				if err != nil {
					t.Fatalf("step %d: create: %v", step, err)
				}
				next = resp.Output
			default:
				if b&0x80 != 0 {
					if r := c.read(*st); r.ID != "" {
						st = &r.State
					}
				}
				// As the engine does: Update only when Diff finds a change.
				diff, err := c.res.Diff(context.Background(), infer.DiffRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
					ID: st.Rolearn, State: *st, Inputs: in,
				})
				if err != nil {
					t.Fatalf("step %d: diff: %v", step, err)
				}
				if !diff.HasChanges {
					continue
				}
				_, onlyKubeconfig := diff.DetailedDiff["kubeconfig"]
				onlyKubeconfig = onlyKubeconfig && len(diff.DetailedDiff) == 1
				resp, err := c.update(*st, in)
				if err != nil {
					t.Fatalf("step %d: update: %v", step, err)
				}
				next = resp.Output
				wrote = !onlyKubeconfig
			}
			live[who] = &next
			roles := mustRoles(t, c.mapRoles())
			if got, ok := roles.InForce(next.Rolearn); wrote && (!ok || !got.Equal(next.owned(next.Rolearn))) {
				t.Fatalf("step %d: the entry just written is not in force:\n%s", step, c.mapRoles())
			}
			for i, l := range live {
				if l == nil {
					continue
				}
				if !hasEqual(roles.ForRole(l.Rolearn), l.owned(l.Rolearn)) {
					t.Fatalf("step %d: resource %d's entry is gone:\n%s", step, i, c.mapRoles())
				}
			}
		}
		for _, l := range live {
			if l != nil {
				if err := c.delete(*l); err != nil {
					t.Fatalf("final delete: %v", err)
				}
			}
		}
		if c.stored() == nil || !sameEntries(initial.items(), mustRoles(t, c.mapRoles()).items()) {
			t.Fatalf("entries not ours changed:\n%q\n->\n%q", mapRoles, c.mapRoles())
		}
		c.assertOtherKeys()
	})
}

func hasEqual(found []Found, r RoleMapping) bool {
	for _, f := range found {
		if f.Equal(r) {
			return true
		}
	}
	return false
}
