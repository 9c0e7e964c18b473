import { registerTestMigrations } from '@switchboard/core/testing';
import { ALL_CLICKHOUSE_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from './migrations.js';

/**
 * Test databases (createTestDatabase, createTestClickHouse) get every part's migrations: loaded by
 * vitest (setupFiles) and by `npm run bench` (--import) before any test or benchmark module.
 */
registerTestMigrations({ postgres: ALL_POSTGRES_MIGRATIONS, clickhouse: ALL_CLICKHOUSE_MIGRATIONS });
