import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Database } from './connect-postgres.js';

/** The repository root, found from this file so that migrations work from any cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Each part owns its numbered SQL migrations in `<part>/migrations/postgres` and its own
 * migrations table, applied in dependency order (core first: it creates the extensions).
 */
export const POSTGRES_MIGRATION_PARTS = ['core', 'kb-ingest', 'analytics', 'agent-bot'] as const;

export interface MigrationResult {
  part: string;
  applied: string[];
}

export async function migratePostgres(
  db: Database,
  options: { parts?: readonly string[]; log?: (line: string) => void } = {},
): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [];
  for (const part of options.parts ?? POSTGRES_MIGRATION_PARTS) {
    const dir = path.join(REPO_ROOT, part, 'migrations', 'postgres');
    if (!fs.existsSync(dir) || fs.readdirSync(dir).length === 0) continue;
    const client = await db.pool.connect();
    try {
      const schema =
        db.schema ??
        (await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]
          ?.schema ??
        'public';
      const applied = await runner({
        dbClient: client,
        dir,
        direction: 'up',
        migrationsTable: `pgmigrations_${part.replaceAll('-', '_')}`,
        // Migrate into the connection's own schema (first in its search_path, e.g. set in the URL's
        // options), for the migrations table and the DDL alike; node-pg-migrate would otherwise
        // default to public for one and follow search_path for the other.
        schema: schema === 'public' ? 'public' : [schema, 'public'],
        ...(db.schema ? { createSchema: true } : {}),
        checkOrder: true,
        // Several processes (replicas, the CLI) may start at once: the later ones wait their turn.
        advisoryLockMode: 'wait',
        singleTransaction: true,
        log: () => undefined,
      });
      const names = applied.map((m) => m.name);
      if (names.length > 0) options.log?.(`${part}: applied ${names.join(', ')}`);
      results.push({ part, applied: names });
    } finally {
      client.release();
    }
  }
  return results;
}
