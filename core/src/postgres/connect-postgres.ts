import pg from 'pg';
import { StartupError, redactUrl } from '../errors.js';
import type { SwitchboardConfig } from '../config/schema.js';
import { readDataDirLock } from './data-dir-lock.js';
import { startLocalPostgres, type LocalPostgres } from './local-postgres.js';

/**
 * The one way every part gets PostgreSQL. With `database.url` (DATABASE_URL) it is a pool to
 * that server; without it, local mode: this process starts the embedded PGlite and serves it,
 * or, when another process already serves the same data dir, connects through that process.
 */
export interface Database {
  readonly pool: pg.Pool;
  /** Full URL, password included: for clients that open their own connections (pg-boss, migrations). */
  readonly url: string;
  /** Safe to log. */
  readonly displayUrl: string;
  /** `server`: DATABASE_URL; `local`: this process serves the data dir; `local-shared`: another one does. */
  readonly mode: 'server' | 'local' | 'local-shared';
  /** search_path the pool uses when a schema was requested (tests). */
  readonly schema: string | null;
  close(): Promise<void>;
}

export interface ConnectPostgresOptions {
  /**
   * What to do when another live process holds the local data dir: `connect` goes through
   * its socket (CLIs), `fail` stops with a message naming its PID (a second `npm start`).
   */
  whenLocalInUse?: 'connect' | 'fail';
  /** Put every connection on this schema first (then public, where pgvector lives). */
  schema?: string;
  poolSize?: number;
  applicationName?: string;
}

export async function connectPostgres(
  config: SwitchboardConfig['database'],
  options: ConnectPostgresOptions = {},
): Promise<Database> {
  if (config.url) {
    const pool = await openVerifiedPool(config.url, config, options);
    return wrap(pool, config.url, 'server', options.schema ?? null, null);
  }

  const holder = readDataDirLock(config.local.dataDir);
  if (holder) {
    if (options.whenLocalInUse !== 'connect' || holder.port === null) {
      throw new StartupError(
        `The local database ${config.local.dataDir} is in use by PID ${holder.pid} (started ${holder.startedAt}). ` +
          `Stop that process first, or set DATABASE_URL to use a PostgreSQL server.`,
      );
    }
    const url = `postgres://postgres@127.0.0.1:${holder.port}/postgres`;
    const pool = await openVerifiedPool(url, config, options);
    return wrap(pool, url, 'local-shared', options.schema ?? null, null);
  }

  const local = await startLocalPostgres({
    dataDir: config.local.dataDir,
    port: config.local.port,
    maxConnections: config.local.maxConnections,
  });
  try {
    const pool = await openVerifiedPool(local.url, config, options);
    return wrap(pool, local.url, 'local', options.schema ?? null, local);
  } catch (error) {
    await local.stop();
    throw error;
  }
}

/** A pool on a URL, checked with one round trip so that a bad URL fails at start, not later. */
export async function openVerifiedPool(
  url: string,
  config: Pick<SwitchboardConfig['database'], 'poolSize' | 'connectTimeoutMs'>,
  options: ConnectPostgresOptions = {},
): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? config.poolSize,
    connectionTimeoutMillis: config.connectTimeoutMs,
    application_name: options.applicationName ?? 'switchboard',
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)},public` } : {}),
  });
  // An idle client losing its server must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StartupError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${describePgError(error)}`);
  }
  return pool;
}

function wrap(
  pool: pg.Pool,
  url: string,
  mode: Database['mode'],
  schema: string | null,
  local: LocalPostgres | null,
): Database {
  let closed = false;
  return {
    pool,
    url,
    displayUrl: redactUrl(url),
    mode,
    schema,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
      await local?.stop();
    },
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Node's connection errors are sometimes AggregateErrors with an empty message. */
export function describePgError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describePgError(error.errors[0]);
  }
  const err = error as NodeJS.ErrnoException;
  if (err?.message) return err.message;
  if (err?.code) return err.code;
  return String(error);
}
