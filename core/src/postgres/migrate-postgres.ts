import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type { Database } from './connect-postgres.js';

/** The repository root, found from this file so that migrations work from any cwd. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * One part's numbered SQL migrations: the part exports it (`<part>/migrations/index.ts`) and the
 * entry point that composes the parts passes the list here, in dependency order. `part` names the
 * migrations table (`pgmigrations_<part>`), so it must never change for a part already deployed.
 */
export interface PostgresMigrations {
  part: string;
  dir: URL | string;
}

export interface MigrationResult {
  part: string;
  applied: string[];
}

export async function migratePostgres(
  db: Database,
  migrations: readonly PostgresMigrations[],
  options: { log?: (line: string) => void } = {},
): Promise<MigrationResult[]> {
  const parts = migrations.map((entry) => entry.part);
  const repeated = parts.find((part, index) => parts.indexOf(part) !== index);
  if (repeated) throw new Error(`postgres migrations of part ${repeated} listed twice`);
  const results: MigrationResult[] = [];
  for (const { part, dir: location } of migrations) {
    const dir = location instanceof URL ? fileURLToPath(location) : location;
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
