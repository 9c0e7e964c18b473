export { createTestDatabase } from './test-database.js';
export type { TestDatabase } from './test-database.js';
export { createTestClickHouse } from './test-clickhouse.js';
export type { TestClickHouse } from './test-clickhouse.js';
export { registerTestMigrations } from './test-migrations.js';
export type { TestMigrations } from './test-migrations.js';
export { testDataDir } from './test-clickhouse.js';
