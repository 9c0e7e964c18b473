import type { ClickHouseMigrations } from '@switchboard/core';

/** analytics' ClickHouse schema (events, conversations_summary), recorded in `schema_migrations`. */
export const clickhouseMigrations: ClickHouseMigrations = {
  dir: new URL('./clickhouse/', import.meta.url),
};
