#!/usr/bin/env bash
# Unpack Debian's etcd-server package into tools/bin (no root install):
#   apt-get download etcd-server && dpkg -x ... ; copies bin/etcd to tools/bin/etcd.
# Idempotent: does nothing when tools/bin/etcd already runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(cd "$here/.." && pwd)/bin"
mkdir -p "$bin"

if [[ -x "$bin/etcd" ]] && "$bin/etcd" --version >/dev/null 2>&1; then
  echo "etcd: already present ($("$bin/etcd" --version | head -1))"
  exit 0
fi

work="$bin/src/etcd-deb"
rm -rf "$work"; mkdir -p "$work"
cd "$work"
if ! apt-get download etcd-server >/dev/null 2>&1; then
  # The package lists may be missing or stale on a fresh machine.
  apt-get update >/dev/null
  apt-get download etcd-server
fi
deb="$(ls etcd-server_*.deb | head -1)"
dpkg -x "$deb" root
cp root/usr/bin/etcd "$bin/etcd"
chmod +x "$bin/etcd"
echo "etcd: unpacked from $deb ($("$bin/etcd" --version | head -1))"
