import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  loadConfig,
  migrateClickHouse,
  migratePostgres,
  runMain,
} from '@switchboard/core';
import { postgresMigrations as coreMigrations } from '@switchboard/core/migrations';
import { postgresMigrations as outboxMigrations } from '@switchboard/events/migrations';
import { clickhouseMigrations } from '../migrations/index.js';
import { buildAnalyticsService } from './service.js';

/** Production entry point: one analytics process (shippers coordinate through the outbox). */
await runMain('analytics', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'analytics' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  // It reads only the outbox in PostgreSQL; each producer migrates its own tables.
  await migratePostgres(db, [coreMigrations, outboxMigrations], { log: (line) => logger.info(line) });
  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  await migrateClickHouse(clickhouse, clickhouseMigrations, { log: (line) => logger.info(line) });
  const app = buildAnalyticsService({ config, logger, db, clickhouse });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.analytics);
  logger.info(
    { config: file, postgres: db.displayUrl, clickhouse: clickhouse.displayUrl },
    `analytics listening on ${address}`,
  );
});
