package setup_test

import (
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkConstruct measures one construct of the setup (node groups or Fargate, with n
// namespaces) through the in-process integration server, as `pulumi preview` pays it: time
// and allocations per op, and the process's CPU time per op (cpu-ms/op: user + system, every
// goroutine, the mock engine's side included), which unlike wall time does not grow when other
// work loads the machine. `make bench` runs it; docs/performance.md records the figures.
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
	cpu0 := cpuTime(b)
	for b.Loop() {
		if _, err := construct(b, inputs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the user + system time this process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchNamespaces(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = map[string]any{"name": fmt.Sprintf("team-%03d", i)}
	}
	return out
}
