#!/usr/bin/env bash
# Provisions real Argo CD for the test harness and dev mode's embedded cluster:
#  - one multi-call binary with only the application controller and the repo-server, built from
#    Argo CD's Go module, plus the links it dispatches on and git-verify-wrapper.sh, which the
#    repo-server runs from PATH on every manifest generation;
#  - kustomize, built from its Go module (Argo CD shells out to it for kustomize sources; helm
#    sources use the helm that provision-helm.sh builds, the version Argo CD's release ships);
#  - Redis (the controller has no in-memory cache mode), Debian's redis-server.
# Idempotent: cached under $PREVIEWD_CACHE/{argocd,kustomize}/<version>/ and skipped when present.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
ARGOCD_VERSION="${PREVIEWD_ARGOCD_VERSION:-$ARGOCD_VERSION}"
ARGOCD_GO_TOOLCHAIN="${PREVIEWD_ARGOCD_GO_TOOLCHAIN:-$ARGOCD_GO_TOOLCHAIN}"
KUSTOMIZE_VERSION="${PREVIEWD_KUSTOMIZE_VERSION:-$KUSTOMIZE_VERSION}"
CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
OUT="$CACHE/argocd/$ARGOCD_VERSION"
KUSTOMIZE_OUT="$CACHE/kustomize/$KUSTOMIZE_VERSION"
COMMANDS=(argocd-application-controller argocd-repo-server)
MODULE=github.com/argoproj/argo-cd/v3

# Argo CD needs a newer Go than most machines have; the go command fetches this exact toolchain
# as a module. Plain `-mod=mod` so the wrapper module's go.mod can be completed by the build.
export GOTOOLCHAIN="$ARGOCD_GO_TOOLCHAIN" GOFLAGS=-mod=mod CGO_ENABLED=0

need_go() {
  command -v go >/dev/null || { echo "provision-argocd: Go is required to build $1 (or set $2)" >&2; exit 1; }
}

argocd_cached() {
  [ -x "$OUT/bin/argocd" ] && [ -x "$OUT/bin/git-verify-wrapper.sh" ] || return 1
  for c in "${COMMANDS[@]}"; do [ -L "$OUT/bin/$c" ] || return 1; done
}

# The wrapper module: requires Argo CD at the pinned version and repeats its replace directives
# (the k8s.io/* pins matter), mapping its local ./gitops-engine to the published module of the
# same version. Its main links only the two commands previewd runs (about 25% less to compile
# than Argo CD's own cmd/, which links the CLI, API server, Dex, notifications…).
write_wrapper() {
  local wrap=$1 upstream_mod
  upstream_mod=$(go mod download -json "$MODULE@$ARGOCD_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$upstream_mod" ] || { echo "provision-argocd: could not download $MODULE@$ARGOCD_VERSION" >&2; exit 1; }
  {
    echo "module previewd.local/argocd-build"
    echo
    grep -m1 '^go ' "$upstream_mod"
    grep -m1 '^godebug ' "$upstream_mod" || true
    echo
    echo "require $MODULE $ARGOCD_VERSION"
    echo
    echo "replace ("
    awk '
      /^replace \(/ { block = 1; next }
      block && /^\)/ { block = 0; next }
      /^replace [^(]/ { sub(/^replace /, ""); print; next }
      block && /=>/ { print }
    ' "$upstream_mod" | sed 's#//.*##' | awk -v v="$ARGOCD_VERSION" 'NF {
      if ($3 ~ /^\.\.?\//) print "\t" $1 " => " $1 " " v; else { $1 = $1; print "\t" $0 }
    }'
    echo ")"
  } > "$wrap/go.mod"
  cat > "$wrap/main.go" <<'GO'
// Command argocd is a multi-call binary with only the Argo CD components previewd runs; like
// Argo CD's own cmd/main.go it dispatches on the name it was started under (or
// ARGOCD_BINARY_NAME). It deliberately does not call grpc.DisableSRVLookups(): that works around
// grpclb's SRV lookups and panics when grpclb is not linked, as here.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func init() {
	// Route klog through Argo CD's logger so both components log in one configured format.
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
}

func main() {
	name := filepath.Base(os.Args[0])
	if override := os.Getenv("ARGOCD_BINARY_NAME"); override != "" {
		name = override
	}
	var command *cobra.Command
	switch name {
	case common.CommandApplicationController:
		command = appcontroller.NewCommand()
	case common.CommandRepoServer:
		command = reposerver.NewCommand()
	default:
		fmt.Fprintf(os.Stderr, "%s: run me as %s or %s (a link of that name, or ARGOCD_BINARY_NAME)\n",
			name, common.CommandApplicationController, common.CommandRepoServer)
		os.Exit(2)
	}
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}
GO
}

build_argocd() {
  if argocd_cached; then echo "argocd: cached $OUT/bin"; return; fi
  need_go "Argo CD" PREVIEWD_ARGOCD_BIN_DIR
  local start wrap module_dir ldflags
  start=$(date +%s)
  wrap="$OUT/wrapper"
  mkdir -p "$wrap" "$OUT/bin"
  write_wrapper "$wrap"
  cd "$wrap"
  go mod tidy
  ldflags="-s -w -X $MODULE/common.version=${ARGOCD_VERSION#v} -X $MODULE/common.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  go build -trimpath -ldflags="$ldflags" -o "$OUT/bin/argocd.tmp" .
  mv -f "$OUT/bin/argocd.tmp" "$OUT/bin/argocd"
  for c in "${COMMANDS[@]}"; do ln -sfn argocd "$OUT/bin/$c"; done
  module_dir=$(go list -m -f '{{.Dir}}' "$MODULE")
  install -m 0755 "$module_dir/hack/git-verify-wrapper.sh" "$OUT/bin/git-verify-wrapper.sh"
  echo "$ARGOCD_VERSION go=$(go env GOVERSION) built_in=$(( $(date +%s) - start ))s" > "$OUT/VERSION"
  echo "argocd: built $(cat "$OUT/VERSION") into $OUT/bin"
  cd - >/dev/null
}

build_kustomize() {
  if [ -x "$KUSTOMIZE_OUT/kustomize" ]; then echo "kustomize: cached $KUSTOMIZE_OUT/kustomize"; return; fi
  need_go kustomize PREVIEWD_KUSTOMIZE
  local start
  start=$(date +%s)
  mkdir -p "$KUSTOMIZE_OUT"
  local major="${KUSTOMIZE_VERSION%%.*}"
  GOBIN="$KUSTOMIZE_OUT" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kustomize/kustomize/$major@$KUSTOMIZE_VERSION"
  echo "kustomize: built $KUSTOMIZE_VERSION in $(( $(date +%s) - start ))s into $KUSTOMIZE_OUT"
}

# Debian's package; the image's policy-rc.d (or the lack of an init system) keeps apt from
# starting a system-wide instance, and the harness starts its own on a free port anyway.
provision_redis() {
  if [ -n "${PREVIEWD_REDIS_SERVER:-}" ]; then echo "redis: using $PREVIEWD_REDIS_SERVER"; return; fi
  if command -v redis-server >/dev/null; then echo "redis: $(command -v redis-server)"; return; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "provision-argocd: redis-server is not on PATH; install it (Debian: apt-get install redis-server) or set PREVIEWD_REDIS_SERVER" >&2
    exit 1
  fi
  local start
  start=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends redis-server || { apt-get update && apt-get install -y --no-install-recommends redis-server; }
  echo "redis: installed $(redis-server --version | awk '{print $3}') in $(( $(date +%s) - start ))s"
}

t0=$(date +%s)
provision_redis
if [ -n "${PREVIEWD_ARGOCD_BIN_DIR:-}" ]; then echo "argocd: using $PREVIEWD_ARGOCD_BIN_DIR"; else build_argocd; fi
if [ -n "${PREVIEWD_KUSTOMIZE:-}" ]; then echo "kustomize: using $PREVIEWD_KUSTOMIZE"; else build_kustomize; fi
echo "argocd: provisioned in $(( $(date +%s) - t0 ))s"
