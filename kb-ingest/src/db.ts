import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { readDataDirLock, StartupError, type SwitchboardConfig } from '@switchboard/core';

/** The one database boundary: a pg Pool or a client (inside the caller's transaction). */
export interface Queryable {
  query: pg.Pool['query'];
}

export { inTransaction } from '@switchboard/core';

/**
 * Local mode opens (and would create) PGlite in `database.local.dataDir`. A command run from
 * another directory, or without the SWITCHBOARD_DATA_DIR that `npm start` was given, would
 * silently get a new empty database ("No knowledge bases.", exit 0) instead of the service's.
 * So a command refuses when nothing serves the directory and no database is in it.
 */
export function assertLocalDatabaseExists(config: SwitchboardConfig['database']): void {
  if (config.url) return;
  const dataDir = path.resolve(config.local.dataDir);
  if (readDataDirLock(dataDir)) return;
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  throw new StartupError(
    [
      `No local database at ${dataDir}, and no running Switchboard holds that directory.`,
      'Start Switchboard first (`npm start` creates the database), or point kb-ingest at the one it uses:',
      '  SWITCHBOARD_DATA_DIR=<the directory npm start was given> (the database is its postgres/ folder),',
      '  database.local.dataDir in the file given with --config, or DATABASE_URL for a PostgreSQL server.',
    ].join('\n'),
  );
}
