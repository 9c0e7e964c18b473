import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { connectClickHouse, type ClickHouse } from '../clickhouse/connect-clickhouse.js';
import { migrateClickHouse, type ClickHouseMigrations } from '../clickhouse/migrate-clickhouse.js';
import { registeredTestMigrations } from './test-migrations.js';

export interface TestClickHouse extends ClickHouse {
  drop(): Promise<void>;
}

let wipedDataDir: string | null = null;

/**
 * chdb's data directory for this test process. Process ids come round again, and a directory
 * left by an earlier process of the same id still held its tables (a dashboards test once read
 * another file's seed that way), so the first use in a process starts it empty.
 */
export function testDataDir(): string {
  const dir = path.join(os.tmpdir(), `switchboard-chdb-${process.pid}`);
  if (wipedDataDir !== dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    wipedDataDir = dir;
  }
  return dir;
}

/**
 * A ClickHouse database of one's own: on TEST_CLICKHOUSE_URL when set, else on chdb in a
 * temporary directory of this test process (chdb allows one data directory per process).
 */
export async function createTestClickHouse(
  options: { migrate?: boolean; migrations?: ClickHouseMigrations } = {},
): Promise<TestClickHouse> {
  const database = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dataDir = testDataDir();
  const url = process.env.TEST_CLICKHOUSE_URL;
  const ch = await connectClickHouse(
    {
      ...(url ? { url } : {}),
      username: process.env.TEST_CLICKHOUSE_USER ?? 'default',
      password: process.env.TEST_CLICKHOUSE_PASSWORD ?? '',
      database,
      requestTimeoutMs: 60_000,
      local: { dataDir },
    },
    { database },
  );
  if (options.migrate !== false) {
    const migrations = options.migrations ?? registeredTestMigrations().clickhouse;
    if (!migrations) throw new Error('no ClickHouse test migrations registered');
    await migrateClickHouse(ch, migrations);
  }
  return {
    ...ch,
    async drop() {
      await ch.client.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
      await ch.close();
    },
  };
}
