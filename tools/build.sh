#!/usr/bin/env bash
# Build, offline (Go module proxy + Debian apt only), what the end-to-end tests
# need, into the git-ignored folder tools/bin:
#
#   tools/bin/pulumi                      Pulumi CLI v3.276.0        (tools/pulumi)
#   tools/bin/pulumi-language-yaml        Pulumi YAML host v1.25.0   (tools/pulumi-yaml)
#   tools/bin/pulumi-resource-kubernetes  Kubernetes provider 4.32.0 (tools/pulumi-kubernetes)
#   tools/bin/kube-apiserver              Kubernetes v1.34.2         (tools/kube)
#   tools/bin/kube-controller-manager     Kubernetes v1.34.2         (tools/kube)
#   tools/bin/etcd                        Debian etcd-server 3.4     (tools/kube/etcd.sh)
#   tools/bin/standin/                    stand-ins for the aws and random plugins and
#                                         the aws CLI (tools/standin, main module)
#
# Usage: tools/build.sh [all|pulumi|yaml|kubernetes|kube|etcd|standins|kubectl]...   (default: all)
# (kubectl, for bench/run.sh only, is not part of all)
#
# Idempotent: each target writes a stamp (tools/bin/.stamp-NAME) holding a hash of
# its wrapper module's go.mod/go.sum, the version it builds and the Go version;
# a target whose stamp matches and whose binaries exist is skipped.
# TOOLS_FORCE=1 rebuilds anyway (with a warm Go build cache that is a relink).
# Builds run under `nice`, one at a time, and print how long each took.
set -euo pipefail

tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$tools/bin"
mkdir -p "$bin"

PULUMI_VERSION=v3.276.0
YAML_VERSION=v1.25.0
K8S_PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
K8S_PROVIDER_MODVERSION=v4.0.0-20260115033456-f47bc2d6f199
K8S_PROVIDER_VERSION=4.32.0
KUBE_VERSION=v1.34.2

NICE=(nice -n 10)

log() { printf '==> %s\n' "$*"; }

stamp_key() { # module-dir extra-words...
  local dir="$1"; shift
  { cat "$tools/$dir/go.mod" "$tools/$dir/go.sum"; echo "$*"; go version; } | sha256sum | cut -c1-16
}

up_to_date() { # name key binaries...
  local name="$1" key="$2"; shift 2
  [[ "${TOOLS_FORCE:-}" == 1 ]] && return 1
  [[ -f "$bin/.stamp-$name" && "$(cat "$bin/.stamp-$name")" == "$key" ]] || return 1
  local b
  for b in "$@"; do [[ -x "$bin/$b" ]] || return 1; done
}

timed() { # name command...
  local name="$1"; shift
  local start=$SECONDS
  "$@"
  log "$name: done in $((SECONDS - start)) s"
}

# --- Pulumi CLI -------------------------------------------------------------
# A `pulumi` already on PATH at this version or newer is used instead (linked
# into tools/bin, where the Automation API's Root option expects bin/pulumi).
build_pulumi() {
  local found
  found="$(PATH="$(tr ':' '\n' <<<"$PATH" | grep -vxF "$bin" | paste -sd:)" command -v pulumi || true)"
  if [[ -n "$found" ]]; then
    local v
    v="$(PULUMI_SKIP_UPDATE_CHECK=true "$found" version 2>/dev/null || true)"
    if [[ "$v" == v3.* && "$(printf '%s\n%s\n' "$PULUMI_VERSION" "$v" | sort -V | head -1)" == "$PULUMI_VERSION" ]]; then
      ln -sfn "$found" "$bin/pulumi"
      log "pulumi: using $v from PATH ($found)"
      return
    fi
  fi
  local key; key="$(stamp_key pulumi "$PULUMI_VERSION")"
  if up_to_date pulumi "$key" pulumi; then
    log "pulumi: up to date ($("$bin/pulumi" version))"
    return
  fi
  rm -f "$bin/pulumi" "$bin/.stamp-pulumi"
  log "pulumi: building $PULUMI_VERSION"
  (cd "$tools/pulumi" && "${NICE[@]}" go build -o "$bin/pulumi" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  echo "$key" >"$bin/.stamp-pulumi"
  log "pulumi: $(PULUMI_SKIP_UPDATE_CHECK=true "$bin/pulumi" version)"
}

# --- Pulumi YAML language host ----------------------------------------------
# Built at the pkg/sdk v3.206.0 pulumi-yaml requires: against the CLI's v3.276.0 it
# does not compile (schema.NewPluginLoader and plugin.NewContextWithRoot changed), so
# this is a second cold compile of pkg. Next to tools/bin/pulumi the CLI finds it as
# a bundled language host.
build_yaml() {
  local key; key="$(stamp_key pulumi-yaml "$YAML_VERSION")"
  if up_to_date yaml "$key" pulumi-language-yaml; then
    log "pulumi-yaml: up to date"
    return
  fi
  rm -f "$bin/pulumi-language-yaml" "$bin/.stamp-yaml"
  log "pulumi-yaml: building pulumi-language-yaml $YAML_VERSION"
  (cd "$tools/pulumi-yaml" && "${NICE[@]}" go build -o "$bin/pulumi-language-yaml" \
    -ldflags "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)
  echo "$key" >"$bin/.stamp-yaml"
}

# --- Kubernetes provider plugin ---------------------------------------------
# The module zip lacks the two JSON files cmd/pulumi-resource-kubernetes embeds:
# copy the module into tools/bin/src (the module cache is read-only), drop its
# local replace of sdk/v4, and run its own generate.go to produce them.
prepare_kubernetes_src() {
  local src="$bin/src/pulumi-kubernetes-provider"
  local want="$K8S_PROVIDER_MODVERSION $K8S_PROVIDER_VERSION"
  if [[ -f "$src/.prepared" && "$(cat "$src/.prepared")" == "$want" ]]; then
    return
  fi
  log "pulumi-kubernetes: preparing source ($K8S_PROVIDER_MODVERSION, VERSION=$K8S_PROVIDER_VERSION)"
  local dir
  dir="$(cd "$tools/pulumi-kubernetes" && go mod download -json "$K8S_PROVIDER_MODULE@$K8S_PROVIDER_MODVERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$dir" ]] || { echo "cannot download $K8S_PROVIDER_MODULE@$K8S_PROVIDER_MODVERSION" >&2; exit 1; }
  rm -rf "$src"
  mkdir -p "$bin/src"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  (cd "$src" && go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4)
  (cd "$src/cmd/pulumi-resource-kubernetes" &&
    VERSION="$K8S_PROVIDER_VERSION" GOFLAGS="${GOFLAGS:-} -mod=mod" "${NICE[@]}" go run generate.go)
  echo "$want" >"$src/.prepared"
}

build_kubernetes() {
  local key; key="$(stamp_key pulumi-kubernetes "$K8S_PROVIDER_MODVERSION" "$K8S_PROVIDER_VERSION")"
  if up_to_date kubernetes "$key" pulumi-resource-kubernetes; then
    log "pulumi-kubernetes: up to date"
    return
  fi
  rm -f "$bin/pulumi-resource-kubernetes" "$bin/.stamp-kubernetes"
  prepare_kubernetes_src
  log "pulumi-kubernetes: building pulumi-resource-kubernetes $K8S_PROVIDER_VERSION"
  (cd "$tools/pulumi-kubernetes" && "${NICE[@]}" go build -o "$bin/pulumi-resource-kubernetes" \
    -ldflags "-X $K8S_PROVIDER_MODULE/pkg/version.Version=$K8S_PROVIDER_VERSION" \
    "$K8S_PROVIDER_MODULE/cmd/pulumi-resource-kubernetes")
  echo "$key" >"$bin/.stamp-kubernetes"
}

# --- kube-apiserver + kube-controller-manager -------------------------------
build_kube() {
  local key; key="$(stamp_key kube "$KUBE_VERSION")"
  if up_to_date kube "$key" kube-apiserver kube-controller-manager; then
    log "kube: up to date ($("$bin/kube-apiserver" --version))"
    return
  fi
  rm -f "$bin/kube-apiserver" "$bin/kube-controller-manager" "$bin/.stamp-kube"
  local minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  local v=k8s.io/component-base/version
  local ldflags="-X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  log "kube: building kube-apiserver and kube-controller-manager $KUBE_VERSION"
  (cd "$tools/kube" && "${NICE[@]}" go build -o "$bin/" -ldflags "$ldflags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager)
  echo "$key" >"$bin/.stamp-kube"
  log "kube: $("$bin/kube-apiserver" --version)"
}

# kubectl at the same version, from the same wrapper module: only bench/run.sh needs it
# (kubectl apply against `pulumi up`), so it is not part of `all`.
build_kubectl() {
  local key; key="$(stamp_key kube "$KUBE_VERSION" kubectl)"
  if up_to_date kubectl "$key" kubectl; then
    log "kubectl: up to date"
    return
  fi
  rm -f "$bin/kubectl" "$bin/.stamp-kubectl"
  local minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  local v=k8s.io/component-base/version
  log "kubectl: building $KUBE_VERSION"
  (cd "$tools/kube" && "${NICE[@]}" go build -o "$bin/kubectl" \
    -ldflags "-X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean" \
    k8s.io/kubernetes/cmd/kubectl)
  echo "$key" >"$bin/.stamp-kubectl"
}

build_etcd() {
  "$tools/kube/etcd.sh"
}

# --- Stand-ins (test tooling of the main module, never shipped) --------------
# No stamp: `go build` relinks only when a source changed, so an up-to-date build costs a
# few seconds, and the stand-ins always match the tree that runs the tests.
# STANDIN_DIR moves them out of a tools/bin that several work trees share.
build_standins() {
  local out="${STANDIN_DIR:-$bin/standin}"
  mkdir -p "$out"
  local root; root="$(cd "$tools/.." && pwd)"
  (cd "$root" &&
    "${NICE[@]}" go build -o "$out/pulumi-resource-aws" ./tools/standin/aws &&
    "${NICE[@]}" go build -o "$out/pulumi-resource-random" ./tools/standin/random &&
    "${NICE[@]}" go build -o "$out/aws" ./tools/standin/awscli)
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    all) timed pulumi build_pulumi; timed pulumi-yaml build_yaml; timed pulumi-kubernetes build_kubernetes
         timed kube build_kube; timed etcd build_etcd; timed standins build_standins ;;
    pulumi) timed pulumi build_pulumi ;;
    yaml|pulumi-yaml) timed pulumi-yaml build_yaml ;;
    kubernetes|pulumi-kubernetes) timed pulumi-kubernetes build_kubernetes ;;
    kube) timed kube build_kube ;;
    etcd) timed etcd build_etcd ;;
    standins) timed standins build_standins ;;
    kubectl) timed kubectl build_kubectl ;;
    *) echo "usage: $0 [all|pulumi|yaml|kubernetes|kube|etcd|standins|kubectl]..." >&2; exit 2 ;;
  esac
done
