//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8s "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"
)

const (
	writers         = 4   // K
	maxWriterCycles = 400 // per writer; each cycle adds one entry and removes it or keeps it
)

// writer is another tool editing aws-auth while the engine runs: it re-renders the whole
// mapRoles (as eksctl does) and retries its own conflicts.
type writer struct {
	c         k8s.Interface
	id        int
	cycles    int
	conflicts int
	kept      []entry
}

func (w *writer) edit(t *testing.T, fn func([]entry) []entry) {
	for {
		cm, err := w.c.CoreV1().ConfigMaps("kube-system").Get(t.Context(), "aws-auth", metav1.GetOptions{})
		if err != nil {
			t.Errorf("writer %d: %v", w.id, err)
			return
		}
		var roles []entry
		if err := yaml.Unmarshal([]byte(cm.Data["mapRoles"]), &roles); err != nil {
			t.Errorf("writer %d: %v", w.id, err)
			return
		}
		b, err := yaml.Marshal(fn(roles))
		if err != nil {
			t.Errorf("writer %d: %v", w.id, err)
			return
		}
		cm.Data["mapRoles"] = string(b)
		_, err = w.c.CoreV1().ConfigMaps("kube-system").Update(t.Context(), cm, metav1.UpdateOptions{})
		if apierrors.IsConflict(err) {
			w.conflicts++
			continue
		}
		if err != nil {
			t.Errorf("writer %d: %v", w.id, err)
		}
		return
	}
}

// run adds an entry per cycle and removes two of three again, until stop or the bound.
func (w *writer) run(t *testing.T, stop <-chan struct{}) {
	for i := 0; i < maxWriterCycles; i++ {
		select {
		case <-stop:
			return
		default:
		}
		e := entry{"rolearn": fmt.Sprintf("arn:aws:iam::111122223333:role/e2e-writer-%d-%d", w.id, i),
			"username": "writer", "groups": []any{"system:nodes"}}
		w.edit(t, func(r []entry) []entry { return append(r, e) })
		if i%3 == 0 {
			w.kept = append(w.kept, e)
		} else {
			w.edit(t, func(r []entry) []entry {
				var out []entry
				for _, x := range r {
					if x["rolearn"] != e["rolearn"] {
						out = append(out, x)
					}
				}
				return out
			})
		}
		w.cycles++
	}
}

// fastClient is a client of its own without client-go's default rate limit (5 requests/s),
// so a writer is as fast as the API server lets it be.
func fastClient(t *testing.T) k8s.Interface {
	t.Helper()
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kubeconfig))
	require.NoError(t, err)
	cfg.QPS, cfg.Burst = 1000, 1000
	c, err := k8s.NewForConfig(cfg)
	require.NoError(t, err)
	return c
}

// retriedRe matches our resource's report in the output's Diagnostics section (the progress
// lines repeat it).
var retriedRe = regexp.MustCompile(`(?m)^\s+kube-system/aws-auth: retried (\d+) time`)

func retriedIn(out string) int {
	n := 0
	for _, m := range retriedRe.FindAllStringSubmatch(out, -1) {
		k, _ := strconv.Atoi(m[1])
		n += k
	}
	return n
}

// K writers add and remove their own entries while our resource is created, updated and
// deleted through the engine: every writer's entries end exactly as it left them, ours as
// the engine left them (gone), the seed untouched.
func TestAwsAuthConcurrentWriters(t *testing.T) {
	c := kube(t)
	setAwsAuth(t, c, map[string]string{"mapRoles": seedRoles})
	t.Cleanup(func() { setAwsAuth(t, c, nil) })
	kc, username := kubeconfig, "system-manager"
	stack := typedMappingStack(t, "e2e-aws-auth-writers", nil, &kc, &username)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	ws := make([]*writer, writers)
	for i := range ws {
		ws[i] = &writer{c: fastClient(t), id: i}
		wg.Add(1)
		go func() { defer wg.Done(); ws[i].run(t, stop) }()
	}
	stopped := false
	stopWriters := func() {
		if !stopped {
			stopped = true
			close(stop)
			wg.Wait()
		}
	}
	t.Cleanup(stopWriters)

	start := time.Now()
	res := up(t, stack)
	ourRetries := retriedIn(res.StdOut)
	assert.Contains(t, parseRoles(t, getAwsAuth(t, c).Data["mapRoles"]), ours("system-manager"))
	username = "concurrent-admin"
	res = up(t, stack)
	ourRetries += retriedIn(res.StdOut)
	got := parseRoles(t, getAwsAuth(t, c).Data["mapRoles"])
	assert.Contains(t, got, ours("concurrent-admin"))
	assert.NotContains(t, got, ours("system-manager"))
	dres, err := stack.Destroy(t.Context())
	require.NoError(t, err)
	ourRetries += retriedIn(dres.StdOut)
	stopWriters()

	got = parseRoles(t, getAwsAuth(t, c).Data["mapRoles"])
	seed := seedEntries(t)
	require.GreaterOrEqual(t, len(got), len(seed))
	assert.Equal(t, seed, got[:len(seed)], "the seed entries, in order")
	var kept []entry
	cycles, conflicts := 0, 0
	for _, w := range ws {
		kept = append(kept, w.kept...)
		cycles += w.cycles
		conflicts += w.conflicts
	}
	assert.ElementsMatch(t, kept, got[len(seed):], "every writer's entries as it left them, none of ours")
	t.Logf("concurrent writers: K=%d, %d cycles (%d writes), %d writer conflicts retried, %d conflicts retried by "+
		"AwsAuthRoleMapping, engine create+update+delete in %s", writers, cycles, cycles+cycles*2/3, conflicts,
		ourRetries, time.Since(start).Round(time.Second))
}
