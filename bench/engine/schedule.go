package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

// delays at the aws stand-in, per type: long enough that what the engine runs in parallel
// shows as overlapping calls in the log.
var delays = map[string]string{
	"aws:iam/role:Role": "300ms",
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": "500ms",
	"aws:eks/nodeGroup:NodeGroup":                       "2s",
	"aws:eks/fargateProfile:FargateProfile":             "1s",
}

const (
	nodeGroupType  = "aws:eks/nodeGroup:NodeGroup"
	profileType    = "aws:eks/fargateProfile:FargateProfile"
	attachmentType = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

// schedule runs one up of a node-group setup and one of a Fargate setup (on the demo
// cluster's private subnets) and prints, from the call log, when each Create ran.
func schedule(ctx context.Context, tmp string) error {
	fmt.Printf("stand-in delays: %v\nload average: %s\n", delays, loadavg())
	for _, compute := range []string{"nodeGroups", "fargate"} {
		dir := filepath.Join(tmp, compute)
		env, cl, err := account(mkdir(dir), delays)
		if err != nil {
			return err
		}
		in := demo(cl.Name, compute, *namespaces)
		if compute == "fargate" {
			in.subnets = cl.SubnetIDs[:2]
		}
		st, err := newStack(ctx, dir, "bench-"+compute, env, componentProgram(in))
		if err != nil {
			return err
		}
		start := time.Now()
		if _, err := st.Up(ctx, optup.Parallel(*parallel)); err != nil {
			return fmt.Errorf("%s up: %w", compute, err)
		}
		wall := time.Since(start)
		log, err := calllog.Read(filepath.Join(dir, "calls.jsonl"))
		if _, err := st.Destroy(ctx, optdestroy.Parallel(*parallel)); err != nil {
			return fmt.Errorf("%s destroy: %w", compute, err)
		}
		if err != nil {
			return err
		}
		fmt.Printf("\n-- %s, %d namespaces: pulumi up %s\n", compute, *namespaces, ms(wall))
		report(creates(log))
	}
	return nil
}

func mkdir(d string) string {
	if err := os.MkdirAll(d, 0o700); err != nil {
		panic(err)
	}
	return d
}

type span struct {
	name, typ  string
	start, end float64 // ms from the first Create
}

// creates are the update's Create calls at the aws stand-in, by start time.
func creates(log []calllog.Call) []span {
	var out []span
	var t0 time.Time
	for _, c := range log {
		if c.Method != "Create" || c.DryRun || c.Plugin == "awscli" || !strings.HasPrefix(c.Type, "aws:") {
			continue
		}
		if t0.IsZero() || c.Time.Before(t0) {
			t0 = c.Time
		}
	}
	for _, c := range log {
		if c.Method != "Create" || c.DryRun || !strings.HasPrefix(c.Type, "aws:") {
			continue
		}
		s := float64(c.Time.Sub(t0).Microseconds()) / 1000
		out = append(out, span{c.URN[strings.LastIndex(c.URN, "::")+2:], c.Type, s, s + c.Ms})
	}
	slices.SortFunc(out, func(a, b span) int { return int(a.start - b.start) })
	return out
}

func report(spans []span) {
	for _, s := range spans {
		fmt.Printf("  %8.0f ms %8.0f ms  %-52s %s\n", s.start, s.end, s.typ, s.name)
	}
	var groups, profiles []span
	var podPolicy *span
	for i, s := range spans {
		switch {
		case s.typ == nodeGroupType:
			groups = append(groups, s)
		case s.typ == profileType:
			profiles = append(profiles, s)
		case s.typ == attachmentType && strings.Contains(s.name, "pod-execution"):
			podPolicy = &spans[i]
		}
	}
	if len(groups) > 1 {
		fmt.Printf("  node groups in parallel: %d groups, %d overlapping at most\n", len(groups), maxOverlap(groups))
	}
	if len(profiles) > 0 && podPolicy != nil {
		after := 0
		for _, p := range profiles {
			if p.start >= podPolicy.end {
				after++
			}
		}
		fmt.Printf("  profiles after the pod execution role's policy (ends %.0f ms): %d of %d\n", podPolicy.end, after, len(profiles))
	}
}

// maxOverlap is the most spans running at one moment.
func maxOverlap(spans []span) int {
	best := 0
	for _, a := range spans {
		n := 0
		for _, b := range spans {
			if b.start <= a.start && a.start < b.end {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}
