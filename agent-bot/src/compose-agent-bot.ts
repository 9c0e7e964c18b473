import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import { searchKnowledgeBases } from '@switchboard/kb-ingest';
import { createAssistantResponder } from './assistant/create-assistant-responder.js';
import type { Responder } from './responder/responder.js';
import type { Enricher } from './engine/engine-context.js';
import { buildAgentBotService, type AgentBotDependencies } from './service.js';
import type { ModelFactory } from './llm/create-language-model.js';
import { installMedia } from './media/install-media.js';
import { createOperatorTools } from './tools/operator-tools.js';
import { withToolReplies } from './tools/send-file/reply-queue.js';
import type { Tool } from './tools/tool.js';

export interface ComposeAgentBotOptions {
  config: SwitchboardConfig;
  db: Database;
  logger: Logger;
  /** Default: the real providers from the config (tests pass scripted models). */
  modelFactory?: ModelFactory;
  /** Tools beyond the configured ones (knowledge search, handoff and `tools:`), for tests. */
  tools?: Tool[];
  fetch?: typeof fetch;
}

export interface ComposedAgentBot {
  responder: Responder;
  enrichers: Enricher[];
  /** Closes what the tools opened (lookup connection pools). */
  close(): Promise<void>;
}

/**
 * The composition root of the assistant side: the assistant responder (models, tools, knowledge)
 * wrapped for media, and the media enricher for the engine's hook. Every entry point (the
 * production main, local mode, end-to-end tests) builds the agent-bot from this, so they all run
 * the same assistant.
 */
export function composeAgentBot(options: ComposeAgentBotOptions): ComposedAgentBot {
  const operator = createOperatorTools({
    config: options.config.tools,
    pool: () => options.db.pool,
    logger: options.logger,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Files the tools queue go out after the text, one attachment per message (WhatsApp).
  const assistant = withToolReplies(
    createAssistantResponder({
      config: options.config,
      db: options.db,
      logger: options.logger,
      knowledgeSearch: searchKnowledgeBases,
      tools: [...operator.tools, ...(options.tools ?? [])],
      ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
    }),
  );
  const media = installMedia({
    config: options.config,
    logger: options.logger,
    responder: assistant,
    ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
  });
  return { responder: media.responder, enrichers: [media.enricher], close: () => operator.close() };
}

/**
 * The agent-bot service with the composed assistant: what every entry point (the production
 * main, local mode) runs. The tools use the engine's database and their pools close
 * with the app.
 */
export function buildComposedAgentBotService(
  deps: Omit<AgentBotDependencies, 'responder' | 'enrichers'>,
): ReturnType<typeof buildAgentBotService> {
  const assistant = composeAgentBot({
    config: deps.config,
    db: deps.db,
    logger: deps.logger,
  });
  const app = buildAgentBotService({
    ...deps,
    responder: assistant.responder,
    enrichers: assistant.enrichers,
  });
  app.addHook('onClose', async () => assistant.close());
  return app;
}
