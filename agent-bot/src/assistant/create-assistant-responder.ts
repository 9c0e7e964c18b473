import type { Database, Logger, SwitchboardConfig } from '@switchboard/core';
import { createLanguageModel, type ModelFactory } from '../llm/create-language-model.js';
import { loadPriceTable, type PriceTable } from '../pricing/index.js';
import { createHandoffTool } from '../tools/handoff/handoff-tool.js';
import { createKnowledgeSearchTool } from '../tools/knowledge-search/knowledge-search-tool.js';
import type { KnowledgeSearch } from '../tools/knowledge-search/knowledge-search.js';
import { selectTools, type Tool } from '../tools/tool.js';
import { SpendLedger } from './budget/spend-ledger.js';
import { respondWithModels } from './model-responder.js';
import type { Responder, TurnContext, TurnReply } from '../responder/responder.js';

export interface AssistantResponderOptions {
  config: Pick<SwitchboardConfig, 'assistants'>;
  db: Pick<Database, 'pool'>;
  logger: Logger;
  knowledgeSearch: KnowledgeSearch;
  /** Default: the real providers from the config; tests pass ScriptedLanguageModels. */
  modelFactory?: ModelFactory;
  /** Extra tools beyond knowledge_search and handoff_to_human (enabled per assistant by name). */
  tools?: Tool[];
  /** Default: config/prices.yaml. */
  prices?: PriceTable;
  /** Test hook: replaces the wait between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * The Responder the conversation engine calls for every turn. Picks the assistant named by
 * TurnContext.assistant; checks at creation that every assistant's tools exist (a typo in the
 * config fails the start, not a conversation).
 */
export function createAssistantResponder(options: AssistantResponderOptions): Responder {
  const prices = options.prices ?? loadPriceTable();
  const ledger = new SpendLedger(options.db.pool);
  const modelFactory = options.modelFactory ?? createLanguageModel;
  const available: Tool[] = [
    createKnowledgeSearchTool({ db: options.db.pool, search: options.knowledgeSearch }),
    createHandoffTool(),
    ...(options.tools ?? []),
  ];
  const toolsByAssistant = new Map(
    Object.entries(options.config.assistants).map(([name, assistant]) => [
      name,
      selectTools(available, assistant.tools, name),
    ]),
  );

  return {
    async respond(turn: TurnContext): Promise<TurnReply> {
      const assistant = options.config.assistants[turn.assistant];
      if (!assistant) {
        options.logger.error(
          { assistant: turn.assistant, turnId: turn.turnId },
          'turn for an unknown assistant',
        );
        return {
          messages: [],
          handoff: {
            reason: 'other',
            summary: `No assistant named "${turn.assistant}" is configured for this inbox.`,
          },
        };
      }
      return respondWithModels(turn, assistant, {
        db: options.db,
        logger: options.logger,
        knowledgeSearch: options.knowledgeSearch,
        modelFactory,
        prices,
        ledger,
        tools: toolsByAssistant.get(turn.assistant) ?? [],
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
    },
  };
}
