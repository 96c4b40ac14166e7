package setup_test

import (
	"fmt"
	"testing"
)

// BenchmarkConstruct measures one construct of the default setup (node groups, one
// namespace) through the in-process integration server, as `pulumi preview` pays it.
func BenchmarkConstruct(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		b.Run(fmt.Sprintf("nodeGroups/namespaces=%d", n), func(b *testing.B) {
			benchConstruct(b, with(map[string]any{"namespaces": benchNamespaces(n)}))
		})
	}
	for _, n := range []int{1, 10, 25} {
		b.Run(fmt.Sprintf("fargate/namespaces=%d", n), func(b *testing.B) {
			benchConstruct(b, with(map[string]any{
				"namespaces":  benchNamespaces(n),
				"computeType": "fargate",
				"fargate":     map[string]any{"subnetIds": []string{"subnet-0private1", "subnet-0private2"}},
			}))
		})
	}
}

func benchConstruct(b *testing.B, inputs map[string]any) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := construct(b, inputs); err != nil {
			b.Fatal(err)
		}
	}
}

func benchNamespaces(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"name": fmt.Sprintf("team-%03d", i)}
	}
	return out
}
