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

/** A country (ISO 3166 alpha-2) or one of Meta's market names ("Rest of Western Europe", "Other"). */
const marketKey = z
  .string()
  .regex(/^([A-Z]{2}|[A-Z][A-Za-z &]+)$/, 'must be a country code or a market name');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code');

/**
 * One market's volume tiers for one category, Meta's way: graduated, each tier's rate applies to
 * the messages from its `from`-th charged message of the month on (Meta's tier "25000001:50000000"
 * is `from: 25000001`); messages before the first tier pay the list rate.
 */
const volumeTierList = z
  .array(z.strictObject({ from: z.number().int().min(2), rate: usd }))
  .min(1)
  .refine((tiers) => tiers.every((tier, i) => i === 0 || tier.from > tiers[i - 1]!.from), {
    message: 'tiers must be in ascending order of `from`',
  });
const marketVolumeTiers = z.strictObject({
  utility: volumeTierList.optional(),
  authentication: volumeTierList.optional(),
});

function whatsAppCardSchema() {
  return z.strictObject({
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** Where the card's numbers come from (docs/whatsapp-pricing.md). */
    source: z.string().optional(),
    /** Non-template replies inside the 24 h window are charged (Meta: from 2026-10-01). */
    chargesService: z.boolean().default(false),
    /** Utility templates inside an open window are charged (Meta: from 2026-10-01). */
    chargesUtilityInWindow: z.boolean().default(false),
    /** Which countries a market name of `rates` covers. */
    regions: z.record(marketKey, z.array(country)).default({}),
    /** Countries whose rate on this card is not known: recorded unpriced, never guessed. */
    unpriced: z.array(country).default([]),
    rates: z.record(marketKey, categoryRates),
    /**
     * Lower utility/authentication rates by monthly volume, per market key of `rates`. Empty on
     * our cards: Meta's thresholds could not be verified (docs/whatsapp-pricing.md); operators
     * add theirs in the override file.
     */
    volumeTiers: z.record(marketKey, marketVolumeTiers).default({}),
  });
}

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
  whatsapp: z.array(whatsAppCardSchema()).default([]),
});

export type PriceTable = z.infer<typeof priceTableSchema>;
export type ModelPriceOverride = PriceTable['models'][number];

export const DEFAULT_PRICE_TABLE_PATH = path.join(REPO_ROOT, 'config', 'prices.yaml');

/**
 * Loads and validates the local price table; a broken file stops the start with its path.
 * An operator's override file (PRICES_OVERRIDE_FILE by default) is laid over it: see
 * mergePriceTables.
 */
export function loadPriceTable(
  file: string = DEFAULT_PRICE_TABLE_PATH,
  overrideFile: string | undefined = process.env.PRICES_OVERRIDE_FILE || undefined,
): PriceTable {
  const base = readTable(file);
  const table = overrideFile ? mergePriceTables(base, readTable(overrideFile)) : base;
  // A tier under a misspelt market would silently never apply.
  for (const card of table.whatsapp) {
    const unknown = Object.keys(card.volumeTiers).find((market) => !card.rates[market]);
    if (unknown) {
      throw new StartupError(
        `Invalid price table: whatsapp card ${card.effectiveFrom} has volumeTiers for "${unknown}", which has no rates on that card`,
      );
    }
  }
  return table;
}

function readTable(file: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new StartupError(`Cannot read the price table ${file}: ${(error as Error).message}`);
  }
  // Merge keys (<<) let a card repeat the previous one's rates and change a few.
  const parsed = priceTableSchema.safeParse(parse(text, { merge: true }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StartupError(`Invalid price table ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * The operator's table over ours: its model and transcription entries come first (the first
 * match wins); a WhatsApp card with an effectiveFrom we also have replaces those countries'
 * rates on our card (negotiated rates), a card with a new date is added. The version names
 * both, so a recorded cost says it came from the override.
 */
export function mergePriceTables(base: PriceTable, override: PriceTable): PriceTable {
  const cards = new Map(base.whatsapp.map((card) => [card.effectiveFrom, card]));
  for (const card of override.whatsapp) {
    const ours = cards.get(card.effectiveFrom);
    const overridden = new Set(Object.keys(card.rates));
    cards.set(
      card.effectiveFrom,
      ours
        ? {
            // Same date: the rules stay ours (the override's would be its schema defaults).
            ...ours,
            regions: { ...ours.regions, ...card.regions },
            // A country the operator prices is priced, even where we could not verify a rate.
            unpriced: [...new Set([...ours.unpriced, ...card.unpriced])].filter((c) => !overridden.has(c)),
            rates: { ...ours.rates, ...card.rates },
            volumeTiers: { ...ours.volumeTiers, ...card.volumeTiers },
          }
        : card,
    );
  }
  return {
    version: `${base.version}+${override.version}`,
    transcription: [...override.transcription, ...base.transcription],
    models: [...override.models, ...base.models],
    whatsapp: [...cards.values()].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)),
  };
}
