import { createLogger, loadConfig, runMain } from '@switchboard/core';
import { openAnalyticsClickHouse } from '../startup.js';
import { buildAnalyticsServe } from './build-serve.js';

/** analytics-serve: metrics/export API and the insight panel, on `server.analytics`. No PostgreSQL. */
await runMain('analytics-serve', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'analytics-serve' });
  const clickhouse = await openAnalyticsClickHouse(config, logger, onClose);
  const app = buildAnalyticsServe({ config, logger, clickhouse });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.analytics);
  logger.info({ config: file, clickhouse: clickhouse.displayUrl }, `analytics-serve listening on ${address}`);
});
