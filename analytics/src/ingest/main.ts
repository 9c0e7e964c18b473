import { createLogger, loadConfig, runMain } from '@switchboard/core';
import { openAnalyticsClickHouse, openOutboxDatabase } from '../startup.js';
import { buildAnalyticsIngest } from './build-ingest.js';

/** analytics-ingest: account webhooks and the outbox shipper, on `server.analyticsIngest`. */
await runMain('analytics-ingest', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'analytics-ingest' });
  const db = await openOutboxDatabase(config, logger, onClose);
  const clickhouse = await openAnalyticsClickHouse(config, logger, onClose);
  const app = buildAnalyticsIngest({ config, logger, db, clickhouse });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.analyticsIngest);
  logger.info(
    { config: file, postgres: db.displayUrl, clickhouse: clickhouse.displayUrl },
    `analytics-ingest listening on ${address}`,
  );
});
