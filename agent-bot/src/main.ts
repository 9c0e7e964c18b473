import { connectPostgres, createLogger, loadConfig, migratePostgres, runMain } from '@switchboard/core';
import { composeAgentBot } from './compose-agent-bot.js';
import { buildAgentBotService } from './service.js';

/** Production entry point: one agent-bot process (scale out by running more). */
await runMain('agent-bot', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'agent-bot' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, { log: (line) => logger.info(line) });
  // The same composition as local mode: the assistant wrapped for media, and the media enricher.
  const holder: { app?: ReturnType<typeof buildAgentBotService> } = {};
  const assistant = composeAgentBot({
    config,
    db,
    logger,
    toolsPool: () => holder.app?.engine.context.db.pool ?? db.pool,
  });
  onClose({ name: 'tools', close: () => assistant.close() });
  const app = buildAgentBotService({
    config,
    logger,
    db,
    responder: assistant.responder,
    enrichers: assistant.enrichers,
  });
  holder.app = app;
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.agentBot);
  logger.info({ config: file, postgres: db.displayUrl }, `agent-bot listening on ${address}`);
});
