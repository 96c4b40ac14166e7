package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// redactor turns recorded values into what the plan shows: secrets as [secret], the fake
// random suffix of auto-named resources as -<auto>, and fake ids of created resources as
// `<id of Kind/name>`.
type redactor struct {
	secrets []string
	names   *strings.Replacer
	ids     map[string]string
}

func newRedactor(run *fakeaws.Run, s *Setup) *redactor {
	r := &redactor{ids: map[string]string{}}
	var pairs []string
	for _, res := range run.Resources {
		// Values of additional secret outputs (the generated external ID) are never shown.
		for _, k := range res.SecretOutputs {
			if v := str(res.State, k); v != "" {
				r.secrets = append(r.secrets, v)
			}
		}
		if !res.Custom {
			continue
		}
		pairs = append(pairs, res.Name+fakeaws.AutoNameSuffix, res.Name+autoMark)
		if res.ID != "" && !strings.HasSuffix(res.ID, fakeaws.AutoNameSuffix) && res.ID != str(res.Inputs, "name") {
			r.ids[res.ID] = "<id of " + Ref(res.Type, res.Name) + ">"
		}
		// Other outputs only AWS knows (a NAT instance's network interface, an Elastic IP's
		// address), when an input uses them whole. ARNs and names stay: reviewers read them.
		for k, v := range res.State.AsMap() {
			_, isInput := res.Inputs.GetOk(k)
			if isInput || k == "arn" || k == "name" || slices.Contains(res.SecretOutputs, k) || !v.IsString() ||
				v.AsString() == "" || strings.Contains(v.AsString(), fakeaws.AutoNameSuffix) {
				continue
			}
			if _, taken := r.ids[v.AsString()]; !taken {
				r.ids[v.AsString()] = "<" + k + " of " + Ref(res.Type, res.Name) + ">"
			}
		}
	}
	if !s.UserExternalID {
		if v := str(run.Outputs, "externalId"); v != "" {
			r.secrets = append(r.secrets, v)
		}
	}
	r.names = strings.NewReplacer(pairs...)
	return r
}

func (r *redactor) str(s string) string {
	if id, ok := r.ids[s]; ok {
		return id
	}
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Secret)
	}
	return r.names.Replace(s)
}

// plain converts a value to plain Go values, secrets shown as [secret].
func (r *redactor) plain(v property.Value) any {
	switch {
	case v.Secret():
		return Secret
	case v.IsComputed():
		return "<unknown>"
	case v.IsNull():
		return nil
	case v.IsString():
		return r.str(v.AsString())
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsArray():
		out := []any{}
		for _, e := range v.AsArray().AsSlice() {
			out = append(out, r.plain(e))
		}
		return out
	case v.IsMap():
		out := map[string]any{}
		for k, e := range v.AsMap().AsMap() {
			out[k] = r.plain(e)
		}
		return out
	}
	return fmt.Sprintf("<%v>", v)
}

// Ref names a resource for a reader: the kind from its type token and its logical name
// (`Subnet/concurrent-private-1`); names alone repeat across types.
func Ref(token, name string) string {
	return token[strings.LastIndex(token, ":")+1:] + "/" + name
}

// refOf is Ref for a URN.
func refOf(urn string) string {
	u := resource.URN(urn)
	return Ref(string(u.Type()), u.Name())
}
