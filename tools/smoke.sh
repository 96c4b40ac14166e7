#!/usr/bin/env bash
# Smoke check of the whole offline chain: build tools/bin (a no-op when built),
# start the local control plane, run tools/smoke (Automation API inline program ->
# tools/bin/pulumi -> tools/bin/pulumi-resource-kubernetes -> kube-apiserver):
# create a Namespace, check it with client-go, up again expecting no changes,
# destroy, check it is gone. Runs once per plugin lookup mode (PATH, then
# Project.Plugins.Providers), then stops the control plane (also on failure).
#
# Usage: tools/smoke.sh [path|project]...   (default: path project)
set -euo pipefail
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

"$tools/build.sh"

trap '"$tools/kube-down.sh"' EXIT
kubeconfig="$("$tools/kube-up.sh")"

modes=("$@")
[[ ${#modes[@]} -eq 0 ]] && modes=(path project)
cd "$tools/smoke"
go build -o "$tools/bin/smoke" .
for mode in "${modes[@]}"; do
  start=$SECONDS
  "$tools/bin/smoke" -tools "$tools" -kubeconfig "$kubeconfig" -plugins "$mode"
  echo "==> smoke ($mode): passed in $((SECONDS - start)) s"
done
