#!/usr/bin/env bash
# Provisions the headless browser the Temporal UI test (test/integration/ui) drives through
# puppeteer-core: Debian's chromium package. puppeteer-core downloads no browser, so the one the
# test uses is the distribution's, updated with the machine's security updates.
# PREVIEWD_CHROMIUM points at another Chromium/Chrome binary instead (and skips the install).
set -euo pipefail

if [ -n "${PREVIEWD_CHROMIUM:-}" ]; then
  [ -x "$PREVIEWD_CHROMIUM" ] || { echo "provision-chromium: PREVIEWD_CHROMIUM=$PREVIEWD_CHROMIUM is not an executable" >&2; exit 1; }
  echo "chromium: using $PREVIEWD_CHROMIUM"
  exit 0
fi
if command -v chromium >/dev/null; then echo "chromium: $(command -v chromium)"; exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "provision-chromium: chromium is not on PATH; install it (Debian: apt-get install chromium) or set PREVIEWD_CHROMIUM to a Chromium/Chrome binary" >&2
  exit 1
fi
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium || { apt-get update && apt-get install -y --no-install-recommends chromium; }
echo "chromium: installed $(chromium --version 2>/dev/null | awk '{print $2}') in $(( $(date +%s) - start ))s"
