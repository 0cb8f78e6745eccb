#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and etcd from their Go modules.
# k8s.io/kubernetes cannot be `go install`ed (its go.mod replaces the k8s.io/* staging
# modules with local paths), so we build it from a wrapper module that pins every staging
# module to the matching v0.X.Y release — the usual way to import it. etcd's server module
# is already in that build graph, so it is built at exactly the version the API server's
# client was tested against.
set -euo pipefail

. "$(dirname "$0")/versions.env"
KUBE_VERSION="${PREVIEWD_KUBE_VERSION:-$KUBE_VERSION}"
CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
OUT="$CACHE/kube/$KUBE_VERSION"
BINS=(kube-apiserver kube-controller-manager etcd)

have_all() { for b in "${BINS[@]}"; do [ -x "$OUT/bin/$b" ] || return 1; done; }
if have_all; then echo "kube: cached $OUT/bin"; exit 0; fi

command -v go >/dev/null || { echo "provision-kube: Go is required to build the control plane (or set PREVIEWD_KUBE_BIN_DIR to a directory with kube-apiserver, kube-controller-manager and etcd)" >&2; exit 1; }

start=$(date +%s)
staging_version="v0.${KUBE_VERSION#v1.}"
wrap="$OUT/wrapper"
mkdir -p "$wrap" "$OUT/bin"
cd "$wrap"

# The upstream go.mod tells us which staging modules exist and its godebug default.
upstream_mod=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
go_line=$(grep -m1 '^go ' "$upstream_mod")
godebug_line=$(grep -m1 '^godebug ' "$upstream_mod" || true)
{
  echo "module previewd.local/kube-build"
  echo
  echo "$go_line"
  [ -n "$godebug_line" ] && echo "$godebug_line"
  echo
  echo "require k8s.io/kubernetes $KUBE_VERSION"
  echo
  echo "replace ("
  grep -E '^\s+k8s\.io/[a-z0-9-]+ => \./staging/' "$upstream_mod" | awk -v v="$staging_version" '{print "\t" $1 " => " $1 " " v}'
  echo ")"
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools
GO

export GOFLAGS=-mod=mod CGO_ENABLED=0
go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBE_VERSION"
etcd_version=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
go build -trimpath -ldflags='-s -w' -o "$OUT/bin/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
go build -trimpath -ldflags='-s -w' -o "$OUT/bin/etcd" go.etcd.io/etcd/server/v3
echo "$KUBE_VERSION etcd=$etcd_version built_in=$(( $(date +%s) - start ))s" > "$OUT/VERSION"
echo "kube: built $(cat "$OUT/VERSION") into $OUT/bin"
