import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  loadConfig,
  migrateClickHouse,
  migratePostgres,
  runMain,
} from '@switchboard/core';
import { buildAnalyticsService } from './service.js';

/** Production entry point: one analytics process (shippers coordinate through the outbox). */
await runMain('analytics', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'analytics' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, { log: (line) => logger.info(line) });
  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  await migrateClickHouse(clickhouse, { log: (line) => logger.info(line) });
  const app = buildAnalyticsService({ config, logger, db, clickhouse });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.analytics);
  logger.info(
    { config: file, postgres: db.displayUrl, clickhouse: clickhouse.displayUrl },
    `analytics listening on ${address}`,
  );
});
