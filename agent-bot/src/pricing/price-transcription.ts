import { Decimal } from 'decimal.js';
import type { PriceTable } from './price-table.js';
import { toUsd } from './price-model-usage.js';

export interface PricedTranscription {
  totalUsd: string;
  priceVersion: string;
  priced: boolean;
}

/** Per-minute speech-to-text (whisper-1), billed per started second. */
export function priceTranscription(
  table: PriceTable,
  call: { provider: string; model: string; durationSeconds: number },
): PricedTranscription {
  const entry = table.transcription.find((t) => t.provider === call.provider && t.model === call.model);
  if (!entry) return { totalUsd: '0', priceVersion: 'unpriced', priced: false };
  const seconds = Math.ceil(Math.max(0, call.durationSeconds));
  const cost = new Decimal(entry.perMinuteUsd).times(seconds).dividedBy(60);
  return { totalUsd: toUsd(cost), priceVersion: `prices.yaml@${table.version}`, priced: true };
}
