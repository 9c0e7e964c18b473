import { randomUUID } from 'node:crypto';
import type { AnalyticsEventInput } from '@switchboard/events';
import type { GenerateRequest, GenerateResult, LanguageModel, ModelUsage } from '../llm/language-model.js';
import { ProviderCallError, describeError } from '../llm/provider-error.js';
import { callWithRetry, type RetryOptions } from '../llm/retry-policy.js';
import { estimateInputUsage } from '../llm/estimate-input-tokens.js';
import { emptyUsage } from '../llm/scripted-language-model.js';
import { priceModelUsage, type PriceTable } from '../pricing/index.js';
import type { TurnContext } from '../responder/responder.js';
import { turnEnvelope } from '../responder/turn-envelope.js';

export interface ChainOptions {
  /** Primary first, then the fallbacks, already filtered to usable (keyed) models. */
  models: LanguageModel[];
  retry: Omit<RetryOptions, 'signal' | 'onAttempt'>;
  prices: PriceTable;
  turn: TurnContext;
  emit: (event: AnalyticsEventInput) => void;
  /** Called with the exact cost of every successful call (budget ledger). */
  onSpend: (costUsd: string, model: LanguageModel, priceVersion: string) => Promise<void>;
}

/** Every provider of the chain failed: the responder hands off with reason provider_outage. */
export class AllProvidersFailedError extends Error {
  constructor(readonly failures: ProviderCallError[]) {
    super(`every model in the chain failed: ${failures.map((f) => `${f.provider} ${f.kind}`).join(', ')}`);
    this.name = 'AllProvidersFailedError';
  }
}

/**
 * One `generate` over the assistant's fallback chain: each model is retried by callWithRetry,
 * then the next one takes over, and stays for the rest of the turn (switching back and forth
 * inside a tool loop would mix tool-call formats and double the failures). Every attempt
 * writes a model_call event; successful ones are priced and recorded in the spend ledger.
 */
export function createModelChain(options: ChainOptions): {
  generate(request: GenerateRequest): Promise<GenerateResult>;
} {
  let current = 0;
  let fallbackFrom: string | undefined;
  const failures: ProviderCallError[] = [];

  return {
    async generate(request) {
      while (current < options.models.length) {
        const model = options.models[current]!;
        let attempt = 1;
        let latencyMs = 0;
        let abortedInFlight = false;
        try {
          const result = await callWithRetry(
            model.provider,
            (signal) => model.generate({ ...request, signal }),
            {
              ...options.retry,
              ...(request.signal ? { signal: request.signal } : {}),
              onAttempt: (report) => {
                attempt = report.attempt;
                latencyMs = report.latencyMs;
                abortedInFlight = report.error?.kind === 'aborted';
                if (report.error && report.error.kind !== 'aborted') {
                  options.emit(
                    failedCallEvent(
                      options.turn,
                      model,
                      report.attempt,
                      report.latencyMs,
                      report.error,
                      fallbackFrom,
                    ),
                  );
                }
              },
            },
          );
          const priced = priceModelUsage(options.prices, {
            provider: model.provider,
            model: model.modelId,
            usage: result.usage,
            at: options.turn.now,
          });
          options.emit(
            callEvent(options.turn, model, {
              attempt,
              latencyMs,
              outcome: 'ok',
              usage: result.usage,
              costUsd: priced.totalUsd,
              costByKind: priced.byKind,
              priceVersion: priced.priceVersion,
              fallbackFrom,
              finishReason: result.finishReason.raw ?? undefined,
            }),
          );
          await options.onSpend(priced.totalUsd, model, priced.priceVersion);
          return result;
        } catch (error) {
          // The turn was superseded while the request was at the provider: it may bill the
          // input it read, so the call is recorded with its estimated input cost.
          if (abortedInFlight)
            await recordAbortedCall(options, model, request, attempt, latencyMs, fallbackFrom);
          if (!ProviderCallError.isInstance(error) || error.kind === 'aborted') throw error;
          failures.push(error);
          fallbackFrom = `${model.provider}:${model.modelId}`;
          current++;
        }
      }
      throw new AllProvidersFailedError(failures);
    },
  };
}

async function recordAbortedCall(
  options: ChainOptions,
  model: LanguageModel,
  request: GenerateRequest,
  attempt: number,
  latencyMs: number,
  fallbackFrom: string | undefined,
): Promise<void> {
  const usage = await estimateInputUsage(request);
  const priced = priceModelUsage(options.prices, {
    provider: model.provider,
    model: model.modelId,
    usage,
    at: options.turn.now,
  });
  options.emit(
    callEvent(options.turn, model, {
      attempt,
      latencyMs,
      outcome: 'aborted',
      usage,
      costUsd: priced.totalUsd,
      costByKind: priced.byKind,
      priceVersion: priced.priceVersion,
      fallbackFrom,
      estimated: true,
    }),
  );
  await options.onSpend(priced.totalUsd, model, priced.priceVersion);
}

interface CallFacts {
  attempt: number;
  latencyMs: number;
  outcome: 'ok' | 'error' | 'timeout' | 'rate_limited' | 'invalid' | 'aborted';
  /** Usage counted by us, not the provider (an aborted call). */
  estimated?: boolean;
  usage: ModelUsage;
  costUsd: string;
  costByKind: Record<string, string>;
  priceVersion: string;
  fallbackFrom: string | undefined;
  finishReason?: string | undefined;
  error?: string;
}

function failedCallEvent(
  turn: TurnContext,
  model: LanguageModel,
  attempt: number,
  latencyMs: number,
  error: ProviderCallError,
  fallbackFrom: string | undefined,
): AnalyticsEventInput {
  const outcome =
    error.kind === 'rate_limited'
      ? 'rate_limited'
      : error.kind === 'timeout'
        ? 'timeout'
        : error.kind === 'invalid_response'
          ? 'invalid'
          : 'error';
  return callEvent(turn, model, {
    attempt,
    latencyMs,
    outcome,
    usage: emptyUsage(),
    costUsd: '0',
    costByKind: {},
    priceVersion: 'unpriced',
    fallbackFrom,
    error: describeError(error),
  });
}

function callEvent(turn: TurnContext, model: LanguageModel, facts: CallFacts): AnalyticsEventInput {
  const { raw, ...usage } = facts.usage;
  const rawUsage = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : undefined;
  return {
    id: randomUUID(),
    occurredAt: turn.now.toISOString(),
    type: 'model_call',
    ...turnEnvelope(turn),
    costUsd: facts.costUsd,
    costKind: 'model',
    payload: {
      provider: model.provider,
      model: model.modelId,
      purpose: 'reply',
      turnId: turn.turnId,
      latencyMs: Math.max(0, Math.round(facts.latencyMs)),
      outcome: facts.outcome,
      attempt: facts.attempt,
      ...(facts.estimated ? { estimated: true } : {}),
      ...(facts.fallbackFrom ? { fallbackFrom: facts.fallbackFrom } : {}),
      usage,
      costByKind: facts.costByKind,
      priceVersion: facts.priceVersion,
      ...(facts.error ? { error: facts.error } : {}),
      ...(facts.finishReason ? { finishReason: facts.finishReason } : {}),
      ...(rawUsage ? { rawUsage } : {}),
    },
  };
}
