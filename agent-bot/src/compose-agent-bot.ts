import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import { searchKnowledgeBases } from '@switchboard/kb-ingest';
import { createAssistantResponder } from './assistant/create-assistant-responder.js';
import type { Responder } from './assistant/responder.js';
import type { Enricher } from './engine/engine-context.js';
import type { ModelFactory } from './llm/create-language-model.js';
import { installMedia } from './media/install-media.js';
import type { Tool } from './tools/tool.js';

export interface ComposeAgentBotOptions {
  config: SwitchboardConfig;
  db: Database;
  logger: Logger;
  /** Default: the real providers from the config (tests pass scripted models). */
  modelFactory?: ModelFactory;
  /** Tools beyond knowledge search and handoff, enabled per assistant by name. */
  tools?: Tool[];
}

/**
 * The composition root of the assistant side: the assistant responder (models, tools, knowledge)
 * wrapped for media, and the media enricher for the engine's hook. Every entry point (the
 * production main, local mode, end-to-end tests) builds the agent-bot from this, so they all run
 * the same assistant.
 */
export function composeAgentBot(options: ComposeAgentBotOptions): {
  responder: Responder;
  enrichers: Enricher[];
} {
  const assistant = createAssistantResponder({
    config: options.config,
    db: options.db,
    logger: options.logger,
    knowledgeSearch: searchKnowledgeBases,
    ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
  });
  const media = installMedia({
    config: options.config,
    logger: options.logger,
    responder: assistant,
    ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
  });
  return { responder: media.responder, enrichers: [media.enricher] };
}
