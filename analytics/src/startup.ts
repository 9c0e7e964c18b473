import {
  connectClickHouse,
  connectPostgres,
  migrateClickHouse,
  migratePostgres,
  type ClickHouse,
  type Closable,
  type Database,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';
import { postgresMigrations as coreMigrations } from '@switchboard/core/migrations';
import { postgresMigrations as outboxMigrations } from '@switchboard/events/migrations';
import { clickhouseMigrations } from '../migrations/index.js';

type OnClose = (resource: Closable) => void;

/**
 * PostgreSQL for the write side. It reads only the outbox; each producer migrates its own tables.
 */
export async function openOutboxDatabase(
  config: SwitchboardConfig,
  logger: Logger,
  onClose: OnClose,
): Promise<Database> {
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, [coreMigrations, outboxMigrations], { log: (line) => logger.info(line) });
  return db;
}

/**
 * ClickHouse, migrated. Both halves migrate, so either may start first; migrations are idempotent
 * and recorded, as with several analytics processes before the split.
 */
export async function openAnalyticsClickHouse(
  config: SwitchboardConfig,
  logger: Logger,
  onClose: OnClose,
): Promise<ClickHouse> {
  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  await migrateClickHouse(clickhouse, clickhouseMigrations, { log: (line) => logger.info(line) });
  return clickhouse;
}
