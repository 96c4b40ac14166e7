package awsauth

import (
	"testing"
)

func TestAuthConfigMapErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		mapRoles string
		edit     func(*AuthConfigMap) error
		wantErr  string
	}{
		{name: "not YAML", mapRoles: "- rolearn: [unclosed\n", wantErr: "mapRoles: cannot parse as YAML or JSON"},
		{name: "broken JSON", mapRoles: `[{"rolearn": "a",}`, wantErr: "mapRoles: cannot parse as YAML or JSON"},
		{name: "a mapping", mapRoles: "rolearn: " + oursARN + "\n", wantErr: "mapRoles: must be a list of role mappings, found a mapping"},
		{name: "a scalar", mapRoles: "hello\n", wantErr: "mapRoles: must be a list of role mappings, found a scalar !!str"},
		{name: "two documents", mapRoles: "- rolearn: a\n---\n- rolearn: b\n", wantErr: "mapRoles: holds more than one YAML document"},
		{name: "duplicate key", mapRoles: "- rolearn: a\n  rolearn: b\n", wantErr: "mapRoles: cannot parse"},
		{name: "duplicate key in another case", mapRoles: "- rolearn: a\n  RoleArn: b\n", wantErr: `key "RoleArn" is defined twice`},
		{
			name: "ARN with a path", mapRoles: "", wantErr: "carries an IAM path",
			edit: func(a *AuthConfigMap) error {
				return a.AddRole(RoleMapping{RoleARN: "arn:aws:iam::111122223333:role/team/concurrent-access", Username: "u"})
			},
		},
		{
			name: "our entry holds an anchor others use", wantErr: "defines the YAML anchor &g",
			mapRoles: "- rolearn: " + oursARN + "\n  username: u\n  groups: &g [system:masters]\n" +
				"- rolearn: " + adminARN + "\n  username: admin\n  groups: *g\n",
			edit: func(a *AuthConfigMap) error {
				_, err := a.RemoveOwnedRole(RoleMapping{RoleARN: oursARN, Username: "u", Groups: []string{"system:masters"}})
				return err
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := NewAuthConfigMap(map[string]string{MapRolesKey: tt.mapRoles})
			if err == nil {
				edit := tt.edit
				if edit == nil {
					edit = func(a *AuthConfigMap) error { return a.AddRole(ours) }
				}
				err = edit(a)
			}
			if err == nil || !contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

// Adding our entry and removing it again gives back the value read, byte
// for byte, for every block-style shape that ends in a newline (as every
// tool writes it).
func TestAddThenRemoveIsByteForByte(t *testing.T) {
	t.Parallel()
	for _, s := range []string{eksctlShape, terraformShape, consoleShape, commentedShape, oursSame, oursDifferent,
		oursDuplicated, "", "# only a comment\n", eksctlShape + "# trailing comment\n",
		"  - rolearn: " + nodeARN + "\n    username: n\n"} {
		a, err := NewAuthConfigMap(map[string]string{MapRolesKey: s})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.AddRole(ours); err != nil {
			t.Fatal(err)
		}
		if removed, err := a.RemoveOwnedRole(ours); err != nil || !removed {
			t.Fatalf("remove: %v, %v", removed, err)
		}
		if got := a.Data()[MapRolesKey]; got != s {
			t.Errorf("add then remove =\n%q\nwant\n%q", got, s)
		}
	}
}
