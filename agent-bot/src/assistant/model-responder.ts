import { randomUUID } from 'node:crypto';
import type { AssistantConfig, Database, Logger, ModelRef } from '@switchboard/core';
import type { ModelFactory } from '../llm/create-language-model.js';
import type { LanguageModel } from '../llm/language-model.js';
import { ProviderCallError } from '../llm/provider-error.js';
import type { PriceTable } from '../pricing/index.js';
import { knowledgeSearchEvent } from '../tools/knowledge-search/knowledge-search-event.js';
import { answerUsesPassages } from './answer-grounding.js';
import type { KnowledgePassage, KnowledgeSearch } from '../tools/knowledge-search/knowledge-search.js';
import type { Tool } from '../tools/tool.js';
import { budgetEvent, checkBudget } from '../policies/budget.js';
import type { SpendLedger } from './budget/spend-ledger.js';
import { buildHandoff } from './build-handoff.js';
import { AllProvidersFailedError, createModelChain } from './model-chain.js';
import { answerOffline, customerText } from './offline/offline-responder.js';
import { asIntentLanguage, detectLanguage } from './offline/detect-language.js';
import { OFFLINE_WORDING } from './offline/offline-wording.js';
import { assemblePrompt } from './prompt/assemble-prompt.js';
import type { TurnContext, TurnReply } from '../responder/responder.js';
import { runToolLoop } from './tool-loop.js';

export interface ModelResponderDependencies {
  db: Pick<Database, 'pool'>;
  logger: Logger;
  knowledgeSearch: KnowledgeSearch;
  modelFactory: ModelFactory;
  prices: PriceTable;
  ledger: SpendLedger;
  /** The assistant's enabled tools, resolved at start. */
  tools: Tool[];
  /** Injected in tests so retries do not wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * One turn of a model-backed assistant: budget → models (primary + fallbacks with a key) →
 * retrieved knowledge → prompt → tool loop over the fallback chain → reply or handoff.
 * Without any usable model it is the offline assistant. Never returns an error text to the
 * customer: every failure becomes a handoff with a reason.
 */
export async function respondWithModels(
  turn: TurnContext,
  assistant: AssistantConfig,
  deps: ModelResponderDependencies,
): Promise<TurnReply> {
  const words = OFFLINE_WORDING[detectLanguage(customerText(turn), asIntentLanguage(assistant.language))];
  let refs: ModelRef[] = [assistant.model, ...assistant.fallbacks];

  const verdict = await checkBudget(deps.ledger, assistant, turn);
  if (verdict) {
    turn.emit(budgetEvent(turn, verdict));
    if (verdict.action === 'handoff') {
      const summary = `The ${verdict.scope === 'assistant' ? 'monthly' : 'conversation'} budget of $${verdict.limitUsd} is used up ($${verdict.spentUsd} spent).`;
      return {
        messages: [],
        handoff: buildHandoff(
          'budget_exhausted',
          summary,
          assistant.conversation.handoff.customerMessage ?? words.handoffUnavailable,
          assistant,
        ),
      };
    }
    if (verdict.action === 'knowledge_only') return answerOffline(turn, assistant, deps);
    refs = assistant.budget.cheaperModel ? [assistant.budget.cheaperModel] : [];
  }

  const models = refs
    .map((ref) => deps.modelFactory(ref))
    .filter((model): model is LanguageModel => model !== null);
  if (models.length === 0) return answerOffline(turn, assistant, deps);

  const deadline = AbortSignal.timeout(assistant.conversation.turnDeadlineMs);
  const signal = AbortSignal.any([turn.signal, deadline]);
  const knowledge = await retrieve(turn, assistant, deps);
  const passages = knowledge.passages;
  const prompt = assemblePrompt({
    assistant,
    turn,
    passages,
    supportsImages: models[0]!.supportsImages,
    toolNames: deps.tools.map((tool) => tool.name),
  });
  const chain = createModelChain({
    models,
    retry: {
      maxAttempts: assistant.resilience.maxAttempts,
      baseDelayMs: assistant.resilience.baseDelayMs,
      maxDelayMs: assistant.resilience.maxDelayMs,
      timeoutMs: assistant.resilience.callTimeoutMs,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    },
    prices: deps.prices,
    turn,
    emit: (event) => turn.emit(event),
    onSpend: async (costUsd, _model, priceVersion) => {
      await deps.ledger
        .record({
          assistant: turn.assistant,
          accountId: turn.accountId,
          conversationId: turn.conversationId,
          turnId: turn.turnId,
          kind: 'model',
          costUsd,
          priceVersion,
          occurredAt: turn.now,
        })
        .catch((error: unknown) =>
          deps.logger.warn({ err: error, turnId: turn.turnId }, 'spend ledger write failed'),
        );
    },
  });

  try {
    const result = await runToolLoop({
      generate: (request) => chain.generate(request),
      request: {
        system: prompt.system,
        messages: prompt.messages,
        temperature: assistant.temperature,
        maxOutputTokens: assistant.maxOutputTokens,
      },
      tools: deps.tools,
      maxSteps: assistant.maxToolSteps,
      signal,
      toolContext: { turn, assistant, emit: (event) => turn.emit(event) },
    });
    // A handoff or an answer that states none of the passages' facts: the knowledge did not answer.
    knowledge.record(
      result.stoppedBy === 'handoff' ? false : answerUsesPassages(result.text, customerText(turn), passages),
    );
    if (result.stoppedBy === 'handoff' && result.handoff) {
      const customerMessage = result.handoff.customerMessage ?? (result.text || undefined);
      return {
        messages: [],
        handoff: { ...result.handoff, ...(customerMessage ? { customerMessage } : {}) },
      };
    }
    if (result.text) return { messages: [{ kind: 'text', text: result.text }] };
    const why =
      result.stoppedBy === 'step_limit'
        ? `still calling tools after ${result.steps} steps`
        : 'the model returned no text';
    return {
      messages: [],
      handoff: buildHandoff(
        result.stoppedBy === 'step_limit' ? 'repeated_failures' : 'other',
        `No answer: ${why}. Customer: "${customerText(turn).slice(0, 300)}"`,
        assistant.conversation.handoff.customerMessage ?? words.handoffUnavailable,
        assistant,
      ),
    };
  } catch (error) {
    knowledge.record();
    // Superseded by newer customer messages: the engine starts a new turn; nothing to say.
    if (turn.signal.aborted) return { messages: [] };
    if (
      error instanceof AllProvidersFailedError ||
      (ProviderCallError.isInstance(error) && deadline.aborted)
    ) {
      const detail = error instanceof AllProvidersFailedError ? error.message : 'the turn deadline passed';
      deps.logger.warn(
        { turnId: turn.turnId, assistant: turn.assistant, detail },
        'no model could answer; handing off',
      );
      return {
        messages: [],
        handoff: buildHandoff(
          'provider_outage',
          `The AI could not answer (${detail}). Customer: "${customerText(turn).slice(0, 300)}"`,
          assistant.conversation.handoff.customerMessage ?? words.handoffUnavailable,
          assistant,
        ),
      };
    }
    throw error;
  }
}

/**
 * Passages for the prompt; a failing search degrades to none (the model can still answer or
 * hand off). Its knowledge_search event waits for the answer: `record(used)` says whether the
 * answer drew on the passages (a search whose passages went unused is a knowledge miss).
 */
async function retrieve(
  turn: TurnContext,
  assistant: AssistantConfig,
  deps: ModelResponderDependencies,
): Promise<{ passages: KnowledgePassage[]; record(used?: boolean): void }> {
  const query = customerText(turn);
  const none = { passages: [], record: () => undefined };
  if (assistant.knowledgeBases.length === 0 || assistant.knowledge.passages === 0 || !query) return none;
  try {
    const result = await deps.knowledgeSearch(
      deps.db.pool,
      {
        accountId: turn.accountId,
        knowledgeBases: assistant.knowledgeBases,
        query,
        limit: assistant.knowledge.passages,
        ...(assistant.knowledge.minScore !== undefined ? { minScore: assistant.knowledge.minScore } : {}),
        conversationId: turn.conversationId,
        assistant: turn.assistant,
      },
      { record: false },
    );
    const id = randomUUID();
    let recorded = false;
    const record = (used?: boolean): void => {
      if (recorded) return;
      recorded = true;
      turn.emit(knowledgeSearchEvent(turn, assistant.knowledgeBases, query, result, id, { used }));
    };
    if (result.miss) return { passages: [], record };
    const minScore = assistant.knowledge.minScore;
    return { passages: result.passages.filter((p) => minScore === undefined || p.score >= minScore), record };
  } catch (error) {
    deps.logger.warn(
      { err: error, turnId: turn.turnId },
      'knowledge search failed; answering without passages',
    );
    return none;
  }
}
