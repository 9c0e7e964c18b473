import { analyticsEventSchema, type AnalyticsEventInput } from '@switchboard/events';
import { describe, expect, it } from 'vitest';
import { ProviderCallError } from '../llm/provider-error.js';
import { ScriptedLanguageModel } from '../llm/scripted-language-model.js';
import { loadPriceTable } from '../pricing/index.js';
import { AllProvidersFailedError, createModelChain } from './model-chain.js';
import { buildTurn } from './testing/build-turn.js';

const prices = loadPriceTable();
const rateLimited = (provider: string) =>
  new ProviderCallError({
    provider,
    kind: 'rate_limited',
    status: 429,
    retryAfterMs: 1000,
    message: 'HTTP 429',
  });
const serverError = (provider: string) =>
  new ProviderCallError({ provider, kind: 'server', status: 500, message: 'HTTP 500' });
const request = {
  system: 's',
  messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }],
};

function chain(models: ScriptedLanguageModel[]) {
  const { turn, events } = buildTurn('hi');
  const spent: string[] = [];
  const waits: number[] = [];
  const c = createModelChain({
    models,
    retry: {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      timeoutMs: 5000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    },
    prices,
    turn,
    emit: (event: AnalyticsEventInput) => void events.push(event),
    onSpend: async (cost) => void spent.push(cost),
  });
  return { c, events, spent, waits };
}

describe('createModelChain', () => {
  it('retries the primary, then falls back, and stays on the fallback for the rest of the turn', async () => {
    const primary = new ScriptedLanguageModel({
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      steps: [rateLimited('openai'), serverError('openai'), serverError('openai')],
    });
    const fallback = new ScriptedLanguageModel({
      provider: 'anthropic',
      modelId: 'claude-haiku-4-5',
      steps: [
        { text: 'first', usage: { inputTokens: 20_000, cachedInputTokens: 15_000, outputTokens: 400 } },
        { text: 'second' },
      ],
    });
    const { c, events, spent, waits } = chain([primary, fallback]);
    expect((await c.generate(request)).text).toBe('first');
    expect((await c.generate(request)).text).toBe('second');
    expect(primary.calls).toHaveLength(3);
    expect(fallback.calls).toHaveLength(2);
    expect(waits).toEqual([1000, 100]); // retry-after, then jittered backoff 0.5 × 200

    const parsed = events.map((e) => analyticsEventSchema.parse(e));
    const calls = parsed.flatMap((e) => (e.type === 'model_call' ? [e] : []));
    expect(
      calls.map((e) => [
        e.payload.provider,
        e.payload.attempt,
        e.payload.outcome,
        e.payload.fallbackFrom ?? null,
      ]),
    ).toEqual([
      ['openai', 1, 'rate_limited', null],
      ['openai', 2, 'error', null],
      ['openai', 3, 'error', null],
      ['anthropic', 1, 'ok', 'openai:gpt-4o-mini'],
      ['anthropic', 1, 'ok', 'openai:gpt-4o-mini'],
    ]);
    // claude-haiku-4-5: 5000×1 + 15000×0.1 + 400×5 = 8500 per million
    expect(calls[3]!.costUsd).toBe('0.0085');
    expect(calls[3]!.payload.costByKind).toEqual({ input: '0.005', cache_read: '0.0015', output: '0.002' });
    expect(calls[3]!.payload.priceVersion).toMatch(/^genai-prices@/);
    expect(calls[3]!.payload.usage).toMatchObject({
      inputTokens: 20_000,
      cachedInputTokens: 15_000,
      outputTokens: 400,
    });
    expect(spent).toEqual(['0.0085', '0']);
  });

  it('moves on at once on an error that retrying cannot fix', async () => {
    const auth = new ProviderCallError({
      provider: 'gemini',
      kind: 'auth',
      status: 403,
      message: 'HTTP 403',
    });
    const primary = new ScriptedLanguageModel({
      provider: 'gemini',
      modelId: 'gemini-2.5-flash',
      steps: [auth],
    });
    const fallback = new ScriptedLanguageModel({
      provider: 'openai',
      modelId: 'gpt-4o-mini',
      steps: [{ text: 'ok' }],
    });
    const { c, waits } = chain([primary, fallback]);
    expect((await c.generate(request)).text).toBe('ok');
    expect(primary.calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('throws AllProvidersFailedError when every model fails', async () => {
    const a = new ScriptedLanguageModel({
      provider: 'openai',
      modelId: 'gpt-4.1',
      steps: [serverError('openai')],
    });
    const b = new ScriptedLanguageModel({
      provider: 'gemini',
      modelId: 'gemini-2.5-pro',
      steps: [serverError('gemini')],
    });
    const { c, events } = chain([a, b]);
    const error = await c.generate(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect((error as AllProvidersFailedError).failures.map((f) => f.provider)).toEqual(['openai', 'gemini']);
    expect(events).toHaveLength(6);
  });

  it('stops without falling back when the turn is aborted', async () => {
    const controller = new AbortController();
    const primary = new ScriptedLanguageModel({
      provider: 'openai',
      steps: [
        async () => {
          controller.abort();
          throw serverError('openai');
        },
      ],
    });
    const fallback = new ScriptedLanguageModel({ steps: [{ text: 'never' }] });
    const { c } = chain([primary, fallback]);
    await expect(c.generate({ ...request, signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(fallback.calls).toHaveLength(0);
  });
});
