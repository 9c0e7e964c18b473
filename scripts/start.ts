import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  loadConfig,
  migrateClickHouse,
  migratePostgres,
  runMain,
} from '@switchboard/core';
import { buildAgentBotService } from '@switchboard/agent-bot';
import { buildAnalyticsService } from '@switchboard/analytics';

/**
 * `npm start`: every service in one process. Without DATABASE_URL / CLICKHOUSE_URL this is
 * local mode: embedded PostgreSQL (PGlite + pgvector, served on 127.0.0.1 for other
 * processes) and embedded ClickHouse (chdb), with their data under ./data.
 */
await runMain('switchboard', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'switchboard' });
  logger.info(`configuration: ${file ?? 'defaults (no config/switchboard.yaml)'}`);

  const db = await connectPostgres(config.database, { whenLocalInUse: 'fail' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, { log: (line) => logger.info(`postgres migration ${line}`) });
  logger.info(
    `postgres: ${db.mode === 'local' ? `local (${config.database.local.dataDir}) served at ` : ''}${db.displayUrl}`,
  );

  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  await migrateClickHouse(clickhouse, { log: (line) => logger.info(line) });
  logger.info(`clickhouse: ${clickhouse.displayUrl} (database ${clickhouse.database})`);

  const analytics = buildAnalyticsService({
    config,
    logger: logger.child({ service: 'analytics' }),
    db,
    clickhouse,
  });
  onClose({ name: 'analytics', close: () => analytics.close() });
  const analyticsUrl = await analytics.listen(config.server.analytics);

  const agentBot = buildAgentBotService({
    config,
    logger: logger.child({ service: 'agent-bot' }),
    db,
    clickhouse,
  });
  onClose({ name: 'agent-bot', close: () => agentBot.close() });
  const agentBotUrl = await agentBot.listen(config.server.agentBot);

  logger.info(
    `agent-bot: ${agentBotUrl} (health: ${agentBotUrl}/healthz, webhook: ${agentBotUrl}/webhooks/chatwoot)`,
  );
  logger.info(`analytics: ${analyticsUrl} (health: ${analyticsUrl}/healthz)`);
  logger.info('ready; press Ctrl-C to stop');
});
