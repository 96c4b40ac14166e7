#!/usr/bin/env bash
# Start a throw-away Kubernetes control plane on 127.0.0.1 for end-to-end tests:
# etcd + kube-apiserver + kube-controller-manager from tools/bin (tools/build.sh).
#
#   tools/kube-up.sh      -> prints the kubeconfig path (default .e2e/kubeconfig)
#   tools/kube-down.sh    -> stops what kube-up.sh started (safe to call twice)
#
# Each run starts from scratch: free ports, a fresh data dir (.e2e/kube, git-ignored),
# fresh self-signed certs (openssl), a static token file whose user is in
# system:masters, RBAC authorization and service-account signing keys.
# The controller manager runs only the controllers tests need
# (garbagecollector, namespace, serviceaccount, serviceaccount-token), so that
# namespace deletion completes.
#
# Environment:
#   E2E_DIR          state folder (default: <repo>/.e2e)
#   KUBE_UP_TIMEOUT  seconds to wait for /readyz (default 120)
#
# Writes:
#   $E2E_DIR/kubeconfig     admin kubeconfig (CA and token embedded)
#   $E2E_DIR/kube/env       KUBECONFIG=..., KUBE_API_URL=..., KUBE_TOKEN=...
#   $E2E_DIR/kube/pids      "pid name" of each started process (used by kube-down.sh)
#   $E2E_DIR/kube/*.log     process logs
set -euo pipefail

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$tools/.." && pwd)"
bin="$tools/bin"
e2e="${E2E_DIR:-$repo/.e2e}"
state="$e2e/kube"
timeout="${KUBE_UP_TIMEOUT:-120}"

for b in etcd kube-apiserver kube-controller-manager; do
  [[ -x "$bin/$b" ]] || { echo "kube-up: $bin/$b missing: run tools/build.sh first" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "kube-up: openssl is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "kube-up: curl is required" >&2; exit 1; }

# A previous cluster (if any) goes first; then a fresh state dir.
E2E_DIR="$e2e" "$tools/kube-down.sh" >/dev/null
rm -rf "$state"
mkdir -p "$state"
e2e="$(cd "$e2e" && pwd)"
state="$e2e/kube"

ok=0
cleanup() {
  if [[ $ok != 1 ]]; then
    echo "kube-up: failed; logs in $state; stopping what was started" >&2
    for f in "$state"/*.log; do [[ -f $f ]] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }; done
    E2E_DIR="$e2e" "$tools/kube-down.sh" >&2 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- free ports on 127.0.0.1 ---------------------------------------------------
taken=" "
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768-), which outgoing connections use
    [[ "$taken" == *" $p "* ]] && continue
    if ! ss -Htln "sport = :$p" | grep -q .; then
      taken+="$p "
      echo "$p"
      return
    fi
  done
  echo "kube-up: no free port found" >&2
  return 1
}
etcd_port="$(free_port)"; taken+="$etcd_port "
peer_port="$(free_port)"; taken+="$peer_port "
api_port="$(free_port)"; taken+="$api_port "
kcm_port="$(free_port)"; taken+="$kcm_port "

# --- certificates and keys ----------------------------------------------------
pki="$state/pki"
mkdir -p "$pki"
(
  cd "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout ca.key -out ca.crt \
    -subj "/CN=e2e-kube-ca" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
    -subj "/CN=kube-apiserver" 2>/dev/null
  cat >apiserver.ext <<EOF
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
EOF
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
    -extfile apiserver.ext -out apiserver.crt 2>/dev/null
  openssl genrsa -out sa.key 2048 2>/dev/null
  openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
)
token="$(openssl rand -hex 24)"
printf '%s,e2e-admin,e2e-admin,"system:masters"\n' "$token" >"$pki/tokens.csv"
chmod 600 "$pki"/*.key "$pki/tokens.csv"

api_url="https://127.0.0.1:$api_port"
write_kubeconfig() { # path
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $api_url
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: e2e-admin
  user:
    token: $token
contexts:
- name: e2e
  context:
    cluster: e2e
    user: e2e-admin
    namespace: default
current-context: e2e
EOF
  chmod 600 "$1"
}

# --- processes ------------------------------------------------------------------
start() { # name command...
  local name="$1"; shift
  setsid "$@" >"$state/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$state/pids"
}

wait_for() { # what url [curl args...]
  local what="$1" url="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 5 "$@" "$url" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "kube-up: $what not ready after ${timeout}s" >&2
      return 1
    fi
    # Fail early when a process died.
    while read -r pid name; do
      kill -0 "$pid" 2>/dev/null || { echo "kube-up: $name exited" >&2; return 1; }
    done <"$state/pids"
    sleep 0.5
  done
}

start_time=$SECONDS
start etcd "$bin/etcd" --name e2e --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" \
  --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "e2e=http://127.0.0.1:$peer_port" \
  --listen-metrics-urls "" --logger zap --log-level warn
wait_for etcd "http://127.0.0.1:$etcd_port/health"

start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --cert-dir "$pki" \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" \
  --token-auth-file "$pki/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc \
  --service-account-key-file "$pki/sa.pub" \
  --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --endpoint-reconciler-type none \
  --profiling=false
wait_for kube-apiserver "$api_url/readyz" --cacert "$pki/ca.crt" -H "Authorization: Bearer $token"

write_kubeconfig "$state/controller-manager.kubeconfig"
start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$state/controller-manager.kubeconfig" \
  --controllers garbagecollector,namespace,serviceaccount,serviceaccount-token \
  --leader-elect=false \
  --bind-address 127.0.0.1 --secure-port "$kcm_port" --cert-dir "$state/kcm-certs" \
  --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
  --service-account-private-key-file "$pki/sa.key" \
  --root-ca-file "$pki/ca.crt" \
  --use-service-account-credentials=false \
  --profiling=false
wait_for kube-controller-manager "https://127.0.0.1:$kcm_port/healthz" -k

write_kubeconfig "$e2e/kubeconfig"
cat >"$state/env" <<EOF
KUBECONFIG=$e2e/kubeconfig
KUBE_API_URL=$api_url
KUBE_TOKEN=$token
EOF
ok=1
echo "kube-up: ready in $((SECONDS - start_time)) s: $api_url (etcd :$etcd_port, controller-manager :$kcm_port)" >&2
echo "$e2e/kubeconfig"
