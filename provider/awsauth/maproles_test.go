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

func TestAuthConfigMapEdits(t *testing.T) {
	t.Parallel()
	add := func(a *AuthConfigMap) error { return a.AddRole(ours) }
	remove := func(a *AuthConfigMap) error { _, err := a.RemoveOwnedRole(ours); return err }
	runbook := entry(oursARN, oursARN, "system:masters")
	tests := []struct {
		name        string
		mapRoles    *string // nil: key missing
		edit        func(*AuthConfigMap) error
		want        []any // decoded mapRoles after the edit
		wantChanged bool
		wantJSON    bool // the rendered value is still JSON
		wantText    []string
		wantPrefix  bool // the value read is kept byte for byte, ours appended
	}{
		{name: "eksctl/add", mapRoles: ptr(eksctlShape), edit: add, want: []any{nodeEntry, oursEntry}, wantChanged: true, wantPrefix: true},
		{name: "eksctl/remove absent", mapRoles: ptr(eksctlShape), edit: remove, want: []any{nodeEntry}},
		{
			name: "terraform/add", mapRoles: ptr(terraformShape), edit: add, want: []any{nodeEntry, adminEntry, oursEntry},
			wantChanged: true, wantPrefix: true,
		},
		{
			name: "console+fargate/add", mapRoles: ptr(consoleShape), edit: add, want: []any{winNodeEntry, fargateEntry, oursEntry},
			wantChanged: true, wantPrefix: true,
		},
		{
			name: "json/add", mapRoles: ptr(jsonShape), edit: add, wantChanged: true, wantJSON: true,
			want: []any{nodeEntry, with(adminEntry, "ttl", 3600), oursEntry},
		},
		{name: "empty string/add", mapRoles: ptr(""), edit: add, want: []any{oursEntry}, wantChanged: true},
		{name: "empty string/remove", mapRoles: ptr(""), edit: remove, want: nil},
		{name: "skippable ''/add", mapRoles: ptr("''"), edit: add, want: []any{oursEntry}, wantChanged: true},
		{name: "key missing/add", mapRoles: nil, edit: add, want: []any{oursEntry}, wantChanged: true},
		{name: "key missing/remove", mapRoles: nil, edit: remove, want: nil},
		{name: "null/add", mapRoles: ptr("null\n"), edit: add, want: []any{oursEntry}, wantChanged: true},
		{name: "empty list/add", mapRoles: ptr("[]\n"), edit: add, want: []any{oursEntry}, wantChanged: true, wantJSON: true},
		{
			name: "only comments/add", mapRoles: ptr("# filled by the node groups\n"), edit: add,
			want: []any{oursEntry}, wantChanged: true, wantText: []string{"# filled by the node groups\n"},
		},
		{
			name: "comments/add", mapRoles: ptr(commentedShape), edit: add, wantChanged: true, wantPrefix: true,
			want: []any{with(entry(adminARN, "platform-admin", "system:masters"), "x-owner", "platform"), oursEntry},
		},
		{
			name: "ours same/add appends our own copy", mapRoles: ptr(oursSame), edit: add, wantChanged: true, wantPrefix: true,
			want: []any{fargateEntry, oursEntry, oursEntry},
		},
		{name: "ours same/remove", mapRoles: ptr(oursSame), edit: remove, want: []any{fargateEntry}, wantChanged: true},
		{
			name: "the runbook's entry/add leaves it", mapRoles: ptr(oursDifferent), edit: add, wantChanged: true, wantPrefix: true,
			want: []any{entry(oursARN, oursARN, "system:masters", "extra"), fargateEntry, oursEntry},
		},
		{
			name: "the runbook's entry/remove leaves it", mapRoles: ptr(oursDifferent), edit: remove,
			want: []any{entry(oursARN, oursARN, "system:masters", "extra"), fargateEntry},
		},
		{
			name: "duplicates/remove takes only the equal one", mapRoles: ptr(oursDuplicated), edit: remove, wantChanged: true,
			want: []any{runbook, runbook, nodeEntry},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := dataWith(tt.mapRoles)
			a, err := NewAuthConfigMap(in)
			if err != nil {
				t.Fatalf("NewAuthConfigMap: %v", err)
			}
			if err := tt.edit(a); err != nil {
				t.Fatalf("edit: %v", err)
			}
			if a.Changed() != tt.wantChanged {
				t.Errorf("Changed() = %v, want %v", a.Changed(), tt.wantChanged)
			}
			out := a.Data()
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
			if tt.wantPrefix && !strings.HasPrefix(out[MapRolesKey], *tt.mapRoles) {
				t.Errorf("mapRoles rewritten, not appended to:\n%s", out[MapRolesKey])
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

// foreign returns the entries that are not for rolearn, as
// aws-iam-authenticator matches them.
func foreign(t testing.TB, s, rolearn string) []*yaml.Node {
	t.Helper()
	m := mustRoles(t, s)
	var out []*yaml.Node
	for _, item := range m.items() {
		if r, ok := decode(item); !ok || !SameRole(r.RoleARN, rolearn) {
			out = append(out, item)
		}
	}
	return out
}

func mustRoles(t testing.TB, s string) *MapRoles {
	t.Helper()
	m, err := ParseMapRoles(s)
	if err != nil {
		t.Fatalf("ParseMapRoles: %v\n%s", err, s)
	}
	return m
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

func TestForRoleAndInForce(t *testing.T) {
	t.Parallel()
	upper := "arn:aws:iam::111122223333:role/CONCURRENT-access"
	tests := []struct {
		name     string
		mapRoles string
		want     []Found
	}{
		{name: "absent", mapRoles: consoleShape},
		{name: "same", mapRoles: oursSame, want: []Found{{1, ours}}},
		{
			name: "duplicated: in order, the last in force", mapRoles: oursDuplicated,
			want: []Found{
				{0, RoleMapping{RoleARN: oursARN, Username: oursARN, Groups: []string{"system:masters"}}},
				{1, RoleMapping{RoleARN: oursARN, Username: oursARN, Groups: []string{"system:masters"}}},
				{3, ours},
			},
		},
		{
			name: "extra fields are ignored, as the authenticator does", want: []Found{{0, ours}},
			mapRoles: "- rolearn: " + oursARN + "\n  username: system-manager\n  groups: [system:masters]\n  note: x\n",
		},
		{
			name: "json", want: []Found{{0, ours}},
			mapRoles: `[{"groups":["system:masters"],"rolearn":"` + oursARN + `","username":"system-manager"}]`,
		},
		{
			name: "rolearn and keys in any case", mapRoles: "- ROLEARN: " + upper + "\n  Username: u\n  Groups: [g]\n",
			want: []Found{{0, RoleMapping{RoleARN: upper, Username: "u", Groups: []string{"g"}}}},
		},
		{
			name: "a path never matches", mapRoles: "- rolearn: arn:aws:iam::111122223333:role/p/concurrent-access\n  username: u\n",
		},
		{name: "no rolearn, or sso too", mapRoles: "- username: u\n- rolearn: " + oursARN + "\n  sso: {}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := mustRoles(t, tt.mapRoles)
			if got := m.ForRole(oursARN); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ForRole = %#v, want %#v", got, tt.want)
			}
			got, ok := m.InForce(oursARN)
			if ok != (len(tt.want) > 0) || ok && !reflect.DeepEqual(got, tt.want[len(tt.want)-1].RoleMapping) {
				t.Errorf("InForce = %#v, %v", got, ok)
			}
		})
	}
}
