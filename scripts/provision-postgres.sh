#!/usr/bin/env bash
# Provisions PostgreSQL for the per-preview database tests: finds the server binaries (initdb
# and postgres), installs Debian's `postgresql` package when there are none, and records where
# they are, and which user runs them, in $CACHE/postgres/paths.json for test/harness/postgres.ts.
# Idempotent; when the binaries are present it only checks them (well under a second).
#
# Order: PREVIEWD_POSTGRES_BIN_DIR, then /usr/lib/postgresql/<major>/bin (Debian's layout,
# newest major first; the major is found, not assumed), then `pg_config --bindir`, then PATH.
set -euo pipefail

. "$(dirname "$0")/versions.env"
MIN_MAJOR="${PREVIEWD_POSTGRES_MIN_MAJOR:-$POSTGRES_MIN_MAJOR}"
CACHE="${PREVIEWD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/previewd}"
OUT="$CACHE/postgres"

fail() { echo "provision-postgres: $*" >&2; exit 1; }

# Prints a directory that holds both initdb and postgres, symlinks resolved.
usable_dir() { # dir
  local dir=$1
  [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] || return 1
  dirname "$(readlink -f "$dir/postgres")"
}

find_bin_dir() {
  if [ -n "${PREVIEWD_POSTGRES_BIN_DIR:-}" ]; then usable_dir "$PREVIEWD_POSTGRES_BIN_DIR"; return; fi
  local dir
  # Version directories, newest first, compared as numbers (/usr/lib/postgresql/<major>/bin).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    usable_dir "$dir" && return 0
  done
  if command -v pg_config >/dev/null; then usable_dir "$(pg_config --bindir)" && return 0; fi
  if command -v initdb >/dev/null; then usable_dir "$(dirname "$(command -v initdb)")" && return 0; fi
  return 1
}

install_debian_package() {
  command -v apt-get >/dev/null ||
    fail "no PostgreSQL server binaries found (initdb, postgres) and no apt-get: install PostgreSQL >= $MIN_MAJOR, or set PREVIEWD_POSTGRES_BIN_DIR to its bin directory"
  [ "$(id -u)" -eq 0 ] || fail "no PostgreSQL server binaries found: install Debian's package (sudo apt-get install postgresql), then run this again"
  # Only the binaries are wanted: the tests start their own throwaway clusters. On a first
  # install postgresql-common reads create_main_cluster here; `off` keeps the package from
  # creating (and, where an init system runs, starting) a system cluster on port 5432.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = off' > /etc/postgresql-common/createcluster.conf
  fi
  local opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confold)
  echo "postgres: installing Debian's postgresql package"
  # The file above is kept on install (ucf and dpkg both told to keep the existing file).
  if ! DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install "${opts[@]}" postgresql; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1 apt-get install "${opts[@]}" postgresql
  fi
}

start=$(date +%s)
if [ -n "${PREVIEWD_POSTGRES_BIN_DIR:-}" ]; then
  bin_dir=$(find_bin_dir) || fail "PREVIEWD_POSTGRES_BIN_DIR=$PREVIEWD_POSTGRES_BIN_DIR has no initdb and postgres"
fi
[ -n "${bin_dir:-}" ] || bin_dir=$(find_bin_dir) || { install_debian_package; bin_dir=$(find_bin_dir) || fail "the postgresql package is installed but no initdb/postgres was found under /usr/lib/postgresql/*/bin"; }

version=$("$bin_dir/postgres" --version | awk '{print $3}')
major=${version%%.*}
major=${major%%[!0-9]*}
[ -n "$major" ] && [ "$major" -ge "$MIN_MAJOR" ] ||
  fail "$bin_dir/postgres is PostgreSQL $version; previewd needs $MIN_MAJOR or newer (set PREVIEWD_POSTGRES_BIN_DIR to another installation)"

# PostgreSQL refuses to run as root. As root (here and in CI) the harness runs initdb and
# postgres as an unprivileged user through setpriv (util-linux; it execs in place, so
# signals reach the server directly); the Debian package creates the `postgres` user.
run_as="null"
if [ "$(id -u)" -eq 0 ]; then
  user="${PREVIEWD_POSTGRES_USER:-postgres}"
  id -u "$user" >/dev/null 2>&1 ||
    fail "running as root, and there is no user '$user' to run PostgreSQL as (it refuses root): create one (useradd --system --no-create-home $user) or set PREVIEWD_POSTGRES_USER"
  uid=$(id -u "$user"); gid=$(id -g "$user")
  [ "$uid" -ne 0 ] || fail "user '$user' has uid 0; PostgreSQL needs an unprivileged user (set PREVIEWD_POSTGRES_USER)"
  command -v setpriv >/dev/null || fail "running as root needs setpriv (Debian package util-linux) to start PostgreSQL as '$user'"
  setpriv --reuid="$uid" --regid="$gid" --init-groups -- "$bin_dir/initdb" --version >/dev/null ||
    fail "user '$user' cannot run $bin_dir/initdb (check the permissions of $bin_dir)"
  run_as="{ \"user\": \"$user\", \"uid\": $uid, \"gid\": $gid }"
fi

mkdir -p "$OUT"
tmp="$OUT/paths.json.$$"
printf '{\n  "binDir": "%s",\n  "version": "%s",\n  "major": %s,\n  "runAs": %s\n}\n' "$bin_dir" "$version" "$major" "$run_as" > "$tmp"
mv "$tmp" "$OUT/paths.json"
echo "postgres: PostgreSQL $version in $bin_dir${user:+, run as $user} ($(( $(date +%s) - start ))s)"
