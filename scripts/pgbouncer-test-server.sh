#!/usr/bin/env bash
# Starts PgBouncer (Debian's package, transaction pooling) on loopback in front of the test
# PostgreSQL of scripts/postgres-test-server.sh, and prints its URL on stdout (everything else
# goes to stderr). Any database name in the URL is passed through to the same server, so a test
# can create a database of its own directly and then reach it through the pooler.
#
#   URL=$(bash scripts/pgbouncer-test-server.sh)       # start (or reuse); starts PostgreSQL too
#   bash scripts/pgbouncer-test-server.sh stop         # stop and delete its files
#
# The pool is deliberately small (default_pool_size 4) so that many clients share few server
# connections: session state (SET, session advisory locks, LISTEN, named prepared statements)
# leaking between transactions shows up in tests instead of in production.
set -euo pipefail

PORT="${PGBOUNCER_TEST_PORT:-56432}"
BASE="${PGBOUNCER_TEST_DIR:-/tmp/switchboard-pgbouncer}"
PG_PORT="${PGTEST_PORT:-55432}"
INI="$BASE/pgbouncer.ini"
PIDFILE="$BASE/pgbouncer.pid"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

log() { printf 'pgbouncer-test-server: %s\n' "$*" >&2; }
# PgBouncer refuses to run as root: run it as the postgres OS user the server package created.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

if [ "${1:-}" = "stop" ]; then
  if running; then
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    for _ in $(seq 50); do running || break; sleep 0.1; done
  fi
  rm -rf "$BASE"
  log "stopped and removed $BASE"
  exit 0
fi

# PostgreSQL first (idempotent: prints its URL when it is already up).
bash "$(dirname "$0")/postgres-test-server.sh" >/dev/null

if ! command -v pgbouncer >/dev/null 2>&1 && [ ! -x /usr/sbin/pgbouncer ]; then
  if [ "$(id -u)" != 0 ]; then
    log "pgbouncer is not installed: sudo apt-get install -y pgbouncer"
    exit 1
  fi
  log "installing pgbouncer"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer >&2
fi
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"

if ! running; then
  mkdir -p "$BASE"
  # The test server trusts loopback; PgBouncer's trust mode still needs the user listed.
  echo '"postgres" ""' > "$BASE/userlist.txt"
  cat > "$INI" <<EOF
[databases]
* = host=127.0.0.1 port=${PG_PORT}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${PORT}
unix_socket_dir =
auth_type = trust
auth_file = ${BASE}/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 1000
max_db_connections = 40
server_reset_query =
logfile = ${BASE}/pgbouncer.log
pidfile = ${PIDFILE}
admin_users = postgres
EOF
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$BASE"; fi
  log "starting $("$PGBOUNCER" --version | head -n 1) on 127.0.0.1:${PORT} (transaction pooling)"
  as_postgres "$PGBOUNCER" -d "$INI" >&2
  for _ in $(seq 50); do
    if running && psql "$URL" -qAt -c 'SELECT 1' >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
fi
psql "$URL" -qAt -c 'SELECT 1' >/dev/null || { log "PgBouncer did not answer; see $BASE/pgbouncer.log"; exit 1; }
log "ready"
echo "$URL"
