// Command critpath reads the offline plan of a ConcurrentEksSetup (the JSON of
// `pulumi-resource-concurrent plan --output json`: every registration the component made
// under internal/fakeaws, with its parent, dependencies and provider) and prints
// how long `pulumi up` would take to create it all, and the chain of resources that sets
// that time, with each resource weighted by how long AWS or Kubernetes typically takes to
// create one of its type (the table below; docs/performance.md gives the sources).
//
//	pulumi-resource-concurrent plan -f setup.yaml --output json | go run ./bench/critpath
//
// The model is the engine's: a resource starts when its dependencies, its parent and its
// provider are done (a component is done as soon as it is registered; depending on a
// component waits for everything under it), every resource that is ready runs at once,
// except what EKS serializes: one Fargate profile at a time per cluster, in the order they
// became ready (the AWS provider holds a lock per cluster around create and delete).
package main

import (
	"container/heap"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

// typical is how long creating one resource of a type takes, typically. Types missing here
// count as defaultDuration and are listed in the output.
var typical = map[string]time.Duration{
	"random:index/randomPassword:RandomPassword":                 0,
	"pulumi:providers:kubernetes":                                0,
	"aws:iam/role:Role":                                          3 * time.Second,
	"aws:iam/rolePolicy:RolePolicy":                              2 * time.Second,
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":          2 * time.Second,
	"aws:eks/accessEntry:AccessEntry":                            3 * time.Second,
	"aws:eks/accessPolicyAssociation:AccessPolicyAssociation":    3 * time.Second,
	"concurrent:index:AwsAuthRoleMapping":                        1 * time.Second,
	"aws:eks/nodeGroup:NodeGroup":                                4 * time.Minute,
	"aws:eks/fargateProfile:FargateProfile":                      3 * time.Minute,
	"aws:ec2/eip:Eip":                                            2 * time.Second,
	"aws:ec2/natGateway:NatGateway":                              90 * time.Second,
	"aws:ec2/securityGroup:SecurityGroup":                        3 * time.Second,
	"aws:ec2/instance:Instance":                                  45 * time.Second,
	"aws:ec2/subnet:Subnet":                                      3 * time.Second,
	"aws:ec2/routeTable:RouteTable":                              2 * time.Second,
	"aws:ec2/route:Route":                                        2 * time.Second,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":        1 * time.Second,
	"kubernetes:core/v1:Namespace":                               1 * time.Second,
	"kubernetes:core/v1:ServiceAccount":                          500 * time.Millisecond,
	"kubernetes:rbac.authorization.k8s.io/v1:ClusterRole":        500 * time.Millisecond,
	"kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": 500 * time.Millisecond,
	"kubernetes:rbac.authorization.k8s.io/v1:Role":               500 * time.Millisecond,
	"kubernetes:rbac.authorization.k8s.io/v1:RoleBinding":        500 * time.Millisecond,
}

const defaultDuration = 2 * time.Second

// serialized types run one at a time (per cluster: a setup has one).
var serialized = map[string]bool{"aws:eks/fargateProfile:FargateProfile": true}

type resource struct {
	Type      string   `json:"type"`
	Name      string   `json:"name"`
	URN       string   `json:"urn"`
	Parent    string   `json:"parent"`
	DependsOn []string `json:"dependsOn"`
	Provider  string   `json:"provider"`
}

type node struct {
	resource
	component     bool
	dur           time.Duration
	waits         []*node // what must be done first
	next          []*node
	pending       int
	ready, finish time.Duration
	// why is the node whose end let this one start (a dependency, or the previous holder
	// of a serialized type's turn).
	why *node
	// queued: started later than ready because another of its serialized type ran.
	queued time.Duration
}

func main() {
	file := flag.String("f", "-", "the plan JSON (- for stdin)")
	flag.Parse()
	in := io.Reader(os.Stdin)
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		in = f
	}
	var plan struct {
		Resources []resource `json:"resources"`
	}
	if err := json.NewDecoder(in).Decode(&plan); err != nil {
		fail(fmt.Errorf("reading the plan: %w", err))
	}
	nodes, unknown, err := graph(plan.Resources)
	if err != nil {
		fail(err)
	}
	end := schedule(nodes)
	report(os.Stdout, nodes, end, unknown)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "critpath: %v\n", err)
	os.Exit(1)
}

// graph links each registration to what it waits for.
func graph(rs []resource) ([]*node, []string, error) {
	byURN := map[string]*node{}
	var nodes []*node
	var unknown []string
	for _, r := range rs {
		n := &node{resource: r}
		n.component = !strings.HasPrefix(r.Type, "pulumi:providers:") && isComponent(r.Type)
		if d, ok := typical[r.Type]; ok {
			n.dur = d
		} else if !n.component {
			n.dur = defaultDuration
			if !slices.Contains(unknown, r.Type) {
				unknown = append(unknown, r.Type)
			}
		}
		byURN[r.URN] = n
		nodes = append(nodes, n)
	}
	children := map[*node][]*node{}
	for _, n := range nodes {
		if p := byURN[n.Parent]; p != nil {
			children[p] = append(children[p], n)
		}
	}
	// descendants: what waiting on a component waits for.
	var descendants func(*node) []*node
	descendants = func(c *node) []*node {
		var out []*node
		for _, ch := range children[c] {
			out = append(out, ch)
			out = append(out, descendants(ch)...)
		}
		return out
	}
	for _, n := range nodes {
		seen := map[*node]bool{}
		add := func(w *node) {
			if w != nil && w != n && !seen[w] {
				seen[w] = true
				n.waits = append(n.waits, w)
			}
		}
		add(byURN[n.Parent])
		add(byURN[n.Provider])
		for _, d := range n.DependsOn {
			w := byURN[d]
			if w == nil {
				continue // outside the component (e.g. the cluster a program built)
			}
			add(w)
			if w.component {
				for _, x := range descendants(w) {
					add(x)
				}
			}
		}
		for _, w := range n.waits {
			w.next = append(w.next, n)
		}
		n.pending = len(n.waits)
	}
	return nodes, unknown, nil
}

// isComponent: a component's type is <package>:index:<Name> of a package that serves
// components (ours), as opposed to a custom resource of a cloud provider.
func isComponent(typ string) bool {
	switch typ {
	case "concurrent:index:ConcurrentEksSetup", "concurrent:index:ConcurrentNamespace":
		return true
	}
	return false
}

// schedule runs the deploy in simulated time and returns the node that finishes last.
func schedule(nodes []*node) *node {
	q := &readyQueue{}
	for _, n := range nodes {
		if n.pending == 0 {
			heap.Push(q, n)
		}
	}
	var turnFree time.Duration
	var turnHolder *node
	var last *node
	done := 0
	for q.Len() > 0 {
		n := heap.Pop(q).(*node)
		start := n.ready
		if serialized[n.Type] {
			if turnFree > start {
				n.queued = turnFree - start
				start = turnFree
				n.why = turnHolder
			}
			turnFree, turnHolder = start+n.dur, n
		}
		n.finish = start + n.dur
		done++
		if last == nil || n.finish > last.finish {
			last = n
		}
		for _, m := range n.next {
			if n.finish >= m.ready {
				m.ready, m.why = n.finish, n
			}
			m.pending--
			if m.pending == 0 {
				heap.Push(q, m)
			}
		}
	}
	if done != len(nodes) {
		fail(fmt.Errorf("dependency cycle: %d of %d resources never became ready", len(nodes)-done, len(nodes)))
	}
	return last
}

type readyQueue []*node

func (q readyQueue) Len() int { return len(q) }
func (q readyQueue) Less(i, j int) bool {
	if q[i].ready != q[j].ready {
		return q[i].ready < q[j].ready
	}
	return q[i].URN < q[j].URN
}
func (q readyQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *readyQueue) Push(x any)   { *q = append(*q, x.(*node)) }
func (q *readyQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}

func report(w io.Writer, nodes []*node, end *node, unknown []string) {
	var chain []*node
	for n := end; n != nil; n = n.why {
		chain = append(chain, n)
	}
	slices.Reverse(chain)
	counts := map[string]int{}
	for _, n := range nodes {
		counts[n.Type]++
	}
	fmt.Fprintf(w, "resources: %d (node groups %d, Fargate profiles %d)\n", len(nodes),
		counts["aws:eks/nodeGroup:NodeGroup"], counts["aws:eks/fargateProfile:FargateProfile"])
	var sum time.Duration
	for _, n := range nodes {
		sum += n.dur
	}
	fmt.Fprintf(w, "critical path: %s (%d resources; one after another they would take %s)\n",
		clock(end.finish), len(chain)-countComponents(chain), clock(sum))
	for _, n := range chain {
		if n.component || n.dur == 0 && n.queued == 0 {
			continue
		}
		how := ""
		if n.queued > 0 {
			how = "  (waited its turn: EKS allows one Fargate profile operation at a time)"
		}
		fmt.Fprintf(w, "  %8s  +%-7s %s %s%s\n", clock(n.finish), clock(n.dur), short(n.Type), n.Name, how)
	}
	if len(unknown) > 0 {
		fmt.Fprintf(w, "no typical duration for %s: counted as %s each\n", strings.Join(unknown, ", "), clock(defaultDuration))
	}
}

func countComponents(ns []*node) int {
	c := 0
	for _, n := range ns {
		if n.component {
			c++
		}
	}
	return c
}

func short(typ string) string {
	if i := strings.LastIndex(typ, ":"); i >= 0 {
		return typ[i+1:]
	}
	return typ
}

func clock(d time.Duration) string {
	d = d.Round(100 * time.Millisecond)
	if d >= time.Minute {
		return fmt.Sprintf("%dm%02.0fs", int(d.Minutes()), (d % time.Minute).Seconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}
