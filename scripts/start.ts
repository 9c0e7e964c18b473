import path from 'node:path';
import {
  connectClickHouse,
  connectPostgres,
  createLogger,
  loadConfig,
  migrateClickHouse,
  migratePostgres,
  runMain,
} from '@switchboard/core';
import { buildComposedAgentBotService } from '@switchboard/agent-bot';
import { ACCOUNT_WEBHOOK_PATH, buildAnalyticsService } from '@switchboard/analytics';
import { createChatwootSimulator, type ChatwootSimulator } from '@switchboard/simulator';
import {
  ensureSampleKnowledge,
  registerPlayground,
  seedPlayground,
  type PlaygroundSeed,
} from '@switchboard/playground';
import { ALL_CLICKHOUSE_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from './migrations.js';

/**
 * `npm start`: every service in one process. Without DATABASE_URL / CLICKHOUSE_URL this is
 * local mode: embedded PostgreSQL (PGlite + pgvector, served on 127.0.0.1 for other
 * processes) and embedded ClickHouse (chdb), with their data under ./data. With
 * `playground.enabled` (the committed config) it also runs the Chatwoot simulator, seeded from
 * the config, and the playground page.
 */
await runMain('switchboard', async (onClose) => {
  const loaded = loadConfig();
  const file = loaded.file;
  let config = loaded.config;
  const logger = createLogger({ ...config.logging, name: 'switchboard' });
  logger.info(`configuration: ${file ?? 'defaults (no config/switchboard.yaml)'}`);

  const db = await connectPostgres(config.database, { whenLocalInUse: 'fail' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, ALL_POSTGRES_MIGRATIONS, {
    log: (line) => logger.info(`postgres migration ${line}`),
  });
  logger.info(
    `postgres: ${db.mode === 'local' ? `local (${config.database.local.dataDir}) served at ` : ''}${db.displayUrl}`,
  );

  const clickhouse = await connectClickHouse(config.clickhouse);
  onClose({ name: 'clickhouse', close: () => clickhouse.close() });
  await migrateClickHouse(clickhouse, ALL_CLICKHOUSE_MIGRATIONS, { log: (line) => logger.info(line) });
  logger.info(`clickhouse: ${clickhouse.displayUrl} (database ${clickhouse.database})`);

  let sim: ChatwootSimulator | null = null;
  const simulatorDataDir = path.join(path.dirname(config.database.local.dataDir), 'simulator');
  if (config.playground.enabled) {
    sim = await createChatwootSimulator({
      // Beside the embedded stores (SWITCHBOARD_DATA_DIR): the bot's state and the simulator's ids survive restarts together.
      dataDir: simulatorDataDir,
      port: config.server.simulator.port,
      host: config.server.simulator.host,
      // The bot is on this machine: allowed as SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true allows it in Chatwoot.
      behaviour: { autoReceipts: true, blockPrivateNetwork: false },
    });
    onClose({ name: 'simulator', close: () => sim!.close() });
    // The playground's account is the in-process simulator, wherever it listens (port 0 in tests).
    const simulatorUrl = sim.url;
    config = {
      ...config,
      chatwoot: {
        ...config.chatwoot,
        accounts: config.chatwoot.accounts.map((entry, index) =>
          index === 0 ? { ...entry, baseUrl: simulatorUrl } : entry,
        ),
      },
      // The simulator serves voice notes and images on loopback: allow exactly its host for
      // media downloads (production keeps private addresses blocked, see agent-bot/docs/media.md).
      media: {
        ...config.media,
        fetch: {
          ...config.media.fetch,
          privateAddressHosts: [...config.media.fetch.privateAddressHosts, new URL(simulatorUrl).origin],
        },
      },
    };
    const account = config.chatwoot.accounts[0];
    if (account) {
      await ensureSampleKnowledge(db.pool, logger, {
        accountId: account.id,
        knowledgeBase: config.playground.sampleKnowledge.knowledgeBase,
        path: config.playground.sampleKnowledge.path,
      });
    }
  }

  const analytics = buildAnalyticsService({
    config,
    logger: logger.child({ service: 'analytics' }),
    db,
    clickhouse,
  });
  onClose({ name: 'analytics', close: () => analytics.close() });

  const agentBot = buildComposedAgentBotService({
    config,
    logger: logger.child({ service: 'agent-bot' }),
    db,
    clickhouse,
    // The playground's clock control moves the simulator's clock; the bot must see the same time.
    ...(sim ? { clock: { now: () => new Date(sim!.clock.now()) } } : {}),
  });
  onClose({ name: 'agent-bot', close: () => agentBot.close() });

  let seed: PlaygroundSeed | null = null;
  if (sim) {
    await registerPlayground(agentBot, {
      sim,
      config,
      clickhouse,
      seed: () => seed!,
      dataDir: simulatorDataDir,
    });
  }

  const analyticsUrl = await analytics.listen(config.server.analytics);
  const agentBotUrl = await agentBot.listen(config.server.agentBot);

  if (sim) {
    seed = seedPlayground(sim, config, {
      agentBotWebhook: `${agentBotUrl}/webhooks/chatwoot`,
      analyticsWebhook: `${analyticsUrl}${ACCOUNT_WEBHOOK_PATH.replace(':accountId', String(config.chatwoot.accounts[0]!.id))}`,
    });
    logger.info(
      `chatwoot simulator: ${sim.url} (account ${seed.accountId}, ${seed.inboxes.length} inbox(es))`,
    );
  }
  logger.info(
    `agent-bot: ${agentBotUrl} (health: ${agentBotUrl}/healthz, webhook: ${agentBotUrl}/webhooks/chatwoot)`,
  );
  logger.info(`analytics: ${analyticsUrl} (health: ${analyticsUrl}/healthz)`);
  if (sim) logger.info(`playground: ${agentBotUrl}/playground`);
  logger.info('ready; press Ctrl-C to stop');
});
