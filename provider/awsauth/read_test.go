package awsauth

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-go-provider/infer"
)

// Wrong behaviour 2 (matching): Read reports the entry aws-iam-authenticator
// uses (the last one for the role, rolearn and keys in any case; an entry
// with an IAM path never matches) and warns about the others. The code
// before matched case-sensitively and reported the first.
func TestReadReportsEntryInForce(t *testing.T) {
	t.Parallel()
	st := stateOf(args(oursARN))
	upper := "arn:aws:iam::111122223333:role/Concurrent-Access"
	tests := []struct {
		name     string
		mapRoles *string // nil: no ConfigMap
		gone     bool
		username string   // in force; "" means ours
		groups   []string // in force
		warnings []string // substrings, one per warning
	}{
		{name: "ours alone", mapRoles: ptr(oursSame)},
		{
			name: "ours last, after the runbook's twice", mapRoles: ptr(oursDuplicated),
			warnings: []string{"shadows 2 earlier entries"},
		},
		{
			name: "changed by hand", mapRoles: ptr(oursDifferent), username: oursARN, groups: []string{"system:masters", "extra"},
			warnings: []string{"the entry this resource added for " + oursARN + " is gone"},
		},
		{
			name: "a later entry shadows ours", mapRoles: ptr(oursSame + "- rolearn: " + upper + "\n  username: other\n"),
			username: "other", warnings: []string{"is shadowed by a later entry"},
		},
		{
			name:     "keys and rolearn in another case",
			mapRoles: ptr("- RoleArn: " + upper + "\n  UserName: other\n  GROUPS: [a]\n"), username: "other", groups: []string{"a"},
			warnings: []string{"is gone"},
		},
		{
			name:     "an entry with a path never matches",
			mapRoles: ptr("- rolearn: arn:aws:iam::111122223333:role/team/concurrent-access\n  username: u\n" + oursSame),
			warnings: []string{"role/team/concurrent-access carries an IAM path and never matches"},
		},
		{
			name: "only an entry with a path: gone", gone: true,
			mapRoles: ptr("- rolearn: arn:aws:iam::111122223333:role/team/concurrent-access\n  username: u\n"),
			warnings: []string{"never matches"},
		},
		{
			name: "sso entries and rolearn with sso are not role entries", gone: true,
			mapRoles: ptr("- sso: {permissionSetName: Admin, accountID: \"111122223333\"}\n  username: a\n" +
				"- rolearn: " + oursARN + "\n  sso: {permissionSetName: Admin, accountID: \"111122223333\"}\n  username: b\n"),
		},
		{name: "entry removed", mapRoles: ptr(consoleShape), gone: true},
		{name: "configmap removed", gone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var data map[string]string
			if tt.mapRoles != nil {
				data = dataWith(tt.mapRoles)
			}
			c := newCluster(t, data)
			resp := c.read(st)
			if tt.gone {
				if resp.ID != "" {
					t.Errorf("Read ID = %q, want empty (gone)", resp.ID)
				}
			} else {
				want := st
				if tt.username != "" {
					want.Username, want.Groups = tt.username, tt.groups
				}
				if resp.ID != oursARN || !reflect.DeepEqual(resp.State, want) || !reflect.DeepEqual(resp.Inputs, want.AwsAuthRoleMappingArgs) {
					t.Errorf("Read =\n%#v\nwant\n%#v", resp, want)
				}
			}
			if len(c.warnings) != len(tt.warnings) {
				t.Fatalf("warnings = %q, want %d", c.warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(c.warnings[i], w) {
					t.Errorf("warning %q, want containing %q", c.warnings[i], w)
				}
			}
		})
	}
}

func TestReadUnparseableMapRolesIsAnError(t *testing.T) {
	t.Parallel()
	c := newCluster(t, map[string]string{MapRolesKey: "rolearn: x\n"})
	_, err := c.res.Read(context.Background(), infer.ReadRequest[AwsAuthRoleMappingArgs, AwsAuthRoleMappingState]{
		ID: oursARN, State: stateOf(args(oursARN)),
	})
	if err == nil || !strings.Contains(err.Error(), "must be a list") {
		t.Errorf("error = %v", err)
	}
}
