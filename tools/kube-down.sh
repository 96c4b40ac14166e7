#!/usr/bin/env bash
# Stop the control plane that tools/kube-up.sh started: each PID listed in
# $E2E_DIR/kube/pids (default <repo>/.e2e), newest first, SIGTERM then SIGKILL
# after 15 s. Only PIDs whose command line still names a binary under
# tools/bin are signalled (a PID may have been reused). Safe to call twice;
# the data dir and logs are kept for inspection (kube-up.sh replaces them).
set -euo pipefail

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$tools/.." && pwd)"
bin="$tools/bin"
e2e="${E2E_DIR:-$repo/.e2e}"
pids="$e2e/kube/pids"

if [[ ! -f "$pids" ]]; then
  echo "kube-down: nothing to stop"
  exit 0
fi

ours() { # pid
  { tr "\0" " " <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF "$bin/"
}

mapfile -t lines < <(tac "$pids")
stopping=()
for line in "${lines[@]}"; do
  read -r pid name <<<"$line"
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    stopping+=("$pid")
    echo "kube-down: stopping $name ($pid)"
  fi
done

deadline=$((SECONDS + 15))
for pid in "${stopping[@]}"; do
  while ours "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if ours "$pid"; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
rm -f "$pids"
echo "kube-down: stopped"
