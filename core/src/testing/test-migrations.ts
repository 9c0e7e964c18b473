import type { ClickHouseMigrations } from '../clickhouse/migrate-clickhouse.js';
import type { PostgresMigrations } from '../postgres/migrate-postgres.js';

/**
 * The migrations test databases get by default. core names no part: whoever runs the tests (the
 * root vitest setup file, the benchmark runner) registers the composed list once per process.
 */
export interface TestMigrations {
  postgres: readonly PostgresMigrations[];
  clickhouse: ClickHouseMigrations | null;
}

let registered: TestMigrations | null = null;

export function registerTestMigrations(migrations: TestMigrations): void {
  registered = migrations;
}

export function registeredTestMigrations(): TestMigrations {
  if (!registered) {
    throw new Error(
      'no test migrations registered: call registerTestMigrations() first (the root vitest setup does), or pass migrations',
    );
  }
  return registered;
}
