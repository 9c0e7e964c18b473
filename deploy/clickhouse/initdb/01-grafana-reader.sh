#!/bin/bash
# A read-only ClickHouse user for Grafana: it can SELECT the analytics database and nothing else.
set -euo pipefail
clickhouse client --user "$CLICKHOUSE_USER" --password "$CLICKHOUSE_PASSWORD" --multiquery <<SQL
-- readonly = 1: no writes and no setting changes, except the query time limit the plugin sets.
CREATE USER IF NOT EXISTS grafana_reader IDENTIFIED WITH sha256_password BY '${GRAFANA_CLICKHOUSE_PASSWORD}'
  SETTINGS readonly = 1, max_execution_time CHANGEABLE_IN_READONLY;
GRANT SELECT ON ${CLICKHOUSE_DB}.* TO grafana_reader;
SQL
