#!/usr/bin/env bash
# Provisions promtool (the chart test runs `promtool check rules` and `promtool test rules` on the
# PrometheusRule's groups). Cheapest real source first: the distribution's `prometheus` package,
# downloaded (not installed) and unpacked, which takes seconds; promtool is in it, statically
# linked. Without apt, it is built from the Prometheus Go module (minutes).
# PREVIEWD_PROMTOOL points at another promtool binary instead.
set -euo pipefail
. "$(dirname "$0")/versions.env"
PROMTOOL_GO_VERSION="${PREVIEWD_PROMTOOL_GO_VERSION:-$PROMTOOL_GO_VERSION}"
CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
OUT="$CACHE/promtool"
if [ -n "${PREVIEWD_PROMTOOL:-}" ]; then echo "promtool: using $PREVIEWD_PROMTOOL"; exit 0; fi
if [ -x "$OUT/promtool" ]; then echo "promtool: cached $OUT/promtool ($("$OUT/promtool" --version 2>&1 | head -1))"; exit 0; fi
start=$(date +%s)
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if command -v apt-get >/dev/null && (cd "$work" && apt-get download prometheus >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get download prometheus >/dev/null 2>&1; }); then
  dpkg-deb --fsys-tarfile "$work"/prometheus_*.deb | tar -x -C "$work" ./usr/bin/promtool
  install -m 0755 "$work/usr/bin/promtool" "$OUT/promtool.tmp"
  source="the distribution's prometheus package"
else
  command -v go >/dev/null || { echo "provision-promtool: neither apt-get (prometheus package) nor Go is available; install promtool and set PREVIEWD_PROMTOOL" >&2; exit 1; }
  GOBIN="$work/bin" CGO_ENABLED=0 GOFLAGS=-mod=mod go install -trimpath -ldflags='-s -w' "github.com/prometheus/prometheus/cmd/promtool@$PROMTOOL_GO_VERSION"
  install -m 0755 "$work/bin/promtool" "$OUT/promtool.tmp"
  source="the Go module github.com/prometheus/prometheus@$PROMTOOL_GO_VERSION"
fi
mv "$OUT/promtool.tmp" "$OUT/promtool"
echo "promtool: $("$OUT/promtool" --version 2>&1 | head -1) from $source in $(( $(date +%s) - start ))s into $OUT"
