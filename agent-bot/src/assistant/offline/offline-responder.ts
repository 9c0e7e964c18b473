import { randomUUID } from 'node:crypto';
import type { AssistantConfig, Database } from '@switchboard/core';
import { knowledgeSearchEvent } from '../../tools/knowledge-search/knowledge-search-event.js';
import type { KnowledgePassage, KnowledgeSearch } from '../../tools/knowledge-search/knowledge-search.js';
import { buildHandoff } from '../build-handoff.js';
import type { TurnContext, TurnReply } from '../../responder/responder.js';
import { asIntentLanguage, detectLanguage } from './detect-language.js';
import { detectIntent, type IntentLanguage } from './intents.js';
import { OFFLINE_WORDING } from './offline-wording.js';
import { shortenForWhatsApp } from './shorten-for-whatsapp.js';

export interface OfflineDependencies {
  db: Pick<Database, 'pool'>;
  knowledgeSearch: KnowledgeSearch;
}

/**
 * The assistant without a model (no key configured, or a knowledge-only budget): rule intents
 * first (ask for a human → handoff, greeting, thanks), then the best knowledge passage by
 * hybrid retrieval, shortened for WhatsApp and labelled as an automatic answer with its
 * source. When nothing matches well enough it hands off rather than guess.
 */
export async function answerOffline(
  turn: TurnContext,
  assistant: AssistantConfig,
  deps: OfflineDependencies,
): Promise<TurnReply> {
  const question = customerText(turn);
  const policy = assistant.conversation.handoff;
  const fallbackLanguage = asIntentLanguage(assistant.language);
  const intent = detectIntent(question, policy.keywords);
  const language: IntentLanguage = intent?.language ?? detectLanguage(question, fallbackLanguage);
  const words = OFFLINE_WORDING[language];

  if (intent?.intent === 'human') {
    return {
      messages: [],
      handoff: buildHandoff(
        intent.language ? 'customer_request' : 'keyword',
        `The customer asked for a person: "${clip(question)}"`,
        policy.customerMessage ?? words.handoffOnRequest,
        assistant,
      ),
    };
  }
  if (intent?.intent === 'greeting')
    return { messages: [{ kind: 'text', text: words.greeting(assistant.name) }] };
  if (intent?.intent === 'thanks') return { messages: [{ kind: 'text', text: words.thanks }] };

  const found = await bestPassage(turn, assistant, deps, question);
  if (!found || 'failed' in found) {
    return {
      messages: [],
      handoff: buildHandoff(
        found ? 'other' : 'low_confidence',
        found
          ? `The knowledge base could not be searched (${found.failed.slice(0, 200)}); question: "${clip(question)}"`
          : `No knowledge-base passage answers: "${clip(question)}" (offline assistant).`,
        policy.customerMessage ?? words.handoffNoAnswer,
        assistant,
      ),
    };
  }
  const best = found.passage;
  const body =
    turn.channel === 'whatsapp' || turn.channel === 'test' ? shortenForWhatsApp(best.text) : best.text.trim();
  const source =
    best.documentTitle && best.documentTitle !== best.source
      ? `${best.documentTitle} (${best.source})`
      : best.source || best.documentTitle;
  return {
    messages: [
      {
        kind: 'text',
        text: `🤖 *${words.automaticAnswer}*\n\n${body}\n\n${words.source}: ${source}\n${words.askHuman}`,
      },
    ],
  };
}

async function bestPassage(
  turn: TurnContext,
  assistant: AssistantConfig,
  deps: OfflineDependencies,
  question: string,
): Promise<{ passage: KnowledgePassage } | { failed: string } | null> {
  if (assistant.knowledgeBases.length === 0 || !question.trim()) return null;
  let result: Awaited<ReturnType<KnowledgeSearch>>;
  try {
    result = await deps.knowledgeSearch(
      deps.db.pool,
      {
        accountId: turn.accountId,
        knowledgeBases: assistant.knowledgeBases,
        query: question,
        limit: 3,
        ...(assistant.knowledge.minScore !== undefined ? { minScore: assistant.knowledge.minScore } : {}),
        conversationId: turn.conversationId,
        assistant: turn.assistant,
      },
      { record: false },
    );
  } catch (error) {
    // No knowledge base reachable: a person answers rather than nobody.
    return { failed: error instanceof Error ? error.message : String(error) };
  }
  turn.emit(knowledgeSearchEvent(turn, assistant.knowledgeBases, question, result, randomUUID()));
  const top = result.passages[0];
  if (result.miss || !top) return null;
  if (assistant.knowledge.minScore !== undefined && top.score < assistant.knowledge.minScore) return null;
  return { passage: top };
}

/** The messages this turn answers, with their media enrichment (voice-note transcripts...). */
export function customerText(turn: TurnContext): string {
  const entries = turn.pending.length
    ? turn.pending
    : turn.transcript.filter((e) => e.author === 'customer').slice(-1);
  return entries
    .map((entry) =>
      [entry.selectedOption, entry.text, entry.enrichment].filter((part) => part && part.trim()).join('\n'),
    )
    .filter(Boolean)
    .join('\n')
    .trim();
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
