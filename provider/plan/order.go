package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/concurrent-ai/pulumi-concurrent/internal/fakeaws"
)

// providerURN is the URN part of a provider reference (`<urn>::<id>`).
func providerURN(ref string) resource.URN {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return resource.URN(ref[:i])
	}
	return ""
}

// creationOrder sorts the registrations in an order the engine could create them: a
// resource after its parent, its dependencies and its provider. Among the resources ready
// at each step, the smallest URN goes first, so the order is deterministic.
func creationOrder(rs []fakeaws.Resource) ([]fakeaws.Resource, error) {
	byURN := map[resource.URN]fakeaws.Resource{}
	for _, r := range rs {
		byURN[r.URN] = r
	}
	waits := map[resource.URN]map[resource.URN]bool{}
	for _, r := range rs {
		w := map[resource.URN]bool{}
		for _, d := range append(slices.Clone(r.Dependencies), r.Parent, providerURN(r.Provider)) {
			if _, ok := byURN[d]; ok && d != r.URN {
				w[d] = true
			}
		}
		waits[r.URN] = w
	}
	var out []fakeaws.Resource
	for len(waits) > 0 {
		var ready []resource.URN
		for u, w := range waits {
			if len(w) == 0 {
				ready = append(ready, u)
			}
		}
		if len(ready) == 0 {
			return nil, fmt.Errorf("the registrations have a dependency cycle")
		}
		next := slices.Min(ready)
		out = append(out, byURN[next])
		delete(waits, next)
		for _, w := range waits {
			delete(w, next)
		}
	}
	return out, nil
}
