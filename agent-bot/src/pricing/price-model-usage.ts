import { Decimal } from 'decimal.js';
import { findProvider, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices';
import type { ModelUsage } from '../llm/language-model.js';
import { GENAI_PRICES_VERSION } from './genai-prices-version.js';
import type { ModelPriceOverride, PriceTable } from './price-table.js';

export interface PricedUsage {
  /** Sum of byKind, exact, at most 12 decimals. */
  totalUsd: string;
  /** input (uncached text/image), input_audio, cache_read, cache_write, output (incl. reasoning). */
  byKind: Record<string, string>;
  /** `genai-prices@0.1.8`, `prices.yaml@<version>`, or `unpriced` when no price is known. */
  priceVersion: string;
  priced: boolean;
}

interface Rates {
  input: Decimal;
  output: Decimal;
  cacheRead: Decimal | null;
  cacheWrite: Decimal | null;
  inputAudio: Decimal | null;
}

/** Our provider names → genai-prices provider ids. */
const GENAI_PROVIDER: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' };
const MILLION = new Decimal(1_000_000);

/**
 * Prices one model call exactly. Rates come from the operator's overrides first, then from
 * genai-prices' bundled data; the arithmetic is decimal.js (genai-prices' own calcPrice adds
 * floats). Token parts are priced separately: cached reads and writes and audio at their own
 * rates, reasoning as output. Tiered prices (e.g. >200k input tokens) follow genai-prices'
 * rule: the tier applies to the whole call when total input tokens exceed its start.
 */
export function priceModelUsage(
  table: PriceTable,
  call: { provider: string; model: string; usage: ModelUsage; at?: Date },
): PricedUsage {
  const override = findOverride(table.models, call.provider, call.model);
  let rates: Rates | null;
  let priceVersion: string;
  if (override) {
    rates = ratesFromOverride(override);
    priceVersion = `prices.yaml@${table.version}`;
  } else {
    rates = ratesFromGenaiPrices(call.provider, call.model, call.usage.inputTokens, call.at);
    priceVersion = `genai-prices@${GENAI_PRICES_VERSION}`;
  }
  if (!rates) return { totalUsd: '0', byKind: {}, priceVersion: 'unpriced', priced: false };

  const usage = call.usage;
  const uncachedInput = Math.max(
    0,
    usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens - usage.audioInputTokens,
  );
  const parts: Array<[string, number, Decimal]> = [
    ['input', uncachedInput, rates.input],
    ['input_audio', usage.audioInputTokens, rates.inputAudio ?? rates.input],
    ['cache_read', usage.cachedInputTokens, rates.cacheRead ?? rates.input],
    ['cache_write', usage.cacheWriteTokens, rates.cacheWrite ?? rates.input],
    ['output', usage.outputTokens, rates.output],
  ];
  const byKind: Record<string, string> = {};
  let total = new Decimal(0);
  for (const [kind, tokens, perMillion] of parts) {
    if (tokens === 0) continue;
    const cost = perMillion.times(tokens).dividedBy(MILLION);
    byKind[kind] = toUsd(cost);
    total = total.plus(cost);
  }
  return { totalUsd: toUsd(total), byKind, priceVersion, priced: true };
}

/** At most 12 decimals (the event schema's limit), no exponent, no trailing zeros. */
export function toUsd(value: Decimal): string {
  return value.toDecimalPlaces(12, Decimal.ROUND_HALF_UP).toFixed();
}

function findOverride(
  models: ModelPriceOverride[],
  provider: string,
  model: string,
): ModelPriceOverride | null {
  return (
    models.find((m) => m.provider === provider && m.model === model) ??
    models.find((m) => m.provider === provider && m.model === '*') ??
    null
  );
}

function ratesFromOverride(o: ModelPriceOverride): Rates {
  return {
    input: new Decimal(o.inputMtokUsd),
    output: new Decimal(o.outputMtokUsd),
    cacheRead: o.cacheReadMtokUsd ? new Decimal(o.cacheReadMtokUsd) : null,
    cacheWrite: o.cacheWriteMtokUsd ? new Decimal(o.cacheWriteMtokUsd) : null,
    inputAudio: o.inputAudioMtokUsd ? new Decimal(o.inputAudioMtokUsd) : null,
  };
}

function ratesFromGenaiPrices(provider: string, model: string, inputTokens: number, at?: Date): Rates | null {
  const providerId = GENAI_PROVIDER[provider];
  if (!providerId) return null;
  const found = findProvider({ providerId });
  const info = found?.models.find((candidate) => matches(candidate.match, model));
  if (!info) return null;
  const prices = currentPrices(info.prices, at ?? new Date());
  const rate = (key: string): Decimal | null => {
    const value = prices[key];
    if (value === undefined) return null;
    if (typeof value === 'number') return new Decimal(String(value));
    return new Decimal(String(tierPrice(value, inputTokens)));
  };
  const input = rate('input_mtok');
  const output = rate('output_mtok');
  if (!input || !output) return null;
  return {
    input,
    output,
    cacheRead: rate('cache_read_mtok'),
    cacheWrite: rate('cache_write_mtok'),
    inputAudio: rate('input_audio_mtok'),
  };
}

function tierPrice(tiered: TieredPrices, inputTokens: number): number {
  let price = tiered.base;
  for (const tier of [...tiered.tiers].sort((a, b) => a.start - b.start)) {
    if (inputTokens > tier.start) price = tier.price;
  }
  return price;
}

type Prices = ModelPrice | Array<{ constraint?: { type: string; start_date?: string }; prices: ModelPrice }>;

/** genai-prices keeps dated price lists for some models: the last one started before `at`. */
function currentPrices(prices: Prices, at: Date): ModelPrice {
  if (!Array.isArray(prices)) return prices;
  let chosen = prices[0]!.prices;
  for (const entry of prices) {
    const start = entry.constraint?.type === 'start_date' ? entry.constraint.start_date : undefined;
    if (!start || Date.parse(start) <= at.getTime()) chosen = entry.prices;
  }
  return chosen;
}

type Match =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: Match[] }
  | { and: Match[] };

function matches(logic: Match, model: string): boolean {
  if ('equals' in logic) return model === logic.equals;
  if ('starts_with' in logic) return model.startsWith(logic.starts_with);
  if ('ends_with' in logic) return model.endsWith(logic.ends_with);
  if ('contains' in logic) return model.includes(logic.contains);
  if ('regex' in logic) return new RegExp(logic.regex).test(model);
  if ('or' in logic) return logic.or.some((m) => matches(m, model));
  return logic.and.every((m) => matches(m, model));
}
