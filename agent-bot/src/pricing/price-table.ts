import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { REPO_ROOT, StartupError } from '@switchboard/core';

const usd = z.string().regex(/^\d+(\.\d+)?$/, 'must be a USD decimal string such as "0.006"');
const categoryRates = z.strictObject({
  marketing: usd,
  utility: usd,
  authentication: usd,
  /** Non-template messages: free until Meta charges them (BSPs report per-message charges from 1 Oct 2026). */
  service: usd.optional(),
});

export const priceTableSchema = z.strictObject({
  version: z.string().min(1),
  transcription: z
    .array(z.strictObject({ provider: z.string(), model: z.string(), perMinuteUsd: usd }))
    .default([]),
  models: z
    .array(
      z.strictObject({
        provider: z.string(),
        /** Exact model id, or '*' for every model of the provider. */
        model: z.string(),
        inputMtokUsd: usd,
        outputMtokUsd: usd,
        cacheReadMtokUsd: usd.optional(),
        cacheWriteMtokUsd: usd.optional(),
        inputAudioMtokUsd: usd.optional(),
      }),
    )
    .default([]),
  whatsapp: z
    .array(
      z.strictObject({
        effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        rates: z.record(z.string().regex(/^[A-Z]{2}$/), categoryRates),
      }),
    )
    .default([]),
});

export type PriceTable = z.infer<typeof priceTableSchema>;
export type ModelPriceOverride = PriceTable['models'][number];

export const DEFAULT_PRICE_TABLE_PATH = path.join(REPO_ROOT, 'config', 'prices.yaml');

/** Loads and validates the local price table; a broken file stops the start with its path. */
export function loadPriceTable(file: string = DEFAULT_PRICE_TABLE_PATH): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(`Cannot read the price table ${file}: ${(error as Error).message}`);
  }
  const parsed = priceTableSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StartupError(`Invalid price table ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
