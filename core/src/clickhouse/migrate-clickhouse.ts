import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClickHouse } from './connect-clickhouse.js';

/** The folder of numbered ClickHouse migrations, exported by the part that owns the schema. */
export interface ClickHouseMigrations {
  dir: URL | string;
}

/**
 * Numbered `NNNN_name.sql` files, applied in order once each and recorded in
 * `schema_migrations`. ClickHouse has no transactional DDL, so every statement must be
 * idempotent (IF NOT EXISTS): a crash mid-file is repaired by running the file again.
 */
export async function migrateClickHouse(
  ch: ClickHouse,
  migrations: ClickHouseMigrations,
  options: { log?: (line: string) => void } = {},
): Promise<string[]> {
  const dir = migrations.dir instanceof URL ? fileURLToPath(migrations.dir) : migrations.dir;
  if (!fs.existsSync(dir)) return [];
  await ch.client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  });
  const done = new Set(
    (
      await (
        await ch.client.query({ query: 'SELECT version FROM schema_migrations FINAL', format: 'JSONEachRow' })
      ).json<{ version: string }>()
    ).map((row) => row.version),
  );
  const files = fs
    .readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.replace(/\.sql$/, '');
    if (done.has(version)) continue;
    for (const statement of splitStatements(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      await ch.client.command({ query: statement });
    }
    await ch.client.insert({ table: 'schema_migrations', values: [{ version }], format: 'JSONEachRow' });
    applied.push(version);
    options.log?.(`clickhouse: applied ${version}`);
  }
  return applied;
}

/** Statements end with `;` at the end of a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
