import { connectPostgres, createLogger, loadConfig, migratePostgres, runMain } from '@switchboard/core';
import { postgresMigrations as coreMigrations } from '@switchboard/core/migrations';
import { postgresMigrations as outboxMigrations } from '@switchboard/events/migrations';
import { postgresMigrations as kbIngestMigrations } from '@switchboard/kb-ingest/migrations';
import { postgresMigrations as agentBotMigrations } from '../migrations/index.js';
import { buildComposedAgentBotService } from './compose-agent-bot.js';

/** Production entry point: one agent-bot process (scale out by running more). */
await runMain('agent-bot', async (onClose) => {
  const { config, file } = loadConfig();
  const logger = createLogger({ ...config.logging, name: 'agent-bot' });
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  // Dependency order: the extensions, the knowledge tables it searches, the outbox, its own tables.
  await migratePostgres(db, [coreMigrations, kbIngestMigrations, outboxMigrations, agentBotMigrations], {
    log: (line) => logger.info(line),
  });
  // The same composition as local mode: assistant, tools and media.
  const app = buildComposedAgentBotService({ config, logger, db });
  onClose({ name: 'http', close: () => app.close() });
  const address = await app.listen(config.server.agentBot);
  logger.info({ config: file, postgres: db.displayUrl }, `agent-bot listening on ${address}`);
});
