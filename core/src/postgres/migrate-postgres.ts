import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
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
    // One transaction around the whole run, with a transaction-scoped lock: through a
    // transaction pooler (PgBouncer) each statement outside a transaction may run on another
    // server connection, so node-pg-migrate's session lock (pg_advisory_lock, then unlock) would
    // guard nothing and stay held on whichever connection took it, and its SET search_path would
    // miss the DDL. Inside one transaction the pooler keeps one server connection, and COMMIT or
    // ROLLBACK releases the lock whatever happens. The runner's own BEGIN/COMMIT nest into it
    // (PostgreSQL only warns), and its COMMIT ends the run.
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [PG_MIGRATE_LOCK_ID]);
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
        // Several processes (replicas, the CLI) may start at once: the later ones wait on the
        // transaction lock above, taken on node-pg-migrate's key so older versions wait too.
        noLock: true,
        singleTransaction: true,
        log: () => undefined,
      });
      const names = applied.map((m) => m.name);
      if (names.length > 0) options.log?.(`${part}: applied ${names.join(', ')}`);
      results.push({ part, applied: names });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  return results;
}
