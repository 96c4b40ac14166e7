package plan

import (
	"encoding/json"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// rolePurposes are the component's role outputs, in the order the plan lists the roles:
// the role Concurrent assumes first, then the node and pod execution roles.
var rolePurposes = []struct{ output, purpose string }{
	{"roleArn", "assumed by Concurrent (external ID required)"},
	{"nodeRoleArn", "node role of the managed node groups"},
	{"podExecutionRoleArn", "Fargate pod execution role"},
}

// roles lists the created roles with their documents and attachments, then the roles the
// user brought (an output ARN that no created role has).
func (b *builder) roles(ordered []fakeaws.Resource) []Role {
	out := []Role{}
	created := map[string]bool{}
	for _, r := range ordered {
		if r.Type == typeRole {
			created[str(r.State, "arn")] = true
			out = append(out, b.createdRole(r, ordered))
		}
	}
	for _, p := range rolePurposes {
		arn := str(b.run.Outputs, p.output)
		if arn != "" && !created[arn] {
			out = append(out, Role{Purpose: p.purpose, Existing: true, Arn: b.red.str(arn)})
		}
	}
	rank := func(r Role) int {
		for i, p := range rolePurposes {
			if r.Purpose == p.purpose {
				return i
			}
		}
		return len(rolePurposes)
	}
	slices.SortStableFunc(out, func(a, b Role) int { return rank(a) - rank(b) })
	return out
}

// purposeOf says what a created role is for, from the output that carries its ARN.
func (b *builder) purposeOf(arn string) string {
	for _, p := range rolePurposes {
		if str(b.run.Outputs, p.output) == arn {
			return p.purpose
		}
	}
	return "role"
}

// createdRole is one aws:iam/role:Role with its inline policies and managed policy
// attachments (those whose `role` input is its physical name).
func (b *builder) createdRole(r fakeaws.Resource, ordered []fakeaws.Resource) Role {
	b.done[r.URN] = true
	arn, physical := str(r.State, "arn"), str(r.State, "name")
	role := Role{
		Resource: r.Name, Purpose: b.purposeOf(arn),
		Name: b.red.str(physical), Path: valueOr(str(r.Inputs, "path"), "/"),
		Arn: b.red.str(arn), Description: b.red.str(str(r.Inputs, "description")),
		PermissionsBoundary: b.red.str(str(r.Inputs, "permissionsBoundary")),
		TrustPolicy:         b.document(r.Inputs, "assumeRolePolicy"),
	}
	if t, ok := b.red.plain(r.Inputs.Get("tags")).(map[string]any); ok {
		role.Tags = t
	}
	for _, p := range ordered {
		if str(p.Inputs, "role") != physical {
			continue
		}
		switch p.Type {
		case typeRolePolicy:
			b.done[p.URN] = true
			role.InlinePolicies = append(role.InlinePolicies, InlinePolicy{
				Resource: p.Name, Name: b.red.str(str(p.Inputs, "name")), Document: b.document(p.Inputs, "policy"),
			})
		case typeAttachment:
			b.done[p.URN] = true
			role.ManagedPolicies = append(role.ManagedPolicies, ManagedPolicy{
				Resource: p.Name, PolicyArn: b.red.str(str(p.Inputs, "policyArn")),
			})
		}
	}
	return role
}

// document is an IAM policy input, shown whole (even when secret, as a trust policy with
// the external ID is) with the secret values in it redacted.
func (b *builder) document(m property.Map, key string) json.RawMessage {
	v, ok := m.GetOk(key)
	if !ok || !v.IsString() {
		return nil
	}
	doc := b.red.str(v.AsString())
	if !json.Valid([]byte(doc)) {
		raw, _ := json.Marshal(doc)
		return raw
	}
	return json.RawMessage(doc)
}
