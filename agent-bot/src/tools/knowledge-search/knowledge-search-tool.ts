import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '@switchboard/core';
import { defineTool, type Tool } from '../tool.js';
import { knowledgeSearchEvent } from './knowledge-search-event.js';
import type { KnowledgeSearch } from './knowledge-search.js';

const parameters = z.strictObject({
  query: z.string().min(2).max(300).describe('What to look for, in the customer’s words or as keywords.'),
});

/** Lets the model search the assistant's knowledge bases itself (beyond what the prompt holds). */
export function createKnowledgeSearchTool(options: {
  db: Database['pool'];
  search: KnowledgeSearch;
}): Tool<typeof parameters> {
  return defineTool({
    name: 'knowledge_search',
    description:
      'Search the business’s knowledge base (opening hours, prices, policies, products). Use it before ' +
      'answering a factual question the prompt does not already answer. Returns passages with sources.',
    parameters,
    async execute(args, context) {
      const { assistant, turn } = context;
      const result = await options.search(
        options.db,
        {
          accountId: turn.accountId,
          knowledgeBases: assistant.knowledgeBases,
          query: args.query,
          limit: assistant.knowledge.passages || 4,
          ...(assistant.knowledge.minScore !== undefined ? { minScore: assistant.knowledge.minScore } : {}),
          conversationId: turn.conversationId,
          assistant: turn.assistant,
        },
        { record: false },
      );
      context.emit(knowledgeSearchEvent(turn, assistant.knowledgeBases, args.query, result, randomUUID()));
      if (result.miss || result.passages.length === 0) {
        return { found: false, note: 'Nothing in the knowledge base matches. Do not guess; offer a human.' };
      }
      return {
        found: true,
        passages: result.passages.map((p) => ({
          text: p.text,
          source: p.documentTitle || p.source,
          score: round(p.score),
        })),
      };
    },
  });
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
