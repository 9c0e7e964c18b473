import {
  connectPostgres,
  loadConfig,
  migratePostgres,
  type Database,
  type SwitchboardConfig,
} from '@switchboard/core';

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
 * (PGlite must never be opened by two processes); DATABASE_URL goes to the server.
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
        const opened = await connectPostgres(config.database, {
          whenLocalInUse: 'connect',
          poolSize: 3,
          applicationName: 'kb-ingest',
        });
        try {
          await migratePostgres(opened);
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
