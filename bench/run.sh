#!/usr/bin/env bash
# make bench: start-up of our plugin against an empty pulumi-go-provider plugin and the
# pulumi-eks Node provider, the component's construct cost (Go benchmarks), the plugin's
# peak memory for a 100-namespace construct, the deploy's critical path (simulated), and
# through the real engine (bench/engine: the Pulumi CLI, our plugin, the stand-ins, the
# Kubernetes plugin, a local API server): preview and up against an inline program without
# the component, the stand-ins' call log with per-type delays, and N namespaces against
# kubectl apply.
# docs/performance.md records a run and explains each figure.
#   RUNS=21 (start-up runs per plugin)  BENCHTIME=5x (go test -benchtime)  SKIP_NODE=1 (no pulumi-eks)
#   ENGINE_RUNS=7 (alternating runs of each program, after one warm-up)  SCALE=1,10,100  PARALLELS=0
#   VARIANTS=default,skip-checkpoints,... (engine and Kubernetes provider settings, bench/engine/scale.go)
#   SKIP_ENGINE=1 (no real-engine sections)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-21}
BENCHTIME=${BENCHTIME:-5x}
BIN=bin
PLUGIN=$BIN/pulumi-resource-concurrent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

section() { printf '\n== %s\n' "$*"; }

section "build"
go build -o "$PLUGIN" ./provider/cmd/pulumi-resource-concurrent
go build -o "$BIN/bench-emptyplugin" ./bench/emptyplugin
go build -o "$BIN/bench-sdkplugin" ./bench/sdkplugin
go build -o "$BIN/bench-startup" ./bench/startup
go build -o "$BIN/bench-critpath" ./bench/critpath
go build -o "$BIN/bench-engine" ./bench/engine
ls -l "$PLUGIN" "$BIN/bench-sdkplugin" "$BIN/bench-emptyplugin" | awk '{printf "%s %d MB\n", $NF, $5/1e6}'

plugins=("concurrent=$PLUGIN" "sdk=$BIN/bench-sdkplugin" "empty=$BIN/bench-emptyplugin")
if [[ -z "${SKIP_NODE:-}" ]]; then
	# The pulumi-eks provider as published on npm (@pulumi/eks@2.8.1, pinned by the lock):
	# its provider program is cmd/provider/index.js, which the plugin the engine runs wraps.
	# --ignore-scripts: the packages' install scripts only fetch plugin binaries.
	if [[ ! -f bench/node_modules/@pulumi/eks/cmd/provider/index.js ]]; then
		(cd bench && npm ci --ignore-scripts --no-audit --no-fund)
	fi
	plugins+=("eks-node=node bench/node_modules/@pulumi/eks/cmd/provider/index.js")
fi

section "start-up: process start to the port on stdout ($RUNS runs each, alternating; $(nproc) cores)"
"$BIN/bench-startup" -runs "$RUNS" "${plugins[@]}"

section "construct: go test -bench BenchmarkConstruct (benchtime $BENCHTIME)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
go test -run '^$' -bench 'BenchmarkConstruct' -benchmem -benchtime "$BENCHTIME" ./provider/setup/

# setup FILE COMPUTE N [EXTRA]: a setup file for the offline plan with N namespaces.
setup() {
	local file=$1 compute=$2 n=$3 extra=${4:-}
	{
		echo 'clusterName: kubetest32'
		echo 'concurrentAccountId: "123456789012"'
		echo "computeType: $compute"
		printf '%s\n' "$extra"
		echo 'namespaces:'
		for ((i = 0; i < n; i++)); do printf '  - name: team-%03d\n' "$i"; done
	} >"$file"
}
ALL_GROUPS='nodeGroups: {deployment: {enabled: true}}'
FARGATE_SUBNETS='fargate: {subnetIds: [subnet-0private1, subnet-0private2]}'
FARGATE_NETWORK='fargate: {network: {vpcId: vpc-0123456789abcdef0, publicSubnetId: subnet-0b00000000000public, subnetCidrs: [192.168.96.0/19, 192.168.128.0/19, 192.168.160.0/19]}}'

section "peak memory: the plugin binary planning a setup (one construct in-process), /usr/bin/time -v"
for n in 1 100; do
	setup "$work/mem-$n.yaml" nodeGroups "$n"
	/usr/bin/time -v "$PLUGIN" plan -f "$work/mem-$n.yaml" --output json 2>"$work/time-$n.txt" >"$work/plan-$n.json"
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$n.txt")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time-$n.txt")
	echo "namespaces=$n: max RSS $((rss / 1024)) MB, wall $wall, $(grep -c '"urn"' "$work/plan-$n.json") registrations"
done

section "critical path of the deploy (typical AWS durations, see docs/performance.md)"
for n in 3 12; do
	setup "$work/ng-$n.yaml" nodeGroups "$n" "$ALL_GROUPS"
	setup "$work/fg-$n.yaml" fargate "$n" "$FARGATE_SUBNETS"
	setup "$work/fgnet-$n.yaml" fargate "$n" "$FARGATE_NETWORK"
	for kind in ng fg fgnet; do
		case $kind in
		ng) label="node groups (system, worker, deployment)" ;;
		fg) label="Fargate on given private subnets" ;;
		fgnet) label="Fargate with fargate.network (subnets + NAT gateway)" ;;
		esac
		echo "-- $label, $n namespaces"
		"$PLUGIN" plan -f "$work/$kind-$n.yaml" --output json | "$BIN/bench-critpath"
	done
done

section "critical path, Fargate on given subnets: constant in the namespace count"
for n in 3 12 100; do
	setup "$work/fgn-$n.yaml" fargate "$n" "$FARGATE_SUBNETS"
	echo "-- $n namespaces"
	"$PLUGIN" plan -f "$work/fgn-$n.yaml" --output json | "$BIN/bench-critpath" | head -2
done

[[ -n "${SKIP_ENGINE:-}" ]] && exit 0
section "through the real engine: tools (tools/build.sh all kubectl) and a local API server"
tools/build.sh all kubectl
kc=$(tools/kube-up.sh)
trap 'tools/kube-down.sh >/dev/null; rm -rf "$work"' EXIT
engine=("$BIN/bench-engine" -kubeconfig "$kc" -tools tools -plugins "$BIN" -standins tools/bin/standin)

section "component overhead: pulumi preview and up, ConcurrentEksSetup vs the same children declared directly"
"${engine[@]}" -runs "${ENGINE_RUNS:-7}"

section "the engine's schedule, from the stand-ins' call log (per-type delays)"
"${engine[@]}" -calls -namespaces 3

section "namespaces at scale: pulumi up (computeType none) vs kubectl apply -f of the same objects"
"${engine[@]}" -scale "${SCALE:-1,10,100}" -parallels "${PARALLELS:-0}" -kubectl tools/bin/kubectl \
	-variants "${VARIANTS:-default,skip-checkpoints,no-backups,client-qps,skip-checkpoints+client-qps,client-side-apply}"

section "namespaces at scale: the engine's --parallel (100 namespaces; its default is 4 per core)"
"${engine[@]}" -scale 100 -parallels 8,64 -kubectl tools/bin/kubectl -variants default,skip-checkpoints+client-qps
