import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import type { ModelUsage } from '../llm/language-model.js';
import { emptyUsage } from '../llm/scripted-language-model.js';
import { GENAI_PRICES_VERSION } from './genai-prices-version.js';
import { priceModelUsage } from './price-model-usage.js';
import { loadPriceTable } from './price-table.js';
import { priceTranscription } from './price-transcription.js';

const table = loadPriceTable();
const u = (part: Partial<ModelUsage>): ModelUsage => ({ ...emptyUsage(), ...part });

/**
 * Hand-computed: tokens × USD per million tokens / 1,000,000, each part at its own rate
 * (rates from genai-prices 0.1.8, written next to each case). Uncached input = input − cache
 * read − cache write − audio; reasoning tokens are inside output.
 */
const cases: Array<[string, string, string, ModelUsage, string]> = [
  // 86×0.15 + 1920×0.075 + 300×0.6 = 12.9 + 144 + 180 = 336.9
  [
    'openai',
    'gpt-4o-mini',
    'fixture, cached',
    u({ inputTokens: 2006, cachedInputTokens: 1920, outputTokens: 300 }),
    '0.0003369',
  ],
  // 176×1.1 + 1024×0.275 + 850×4.4 = 193.6 + 281.6 + 3740 = 4215.2
  [
    'openai',
    'o4-mini',
    'cached + reasoning',
    u({ inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 850, reasoningTokens: 768 }),
    '0.0042152',
  ],
  // 10000×2 + 1000×8 = 28000
  ['openai', 'gpt-4.1', 'plain', u({ inputTokens: 10_000, outputTokens: 1000 }), '0.028'],
  // 2000×2 + 8000×0.5 + 500×8 = 4000 + 4000 + 4000
  [
    'openai',
    'gpt-4.1',
    'cached',
    u({ inputTokens: 10_000, cachedInputTokens: 8000, outputTokens: 500 }),
    '0.012',
  ],
  // transcription by tokens: 400×2.5 + 600×6 (audio) + 500×10 = 1000 + 3600 + 5000
  [
    'openai',
    'gpt-4o-transcribe',
    'audio tokens',
    u({ inputTokens: 1000, audioInputTokens: 600, outputTokens: 500 }),
    '0.0096',
  ],
  // 210×3 + 3000×0.3 + 1500×3.75 + 96×15 = 630 + 900 + 5625 + 1440 = 8595
  [
    'anthropic',
    'claude-sonnet-4-5',
    'fixture, cache read + write',
    u({ inputTokens: 4710, cachedInputTokens: 3000, cacheWriteTokens: 1500, outputTokens: 96 }),
    '0.008595',
  ],
  // 980×3 + 121×15 = 2940 + 1815
  [
    'anthropic',
    'claude-sonnet-4-5',
    'tool use fixture',
    u({ inputTokens: 980, outputTokens: 121 }),
    '0.004755',
  ],
  // 5000×1 + 15000×0.1 + 400×5 = 5000 + 1500 + 2000
  [
    'anthropic',
    'claude-haiku-4-5',
    'cache read',
    u({ inputTokens: 20_000, cachedInputTokens: 15_000, outputTokens: 400 }),
    '0.0085',
  ],
  // >200k input: tier prices for the whole call: 250000×6 + 1000×22.5 = 1,500,000 + 22,500
  [
    'anthropic',
    'claude-sonnet-4-5',
    'long-context tier',
    u({ inputTokens: 250_000, outputTokens: 1000 }),
    '1.5225',
  ],
  // 1000×0.8 + 2000×1 (cache write) + 100×4 = 800 + 2000 + 400
  [
    'anthropic',
    'claude-3-5-haiku-latest',
    'cache write',
    u({ inputTokens: 3000, cacheWriteTokens: 2000, outputTokens: 100 }),
    '0.0032',
  ],
  // 1104×0.3 + 4096×0.03 + 580×2.5 = 331.2 + 122.88 + 1450 = 1904.08 (image tokens priced as input)
  [
    'gemini',
    'gemini-2.5-flash',
    'fixture, cached + thoughts + image',
    u({
      inputTokens: 5200,
      cachedInputTokens: 4096,
      imageInputTokens: 258,
      outputTokens: 580,
      reasoningTokens: 400,
    }),
    '0.00190408',
  ],
  // 640×0.3 + 162×2.5 = 192 + 405
  [
    'gemini',
    'gemini-2.5-flash',
    'function calls fixture',
    u({ inputTokens: 640, outputTokens: 162, reasoningTokens: 120 }),
    '0.000597',
  ],
  // voice note, 30 s × 32 tokens/s = 960 audio tokens: 1040×0.3 + 960×1 + 100×2.5 = 312 + 960 + 250
  [
    'gemini',
    'gemini-2.5-flash',
    'audio input',
    u({ inputTokens: 2000, audioInputTokens: 960, outputTokens: 100 }),
    '0.001522',
  ],
  // 10000×1.25 + 2000×10 = 12500 + 20000
  ['gemini', 'gemini-2.5-pro', 'plain', u({ inputTokens: 10_000, outputTokens: 2000 }), '0.0325'],
  // >200k tier: 200000×2.5 + 100000×0.25 + 1000×15 = 500000 + 25000 + 15000
  [
    'gemini',
    'gemini-2.5-pro',
    'long-context tier, cached',
    u({ inputTokens: 300_000, cachedInputTokens: 100_000, outputTokens: 1000 }),
    '0.54',
  ],
  // 1000×0.1 + 500×0.4 = 100 + 200
  ['gemini', 'gemini-2.0-flash', 'plain', u({ inputTokens: 1000, outputTokens: 500 }), '0.0003'],
  // one token of cache read: 0.075 / 1e6 (no float dust)
  ['openai', 'gpt-4o-mini', 'one cached token', u({ inputTokens: 1, cachedInputTokens: 1 }), '0.000000075'],
];

describe('priceModelUsage', () => {
  it.each(cases)(
    '%s %s (%s) costs exactly the hand-computed value',
    (provider, model, _label, usage, expected) => {
      const priced = priceModelUsage(table, { provider, model, usage });
      expect(priced.totalUsd).toBe(expected);
      expect(priced.priced).toBe(true);
      expect(priced.priceVersion).toBe(`genai-prices@${GENAI_PRICES_VERSION}`);
    },
  );

  it('agrees with genai-prices own (floating-point) calculation on every case', () => {
    const providerId = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' } as const;
    for (const [provider, model, , usage, expected] of cases) {
      const reference = calcPrice(
        {
          input_tokens: usage.inputTokens,
          cache_read_tokens: usage.cachedInputTokens,
          cache_write_tokens: usage.cacheWriteTokens,
          input_audio_tokens: usage.audioInputTokens,
          output_tokens: usage.outputTokens,
        },
        model,
        { providerId: providerId[provider as keyof typeof providerId] },
      );
      expect(reference?.total_price, `${provider} ${model}`).toBeCloseTo(Number(expected), 12);
    }
  });

  it('splits the cost by kind and the parts add up to the total', () => {
    const priced = priceModelUsage(table, {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      usage: u({ inputTokens: 4710, cachedInputTokens: 3000, cacheWriteTokens: 1500, outputTokens: 96 }),
    });
    expect(priced.byKind).toEqual({
      input: '0.00063',
      cache_read: '0.0009',
      cache_write: '0.005625',
      output: '0.00144',
    });
  });

  it('uses the operator override (a free local model) and records the local table version', () => {
    const priced = priceModelUsage(table, {
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
      usage: u({ inputTokens: 5000, outputTokens: 500 }),
    });
    expect(priced).toMatchObject({
      totalUsd: '0',
      priced: true,
      priceVersion: `prices.yaml@${table.version}`,
    });
  });

  it('an override of a known model wins over genai-prices', () => {
    const negotiated = {
      ...table,
      models: [{ provider: 'openai', model: 'gpt-4.1', inputMtokUsd: '1.5', outputMtokUsd: '6' }],
    };
    // 10000×1.5 + 1000×6 = 15000 + 6000
    const priced = priceModelUsage(negotiated, {
      provider: 'openai',
      model: 'gpt-4.1',
      usage: u({ inputTokens: 10_000, outputTokens: 1000 }),
    });
    expect(priced.totalUsd).toBe('0.021');
  });

  it('marks an unknown model unpriced instead of guessing', () => {
    const priced = priceModelUsage(table, {
      provider: 'openai',
      model: 'my-finetune-xyz',
      usage: u({ inputTokens: 10, outputTokens: 10 }),
    });
    expect(priced).toEqual({ totalUsd: '0', byKind: {}, priceVersion: 'unpriced', priced: false });
  });
});

describe('priceTranscription', () => {
  it('prices whisper-1 per started second at $0.006/min', () => {
    // 37.4 s → 38 s × 0.006 / 60 = 0.0038
    expect(
      priceTranscription(table, { provider: 'openai', model: 'whisper-1', durationSeconds: 37.4 }),
    ).toEqual({
      totalUsd: '0.0038',
      priceVersion: `prices.yaml@${table.version}`,
      priced: true,
    });
    expect(
      priceTranscription(table, { provider: 'openai', model: 'whisper-1', durationSeconds: 60 }).totalUsd,
    ).toBe('0.006');
    expect(
      priceTranscription(table, { provider: 'openai', model: 'unknown', durationSeconds: 5 }).priced,
    ).toBe(false);
  });
});
