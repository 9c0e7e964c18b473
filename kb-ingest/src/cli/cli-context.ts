import { setTimeout as delay } from 'node:timers/promises';
import {
  connectPostgres,
  loadConfig,
  migratePostgres,
  type Database,
  type SwitchboardConfig,
} from '@switchboard/core';
import { postgresMigrations as coreMigrations } from '@switchboard/core/migrations';
import { postgresMigrations as outboxMigrations } from '@switchboard/events/migrations';
import { postgresMigrations as kbIngestMigrations } from '../../migrations/index.js';
import { assertLocalDatabaseExists } from '../db.js';

/** What the CLI's commands touch, in dependency order: the extensions, the knowledge tables, the outbox. */
export const CLI_POSTGRES_MIGRATIONS = [coreMigrations, kbIngestMigrations, outboxMigrations] as const;

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface CliContext {
  io: CliIo;
  config: SwitchboardConfig;
  json: boolean;
  /** Opened on first use: `--help` and usage errors need no database. */
  database(): Promise<Database>;
  close(): Promise<void>;
  print(human: string, json: unknown): void;
}

/**
 * Local mode goes through the running service's socket when `npm start` holds the data dir
 * (PGlite must never be opened by two processes), opens the database when it is there and
 * idle, and refuses to create one (db.ts); DATABASE_URL goes to the server.
 */
export function createCliContext(io: CliIo, options: { json: boolean; config?: string }): CliContext {
  const { config } = loadConfig({ env: io.env, ...(options.config ? { file: options.config } : {}) });
  let db: Promise<Database> | null = null;
  return {
    io,
    config,
    json: options.json,
    database() {
      db ??= (async () => {
        assertLocalDatabaseExists(config.database);
        const opened = await connectPostgres(config.database, {
          whenLocalInUse: 'connect',
          poolSize: 3,
          applicationName: 'kb-ingest',
        });
        try {
          await migrateWhenFree(opened);
        } catch (error) {
          await opened.close();
          throw error;
        }
        return opened;
      })();
      return db;
    },
    async close() {
      if (db) await (await db).close();
    },
    print(human, json) {
      io.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
    },
  };
}

/**
 * Migrations take a database-wide advisory lock and fail at once when another process holds
 * it (a service starting, another CLI): wait for it instead of failing the command.
 */
async function migrateWhenFree(db: Database): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migratePostgres(db, CLI_POSTGRES_MIGRATIONS);
      return;
    } catch (error) {
      if (attempt >= 60 || !/Another migration is already running/.test((error as Error).message))
        throw error;
      await delay(500);
    }
  }
}
