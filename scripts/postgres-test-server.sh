#!/usr/bin/env bash
# Starts a throw-away PostgreSQL 15 + pgvector cluster on loopback for tests and benchmarks,
# and prints its URL on stdout (everything else goes to stderr). Idempotent: installs only
# what is missing, and re-running while the cluster is up just prints the URL again.
#
#   URL=$(bash scripts/postgres-test-server.sh)        # start (or reuse)
#   bash scripts/postgres-test-server.sh stop          # stop and delete the cluster
#
# Debian bookworm has no pgvector binary package; trixie's source package builds against
# bookworm's PostgreSQL 15 headers in seconds, so we build it from source.
set -euo pipefail

PG_VERSION=15
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
PORT="${PGTEST_PORT:-55432}"
BASE="${PGTEST_DIR:-/tmp/switchboard-pgtest}"
DATA="$BASE/data"
SOCKDIR="$BASE/run"
LOG="$BASE/postgres.log"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

log() { printf 'postgres-test-server: %s\n' "$*" >&2; }
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
apt_ready=0
apt_install() {
  if [ "$apt_ready" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2
    apt_ready=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

if [ "${1:-}" = "stop" ]; then
  if [ -f "$DATA/postmaster.pid" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true; fi
  rm -rf "$BASE"
  log "stopped and removed $BASE"
  exit 0
fi

# 1. PostgreSQL 15 server binaries.
if [ ! -x "$PG_BIN/postgres" ]; then
  apt_install "postgresql-${PG_VERSION}"
fi

# 2. pgvector, built from Debian trixie's source package when missing.
SHAREDIR="$("$PG_BIN/pg_config" --sharedir)"
if [ ! -f "$SHAREDIR/extension/vector.control" ]; then
  apt_install "postgresql-server-dev-${PG_VERSION}" build-essential dpkg-dev
  work="$(mktemp -d)"
  mkdir -p "$work/lists/partial"
  # Same archive as the machine's own sources (read from them, not hard-coded), trixie suite.
  mirror="$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | awk '{print $2}')"
  if [ -z "$mirror" ]; then
    mirror="$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}')"
  fi
  [ -n "$mirror" ] || { log "cannot find the Debian archive in /etc/apt sources"; exit 1; }
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror} trixie main" > "$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=-" -o "Dir::State::Lists=$work/lists")
  log "fetching the pgvector source package"
  apt-get "${apt_opts[@]}" update -qq >&2
  (cd "$work" && apt-get "${apt_opts[@]}" source -qq pgvector >&2)
  src="$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  log "building pgvector in $src"
  make -s -C "$src" PG_CONFIG="$PG_BIN/pg_config" >&2
  make -s -C "$src" PG_CONFIG="$PG_BIN/pg_config" install >&2
  rm -rf "$work"
fi

# 3. A cluster on loopback, trust auth (throw-away: never use this for real data).
mkdir -p "$BASE" "$SOCKDIR"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$BASE" "$SOCKDIR"; fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  log "initdb $DATA"
  as_postgres "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_postgres "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  touch "$LOG"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$LOG"; fi
  log "starting on 127.0.0.1:${PORT}"
  as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-p ${PORT} -k ${SOCKDIR} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB -c maintenance_work_mem=512MB" \
    start >&2
fi
"$PG_BIN/psql" "$URL" -qAt -c 'CREATE EXTENSION IF NOT EXISTS vector' >&2
log "ready: pgvector $("$PG_BIN/psql" "$URL" -qAt -c "SELECT extversion FROM pg_extension WHERE extname='vector'")"
echo "$URL"
