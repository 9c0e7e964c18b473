import { createLogger, loadConfig, runMain } from '@switchboard/core';
import { buildAnalyticsService } from './service.js';
import { openAnalyticsClickHouse, openOutboxDatabase } from './startup.js';

/**
 * Ingest and serve in one process, on `server.analytics` (small deployments; `npm start` builds
 * the same service in-process). docker-compose runs src/ingest/main.ts and src/serve/main.ts.
 */
await runMain('analytics', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'analytics' });
  const db = await openOutboxDatabase(config, logger, onClose);
  const clickhouse = await openAnalyticsClickHouse(config, logger, onClose);
  const app = buildAnalyticsService({ config, logger, db, clickhouse });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.analytics);
  logger.info(
    { config: file, postgres: db.displayUrl, clickhouse: clickhouse.displayUrl },
    `analytics (ingest + serve) listening on ${address}`,
  );
});
