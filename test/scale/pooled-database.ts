import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres, migratePostgres, type Database } from '@switchboard/core';
import { postgresMigrations as core } from '@switchboard/core/migrations';
import { postgresMigrations as kbIngest } from '@switchboard/kb-ingest/migrations';
import { postgresMigrations as outbox } from '@switchboard/events/migrations';
import { postgresMigrations as agentBot } from '@switchboard/agent-bot/migrations';

/** Every part's migrations in the order scripts/migrations.ts applies them. */
export const ALL_MIGRATIONS = [core, kbIngest, outbox, agentBot];

/**
 * The PgBouncer of scripts/pgbouncer-test-server.sh (TEST_PGBOUNCER_URL) in front of the test
 * server (TEST_DATABASE_URL). CI sets both for its real-server runs, so there a missing pooler
 * fails instead of skipping; its PGlite run (no TEST_DATABASE_URL) has no server to pool.
 */
export function pgbouncerUrls(): { direct: string; pooled: string } | null {
  const direct = process.env.TEST_DATABASE_URL;
  const pooled = process.env.TEST_PGBOUNCER_URL;
  if (direct && pooled) return { direct, pooled };
  if (process.env.CI && direct)
    throw new Error('CI must set TEST_PGBOUNCER_URL beside TEST_DATABASE_URL (.ci/run)');
  return null;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface ScratchDatabase {
  name: string;
  directUrl: string;
  pooledUrl: string;
  /** A pool through PgBouncer: the way a scaled-out deployment connects. */
  connect(poolSize?: number): Promise<Database>;
  /** Runs SQL on the server directly (not through the pooler): what the test inspects. */
  inspect<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * A database of its own on the test server, reached through PgBouncer. A database rather than a
 * schema: the per-test schemas of createTestDatabase ride on the `options` startup parameter
 * (search_path), which PgBouncer 1.18 refuses, and production uses the default search_path anyway.
 */
export async function createScratchDatabase(urls: {
  direct: string;
  pooled: string;
}): Promise<ScratchDatabase> {
  const name = `sb_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withClient(urls.direct, (client) => client.query(`CREATE DATABASE ${name}`));
  const directUrl = withDatabase(urls.direct, name);
  const pooledUrl = withDatabase(urls.pooled, name);
  const opened: Database[] = [];
  return {
    name,
    directUrl,
    pooledUrl,
    async connect(poolSize = 5) {
      const db = await connectPostgres({
        url: pooledUrl,
        poolSize,
        connectTimeoutMs: 10_000,
        local: { dataDir: '', port: 0, maxConnections: 2 },
      });
      opened.push(db);
      return db;
    },
    inspect: (sql, values = []) =>
      withClient(directUrl, async (client) => (await client.query(sql, values)).rows),
    async drop() {
      await Promise.all(opened.map((db) => db.close()));
      await withClient(urls.direct, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function migrateThroughPooler(db: Database): Promise<void> {
  await migratePostgres(db, ALL_MIGRATIONS);
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
