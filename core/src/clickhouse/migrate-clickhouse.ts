import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ddlForMode, ddlModeFor, migrationsTableDdl } from './cluster-ddl.js';
import type { ClickHouse } from './connect-clickhouse.js';

/** The folder of numbered ClickHouse migrations, exported by the part that owns the schema. */
export interface ClickHouseMigrations {
  dir: URL | string;
}

/**
 * Numbered `NNNN_name.sql` files, applied in order once each and recorded in
 * `schema_migrations`. ClickHouse has no transactional DDL, so every statement must be
 * idempotent (IF NOT EXISTS): a crash mid-file is repaired by running the file again. With
 * `clickhouse.cluster` the statements run in their cluster form (cluster-ddl.ts).
 */
export async function migrateClickHouse(
  ch: ClickHouse,
  migrations: ClickHouseMigrations,
  options: { log?: (line: string) => void } = {},
): Promise<string[]> {
  const dir = migrations.dir instanceof URL ? fileURLToPath(migrations.dir) : migrations.dir;
  if (!fs.existsSync(dir)) return [];
  // The files are written for one server; on a cluster each statement gets its cluster form.
  const mode = ddlModeFor(ch.cluster);
  await ch.client.command({ query: migrationsTableDdl(mode) });
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
    const statements = splitStatements(fs.readFileSync(path.join(dir, file), 'utf8')).flatMap((statement) =>
      ddlForMode(statement, mode),
    );
    for (const statement of statements) await ch.client.command({ query: statement });
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
