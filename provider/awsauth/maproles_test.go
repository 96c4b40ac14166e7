package awsauth

import (
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const oursARN = "arn:aws:iam::111122223333:role/concurrent-access"

var ours = RoleMapping{RoleARN: oursARN, Username: "system-manager", Groups: []string{"system:masters"}}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// entry is the decoded form of a mapRoles entry, for expectations.
func entry(rolearn, username string, groups ...string) map[string]any {
	g := make([]any, len(groups))
	for i, s := range groups {
		g[i] = s
	}
	return map[string]any{"rolearn": rolearn, "username": username, "groups": g}
}

// with returns a copy of m with k set to v.
func with(m map[string]any, k string, v any) map[string]any {
	c := maps.Clone(m)
	c[k] = v
	return c
}

// Real aws-auth shapes. Each is the value of the mapRoles key.
const (
	nodeARN    = "arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F"
	fargateARN = "arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole"
	adminARN   = "arn:aws:iam::111122223333:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef"

	// eksctl writes keys sorted, lists unindented.
	eksctlShape = `- groups:
  - system:bootstrappers
  - system:nodes
  rolearn: arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F
  username: system:node:{{EC2PrivateDNSName}}
`
	// terraform-aws-eks (yamlencode) quotes every key and value.
	terraformShape = `- "groups":
  - "system:bootstrappers"
  - "system:nodes"
  "rolearn": "arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F"
  "username": "system:node:{{EC2PrivateDNSName}}"
- "groups":
  - "system:masters"
  "rolearn": "arn:aws:iam::111122223333:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef"
  "username": "platform-admin"
`
	// Managed node groups (EKS console) and a Fargate profile, with the
	// Windows group and the indentation of the AWS docs' template.
	consoleShape = `- groups:
    - system:bootstrappers
    - system:nodes
    - eks:kube-proxy-windows
  rolearn: arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F
  username: system:node:{{EC2PrivateDNSName}}
- groups:
    - system:bootstrappers
    - system:nodes
    - system:node-proxier
  rolearn: arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole
  username: system:node:{{SessionName}}
`
	jsonShape = `[{"rolearn":"arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F",` +
		`"username":"system:node:{{EC2PrivateDNSName}}","groups":["system:bootstrappers","system:nodes"]},` +
		`{"rolearn":"arn:aws:iam::111122223333:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef",` +
		`"username":"platform-admin","groups":["system:masters"],"ttl":3600}]`
	commentedShape = `# managed by the platform team; do not edit by hand
- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_PlatformAdmin_0123456789abcdef # SSO admins
  username: platform-admin
  groups:
    - system:masters
  x-owner: platform # field aws-iam-authenticator ignores
`
	oursSame = `- rolearn: arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole
  username: system:node:{{SessionName}}
  groups: [system:bootstrappers, system:nodes, system:node-proxier]
- rolearn: arn:aws:iam::111122223333:role/concurrent-access
  username: system-manager
  groups:
    - system:masters
`
	oursDifferent = `- rolearn: arn:aws:iam::111122223333:role/concurrent-access
  username: arn:aws:iam::111122223333:role/concurrent-access
  groups:
    - system:masters
    - extra
- rolearn: arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole
  username: system:node:{{SessionName}}
  groups: [system:bootstrappers, system:nodes, system:node-proxier]
`
	// The runbook's script run twice: two copies at the top.
	oursDuplicated = `- rolearn: arn:aws:iam::111122223333:role/concurrent-access
  username: arn:aws:iam::111122223333:role/concurrent-access
  groups:
    - system:masters
- rolearn: arn:aws:iam::111122223333:role/concurrent-access
  username: arn:aws:iam::111122223333:role/concurrent-access
  groups:
    - system:masters
- rolearn: arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F
  username: system:node:{{EC2PrivateDNSName}}
  groups:
    - system:bootstrappers
    - system:nodes
- rolearn: arn:aws:iam::111122223333:role/concurrent-access
  username: system-manager
  groups:
    - system:masters
`
)

var (
	nodeEntry    = entry(nodeARN, "system:node:{{EC2PrivateDNSName}}", "system:bootstrappers", "system:nodes")
	winNodeEntry = entry(nodeARN, "system:node:{{EC2PrivateDNSName}}", "system:bootstrappers", "system:nodes", "eks:kube-proxy-windows")
	fargateEntry = entry(fargateARN, "system:node:{{SessionName}}", "system:bootstrappers", "system:nodes", "system:node-proxier")
	adminEntry   = entry(adminARN, "platform-admin", "system:masters")
	oursEntry    = entry(oursARN, "system-manager", "system:masters")
)

// otherKeys are ConfigMap keys that must come back byte for byte.
var otherKeys = map[string]string{
	"mapUsers":    "- userarn: arn:aws:iam::111122223333:user/alice\n  username: alice\n  groups:\n  - system:masters\n",
	"mapAccounts": "- \"444455556666\"\n",
	"custom":      "  odd   spacing\tkept\n",
}

func dataWith(mapRoles *string) map[string]string {
	d := map[string]string{}
	for k, v := range otherKeys {
		d[k] = v
	}
	if mapRoles != nil {
		d[MapRolesKey] = *mapRoles
	}
	return d
}

func ptr(s string) *string { return &s }

func TestAuthMapEdits(t *testing.T) {
	set := func(a *AuthMap) error { return a.SetRole(ours) }
	remove := func(a *AuthMap) error { return a.RemoveRole(oursARN) }
	tests := []struct {
		name        string
		mapRoles    *string // nil: key missing
		edit        func(*AuthMap) error
		want        []any // decoded mapRoles after the edit
		wantChanged bool
		wantJSON    bool // the rendered value is still JSON
		wantText    []string
	}{
		{name: "eksctl/add", mapRoles: ptr(eksctlShape), edit: set, want: []any{nodeEntry, oursEntry}, wantChanged: true},
		{name: "eksctl/remove absent", mapRoles: ptr(eksctlShape), edit: remove, want: []any{nodeEntry}},
		{name: "terraform/add", mapRoles: ptr(terraformShape), edit: set, want: []any{nodeEntry, adminEntry, oursEntry}, wantChanged: true},
		{name: "console+fargate/add", mapRoles: ptr(consoleShape), edit: set, want: []any{winNodeEntry, fargateEntry, oursEntry}, wantChanged: true},
		{
			name: "json/add", mapRoles: ptr(jsonShape), edit: set, wantChanged: true, wantJSON: true,
			want: []any{nodeEntry, with(adminEntry, "ttl", 3600), oursEntry},
		},
		{name: "empty string/add", mapRoles: ptr(""), edit: set, want: []any{oursEntry}, wantChanged: true},
		{name: "empty string/remove", mapRoles: ptr(""), edit: remove, want: nil},
		{name: "key missing/add", mapRoles: nil, edit: set, want: []any{oursEntry}, wantChanged: true},
		{name: "key missing/remove", mapRoles: nil, edit: remove, want: nil},
		{name: "null/add", mapRoles: ptr("null\n"), edit: set, want: []any{oursEntry}, wantChanged: true},
		{name: "empty list/add", mapRoles: ptr("[]\n"), edit: set, want: []any{oursEntry}, wantChanged: true, wantJSON: true},
		{
			name: "only comments/add", mapRoles: ptr("# filled by the node groups\n"), edit: set,
			want: []any{oursEntry}, wantChanged: true, wantText: []string{"# filled by the node groups\n"},
		},
		{
			name: "comments/add", mapRoles: ptr(commentedShape), edit: set, wantChanged: true,
			want:     []any{with(entry(adminARN, "platform-admin", "system:masters"), "x-owner", "platform"), oursEntry},
			wantText: []string{"# managed by the platform team; do not edit by hand", "# SSO admins", "# field aws-iam-authenticator ignores"},
		},
		{name: "ours same/add is a no-op", mapRoles: ptr(oursSame), edit: set, want: []any{fargateEntry, oursEntry}},
		{name: "ours same/remove", mapRoles: ptr(oursSame), edit: remove, want: []any{fargateEntry}, wantChanged: true},
		{
			name: "ours different/replaced in place", mapRoles: ptr(oursDifferent), edit: set, wantChanged: true,
			want: []any{oursEntry, fargateEntry},
		},
		{
			name: "ours different/other username", mapRoles: ptr(oursSame), wantChanged: true,
			edit: func(a *AuthMap) error {
				return a.SetRole(RoleMapping{RoleARN: oursARN, Username: "concurrent", Groups: []string{"system:masters", "ops"}})
			},
			want: []any{fargateEntry, entry(oursARN, "concurrent", "system:masters", "ops")},
		},
		{
			name: "duplicates of ours/collapsed at the first", mapRoles: ptr(oursDuplicated), edit: set, wantChanged: true,
			want: []any{oursEntry, nodeEntry},
		},
		{name: "duplicates of ours/removed", mapRoles: ptr(oursDuplicated), edit: remove, want: []any{nodeEntry}, wantChanged: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := dataWith(tt.mapRoles)
			a, err := NewAuthMap(in)
			if err != nil {
				t.Fatalf("NewAuthMap: %v", err)
			}
			if err := tt.edit(a); err != nil {
				t.Fatalf("edit: %v", err)
			}
			if a.Changed() != tt.wantChanged {
				t.Errorf("Changed() = %v, want %v", a.Changed(), tt.wantChanged)
			}
			out, err := a.Data()
			if err != nil {
				t.Fatalf("Data: %v", err)
			}
			for k, v := range otherKeys {
				if out[k] != v {
					t.Errorf("data[%q] = %q, want it untouched %q", k, out[k], v)
				}
			}
			if len(out) != len(in) && !(tt.mapRoles == nil && tt.wantChanged && len(out) == len(in)+1) {
				t.Errorf("data keys = %d, want %d", len(out), len(in))
			}
			if !tt.wantChanged {
				// Nothing to write: the value is exactly what was read.
				if v, ok := out[MapRolesKey]; tt.mapRoles == nil && ok || tt.mapRoles != nil && v != *tt.mapRoles {
					t.Errorf("mapRoles rewritten without a change: %q", v)
				}
			}
			got := decodeList(t, out[MapRolesKey])
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("mapRoles =\n%#v\nwant\n%#v\nrendered:\n%s", got, tt.want, out[MapRolesKey])
			}
			if tt.mapRoles != nil {
				assertForeignKept(t, *tt.mapRoles, out[MapRolesKey], oursARN)
			}
			if tt.wantJSON {
				var v []any
				if err := json.Unmarshal([]byte(out[MapRolesKey]), &v); err != nil {
					t.Errorf("rendered JSON mapRoles is no longer JSON: %v\n%s", err, out[MapRolesKey])
				}
			}
			for _, s := range tt.wantText {
				if !contains(out[MapRolesKey], s) {
					t.Errorf("rendered mapRoles lost %q:\n%s", s, out[MapRolesKey])
				}
			}
		})
	}
}

// decodeList decodes a mapRoles value into plain values.
func decodeList(t *testing.T, s string) []any {
	t.Helper()
	var v []any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("rendered mapRoles does not parse: %v\n%s", err, s)
	}
	return v
}

// foreign returns the entries whose rolearn is not rolearn.
func foreign(t testing.TB, s, rolearn string) []*yaml.Node {
	t.Helper()
	m, err := ParseMapRoles(s)
	if err != nil {
		t.Fatalf("ParseMapRoles: %v\n%s", err, s)
	}
	var out []*yaml.Node
	for _, item := range m.items() {
		if roleARNOf(item) != rolearn {
			out = append(out, item)
		}
	}
	return out
}

// assertForeignKept checks that every entry not for rolearn is in after, with
// the same content, in the same order.
func assertForeignKept(t testing.TB, before, after, rolearn string) {
	t.Helper()
	b, a := foreign(t, before, rolearn), foreign(t, after, rolearn)
	if !sameEntries(b, a) {
		t.Fatalf("foreign entries changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestAuthMapFind(t *testing.T) {
	tests := []struct {
		name      string
		mapRoles  string
		wantFound bool
		want      RoleMapping
		wantHas   bool
	}{
		{name: "absent", mapRoles: consoleShape},
		{name: "same", mapRoles: oursSame, wantFound: true, want: ours, wantHas: true},
		{
			name: "different", mapRoles: oursDifferent, wantFound: true,
			want: RoleMapping{RoleARN: oursARN, Username: oursARN, Groups: []string{"system:masters", "extra"}},
		},
		{
			name: "duplicated: the first as found, never equal", mapRoles: oursDuplicated, wantFound: true,
			want: RoleMapping{RoleARN: oursARN, Username: oursARN, Groups: []string{"system:masters"}},
		},
		{
			name: "same content with an extra field is not equal", wantFound: true, want: ours,
			mapRoles: "- rolearn: " + oursARN + "\n  username: system-manager\n  groups: [system:masters]\n  note: x\n",
		},
		{
			name: "json", wantFound: true, want: ours, wantHas: true,
			mapRoles: `[{"groups":["system:masters"],"rolearn":"` + oursARN + `","username":"system-manager"}]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewAuthMap(map[string]string{MapRolesKey: tt.mapRoles})
			if err != nil {
				t.Fatal(err)
			}
			got, found, err := a.Role(oursARN)
			if err != nil || found != tt.wantFound || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Role = %#v, %v, %v; want %#v, %v", got, found, err, tt.want, tt.wantFound)
			}
			if has := a.HasRole(ours); has != tt.wantHas {
				t.Errorf("HasRole = %v, want %v", has, tt.wantHas)
			}
		})
	}
}

func TestAuthMapErrors(t *testing.T) {
	tests := []struct {
		name     string
		mapRoles string
		edit     func(*AuthMap) error
		wantErr  string
	}{
		{name: "not YAML", mapRoles: "- rolearn: [unclosed\n", wantErr: "mapRoles: cannot parse as YAML or JSON"},
		{name: "broken JSON", mapRoles: `[{"rolearn": "a",}`, wantErr: "mapRoles: cannot parse as YAML or JSON"},
		{name: "a mapping", mapRoles: "rolearn: " + oursARN + "\n", wantErr: "mapRoles: must be a list of role mappings, found a mapping"},
		{name: "a scalar", mapRoles: "hello\n", wantErr: "mapRoles: must be a list of role mappings, found a scalar !!str"},
		{name: "two documents", mapRoles: "- rolearn: a\n---\n- rolearn: b\n", wantErr: "mapRoles: holds more than one YAML document"},
		{name: "duplicate key", mapRoles: "- rolearn: a\n  rolearn: b\n", wantErr: "mapRoles: cannot parse"},
		{
			name: "ARN with a path", mapRoles: "", wantErr: "carries an IAM path",
			edit: func(a *AuthMap) error {
				return a.SetRole(RoleMapping{RoleARN: "arn:aws:iam::111122223333:role/team/concurrent-access", Username: "u"})
			},
		},
		{
			name: "our entry holds an anchor others use", wantErr: "defines the YAML anchor &g",
			mapRoles: "- rolearn: " + oursARN + "\n  username: u\n  groups: &g [system:masters]\n" +
				"- rolearn: " + adminARN + "\n  username: admin\n  groups: *g\n",
			edit: func(a *AuthMap) error { return a.RemoveRole(oursARN) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := NewAuthMap(map[string]string{MapRolesKey: tt.mapRoles})
			if err == nil {
				edit := tt.edit
				if edit == nil {
					edit = func(a *AuthMap) error { return a.SetRole(ours) }
				}
				err = edit(a)
			}
			if err == nil || !contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want containing %q", err, tt.wantErr)
			}
		})
	}
}

// Rendering the same edit twice gives the same bytes, and adding again is a
// no-op: a second apply writes nothing.
func TestAuthMapSecondAddIsNoOp(t *testing.T) {
	for _, s := range []string{eksctlShape, terraformShape, consoleShape, jsonShape, commentedShape, oursDifferent, oursDuplicated, ""} {
		a, _ := NewAuthMap(map[string]string{MapRolesKey: s})
		if err := a.SetRole(ours); err != nil {
			t.Fatal(err)
		}
		first, err := a.Data()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewAuthMap(first)
		if err := b.SetRole(ours); err != nil {
			t.Fatal(err)
		}
		second, _ := b.Data()
		if b.Changed() || second[MapRolesKey] != first[MapRolesKey] {
			t.Errorf("second add changed mapRoles:\n%s\n->\n%s", first[MapRolesKey], second[MapRolesKey])
		}
	}
}
