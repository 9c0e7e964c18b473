import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../errors.js';
import { tryLockDataDir } from './data-dir-lock.js';
import {
  ServerThreadStartError,
  startPGliteServerThread,
  type PGliteServerThread,
} from './pglite-server-thread.js';

/**
 * Local mode's PostgreSQL: PGlite (PostgreSQL 18 in WASM) with pgvector, on a worker thread of
 * its own (pglite-server-thread.ts), served over the wire protocol on 127.0.0.1 so that every part, and other processes (the kb-ingest CLI,
 * psql), talk to it with an ordinary `pg` client exactly as they would to a real server.
 * Each connection gets the one PGlite session for a whole protocol cycle or transaction at a
 * time (see pglite-wire-server.ts), so parts use ordinary pools on it.
 */
export interface LocalPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  /** Null when the database lives in memory (tests). */
  readonly dataDir: string | null;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Directory of the database files; null keeps it in memory (tests). */
  dataDir: string | null;
  port: number;
  maxConnections: number;
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDir = options.dataDir === null ? null : path.resolve(options.dataDir);
  let lock = null;
  if (dataDir !== null) {
    const attempt = tryLockDataDir(dataDir);
    if (!attempt.acquired) {
      throw new StartupError(
        `The local database ${dataDir} is in use by PID ${attempt.holder.pid} (started ${attempt.holder.startedAt}). ` +
          `Stop that process, or let this command connect through it.`,
      );
    }
    lock = attempt.lock;
    fs.mkdirSync(dataDir, { recursive: true });
  }

  try {
    let server: PGliteServerThread;
    try {
      server = await startPGliteServerThread({
        dataDir,
        host: '127.0.0.1',
        port: options.port,
        maxConnections: options.maxConnections,
      });
    } catch (error) {
      if (!(error instanceof ServerThreadStartError) || error.stage !== 'listen') throw error;
      throw new StartupError(
        `Local PostgreSQL could not listen on 127.0.0.1:${options.port}: ${(error as Error).message}. ` +
          `Set database.local.port (or LOCAL_POSTGRES_PORT) to a free port.`,
      );
    }
    const port = server.port;
    lock?.setPort(port);
    let stopped = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await server.stop();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
