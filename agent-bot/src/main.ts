import { connectPostgres, createLogger, loadConfig, migratePostgres, runMain } from '@switchboard/core';
import { buildComposedAgentBotService } from './compose-agent-bot.js';

/** Production entry point: one agent-bot process (scale out by running more). */
await runMain('agent-bot', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'agent-bot' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  await migratePostgres(db, { log: (line) => logger.info(line) });
  // The same composition as local mode: assistant, tools and media.
  const app = buildComposedAgentBotService({ config, logger, db });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.agentBot);
  logger.info({ config: file, postgres: db.displayUrl }, `agent-bot listening on ${address}`);
});
