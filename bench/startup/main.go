// Command startup measures how long Pulumi resource plugins take to serve: from process
// start to the first line on stdout, which for a plugin is its gRPC port (the engine reads
// it to connect). Every plugin gets the address of a fake engine (a gRPC health server on
// 127.0.0.1) as its one argument, as the engine starts plugins. The plugins run in
// alternation, round after round in a rotating order, so load from other work on the
// machine falls on all of them alike and the ratios of medians stay meaningful.
//
//	go run ./bench/startup -runs 15 NAME=COMMAND [ARG...] ...
//
// Each NAME=COMMAND is one plugin (the command is split on spaces). The first is the
// subject; ratios are printed for every pair.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

type plugin struct {
	name  string
	argv  []string
	times []time.Duration // process start to the port on stdout
	cpu   []time.Duration // user + system time the process had used by then (it is killed at once)
}

func main() {
	runs := flag.Int("runs", 15, "measured starts per plugin (after one unmeasured warm-up start each)")
	timeout := flag.Duration("timeout", 60*time.Second, "give up on a start after this long")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: startup [-runs N] NAME=COMMAND [ARG...] ...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	var plugins []*plugin
	for _, a := range flag.Args() {
		name, command, ok := strings.Cut(a, "=")
		if !ok || name == "" || strings.TrimSpace(command) == "" {
			fmt.Fprintf(os.Stderr, "startup: %q is not NAME=COMMAND\n", a)
			os.Exit(2)
		}
		plugins = append(plugins, &plugin{name: name, argv: strings.Fields(command)})
	}
	if len(plugins) == 0 || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}

	engine, stop, err := fakeEngine()
	if err != nil {
		fmt.Fprintf(os.Stderr, "startup: %v\n", err)
		os.Exit(1)
	}
	defer stop()

	fmt.Printf("load average before: %s\n", loadavg())
	// Warm-up: one unmeasured start each, so the page cache holds every binary and script.
	for _, p := range plugins {
		if _, _, err := start(p.argv, engine, *timeout); err != nil {
			fmt.Fprintf(os.Stderr, "startup: %s: %v\n", p.name, err)
			os.Exit(1)
		}
	}
	for round := range *runs {
		for i := range plugins {
			p := plugins[(round+i)%len(plugins)]
			d, cpu, err := start(p.argv, engine, *timeout)
			if err != nil {
				fmt.Fprintf(os.Stderr, "startup: %s: %v\n", p.name, err)
				os.Exit(1)
			}
			p.times = append(p.times, d)
			p.cpu = append(p.cpu, cpu)
		}
	}
	fmt.Printf("load average after:  %s\n\n", loadavg())

	fmt.Printf("%-12s %5s %10s %10s %10s %12s\n", "plugin", "runs", "median", "min", "max", "median cpu")
	for _, p := range plugins {
		fmt.Printf("%-12s %5d %10s %10s %10s %12s\n", p.name, len(p.times),
			ms(median(p.times)), ms(slices.Min(p.times)), ms(slices.Max(p.times)), ms(median(p.cpu)))
	}
	fmt.Println()
	for i, a := range plugins {
		for _, b := range plugins[i+1:] {
			a, b := a, b
			if median(a.times) < median(b.times) {
				a, b = b, a
			}
			fmt.Printf("%s / %s = %.2fx (median time to port), %.2fx (min), %.2fx (median cpu)\n", a.name, b.name,
				ratio(median(a.times), median(b.times)), ratio(slices.Min(a.times), slices.Min(b.times)),
				ratio(median(a.cpu), median(b.cpu)))
		}
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// start runs argv with the engine's address and returns the time until it printed a port,
// and the CPU time the process had used when it was killed right after.
func start(argv []string, engine string, timeout time.Duration) (time.Duration, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], engine)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	d := time.Since(t0)
	_ = cmd.Process.Kill()
	_, _ = io.Copy(io.Discard, out)
	_ = cmd.Wait()
	if err != nil {
		return 0, 0, fmt.Errorf("no port on stdout (%v); stderr: %s", err, stderr.String())
	}
	if port, perr := strconv.Atoi(strings.TrimSpace(line)); perr != nil || port <= 0 {
		return 0, 0, errors.New("first stdout line is not a port: " + strconv.Quote(line))
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// fakeEngine serves the gRPC health service on a loopback port: the Go SDK checks the
// engine's health, and a plugin needs an engine address to start as the engine starts it.
func fakeEngine() (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	s := grpc.NewServer()
	healthpb.RegisterHealthServer(s, health.NewServer())
	go func() { _ = s.Serve(l) }()
	return l.Addr().String(), s.Stop, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
