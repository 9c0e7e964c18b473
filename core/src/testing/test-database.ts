import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres, quoteIdent, type Database } from '../postgres/connect-postgres.js';
import { startLocalPostgres } from '../postgres/local-postgres.js';
import { migratePostgres, type PostgresMigrations } from '../postgres/migrate-postgres.js';
import { registeredTestMigrations } from './test-migrations.js';

export interface TestDatabase extends Database {
  /** `server`: TEST_DATABASE_URL; `pglite`: an in-memory PGlite of this test's own. */
  readonly kind: 'server' | 'pglite';
  /** Drops the schema (or stops the PGlite) and closes the pool. */
  drop(): Promise<void>;
}

/**
 * A database of one's own for a test, with the registered migrations (every part's) applied, so that tests
 * run in parallel and never see each other's rows:
 * - TEST_DATABASE_URL set (CI: real PostgreSQL + pgvector): a fresh schema on that server;
 * - unset: a fresh in-memory PGlite + pgvector served on a loopback port. (A schema per test
 *   would not do here: all connections to one PGlite share a single session, search_path
 *   included.)
 */
export async function createTestDatabase(
  options: { migrate?: boolean; migrations?: readonly PostgresMigrations[]; poolSize?: number } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const poolConfig = {
    poolSize: options.poolSize ?? 5,
    connectTimeoutMs: 10_000,
    local: { dataDir: '', port: 0, maxConnections: 2 },
  };
  let db: Database;
  let cleanup: (db: Database) => Promise<void>;

  if (serverUrl) {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    } finally {
      await admin.end();
    }
    db = await connectPostgres({ ...poolConfig, url: serverUrl }, { schema });
    cleanup = async (opened) => {
      await opened.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
      await opened.close();
    };
  } else {
    const local = await startLocalPostgres({ dataDir: null, port: 0, maxConnections: 100 });
    db = await connectPostgres({ ...poolConfig, url: local.url });
    cleanup = async (opened) => {
      await opened.close();
      await local.stop();
    };
  }

  if (options.migrate !== false) {
    await migratePostgres(db, options.migrations ?? registeredTestMigrations().postgres);
  }
  let dropped = false;
  return {
    ...db,
    kind: serverUrl ? 'server' : 'pglite',
    async drop() {
      if (dropped) return;
      dropped = true;
      await cleanup(db);
    },
  };
}
