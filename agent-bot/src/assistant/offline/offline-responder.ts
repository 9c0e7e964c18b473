import { randomUUID } from 'node:crypto';
import type { AssistantConfig, Database } from '@switchboard/core';
import { knowledgeSearchEvent } from '../../tools/knowledge-search/knowledge-search-event.js';
import type {
  KnowledgeSearch,
  KnowledgeSearchResult,
} from '../../tools/knowledge-search/knowledge-search.js';
import { buildHandoff } from '../build-handoff.js';
import type { TurnContext, TurnReply } from '../../responder/responder.js';
import { asIntentLanguage, detectLanguage } from './detect-language.js';
import { detectIntent, type IntentLanguage } from './intents.js';
import { expandQuery } from './answer-terms.js';
import { answerPart, type PartAnswer } from './compose-answer.js';
import { formatOfflineAnswer } from './format-offline-answer.js';
import { businessName, OFFLINE_WORDING } from './offline-wording.js';
import { questionParts } from './question-parts.js';

export interface OfflineDependencies {
  db: Pick<Database, 'pool'>;
  knowledgeSearch: KnowledgeSearch;
}

/**
 * The assistant without a model (no key configured, or a knowledge-only budget): rule intents
 * first (ask for a human → handoff, greeting, thanks), then, for each question in the message,
 * the sentences of the knowledge base that answer it (hybrid retrieval, then the passage's own
 * sentences that contain the question's words), labelled as an automatic answer with their
 * sources. A part nothing answers is said so; when no part is answered it hands off rather
 * than guess.
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
    return { messages: [{ kind: 'text', text: words.greeting(businessName(assistant.name)) }] };
  if (intent?.intent === 'thanks') return { messages: [{ kind: 'text', text: words.thanks }] };

  const found = await answerFromKnowledge(turn, assistant, deps, question);
  const answered = 'parts' in found ? found.parts.filter((p) => p.sentences.length > 0) : [];
  if ('failed' in found || answered.length === 0) {
    const failed = 'failed' in found;
    return {
      messages: [],
      handoff: buildHandoff(
        failed ? 'other' : 'low_confidence',
        failed
          ? `The knowledge base could not be searched (${found.failed.slice(0, 200)}); question: "${clip(question)}"`
          : `No knowledge-base passage answers: "${clip(question)}" (offline assistant).`,
        policy.customerMessage ?? words.handoffNoAnswer,
        assistant,
      ),
    };
  }
  const whatsapp = turn.channel === 'whatsapp' || turn.channel === 'test';
  return { messages: [{ kind: 'text', text: formatOfflineAnswer(found.parts, words, whatsapp) }] };
}

/**
 * Each part of the question searched on its own; every search is recorded as a knowledge_search
 * event whose outcome says whether the answer used it (a passage retrieved but not good enough
 * to answer with is a miss: that is what the knowledge-gap report is for).
 */
async function answerFromKnowledge(
  turn: TurnContext,
  assistant: AssistantConfig,
  deps: OfflineDependencies,
  question: string,
): Promise<{ parts: PartAnswer[] } | { failed: string }> {
  if (assistant.knowledgeBases.length === 0 || !question.trim()) return { parts: [] };
  const parts = questionParts(question);
  const answers: PartAnswer[] = [];
  for (const part of parts.length > 0 ? parts : [question]) {
    let result: KnowledgeSearchResult;
    try {
      result = await deps.knowledgeSearch(
        deps.db.pool,
        {
          accountId: turn.accountId,
          knowledgeBases: assistant.knowledgeBases,
          query: expandQuery(part),
          // More passages than are shown: how many of them share a word says how telling it is.
          limit: 6,
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
    const answer = answerPart(part, result.passages);
    answers.push(answer);
    turn.emit(
      knowledgeSearchEvent(turn, assistant.knowledgeBases, part, result, randomUUID(), {
        used: answer.sentences.length > 0,
      }),
    );
  }
  return { parts: answers };
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
