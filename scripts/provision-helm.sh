#!/usr/bin/env bash
# Builds the Helm CLI from its Go module (the chart tests run `helm lint` and `helm template`).
set -euo pipefail
. "$(dirname "$0")/versions.env"
HELM_VERSION="${PREVIEWD_HELM_VERSION:-$HELM_VERSION}"
CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
OUT="$CACHE/helm/$HELM_VERSION"
if [ -x "$OUT/helm" ]; then echo "helm: cached $OUT/helm"; exit 0; fi
if [ -n "${PREVIEWD_HELM:-}" ]; then echo "helm: using $PREVIEWD_HELM"; exit 0; fi
command -v go >/dev/null || { echo "provision-helm: Go is required to build helm (or set PREVIEWD_HELM)" >&2; exit 1; }
start=$(date +%s)
mkdir -p "$OUT"
major="${HELM_VERSION%%.*}"
GOBIN="$OUT" CGO_ENABLED=0 GOFLAGS=-mod=mod go install -trimpath -ldflags='-s -w' "helm.sh/helm/$major/cmd/helm@$HELM_VERSION"
echo "helm: built $HELM_VERSION in $(( $(date +%s) - start ))s into $OUT"
