import type { Database } from '@switchboard/core';
import type { AnalyticsEventInput } from '@switchboard/events';
import { SpendLedger } from './spend-ledger.js';

interface SpendOwner {
  assistant: string;
  accountId: number;
  conversationId: number;
}

/**
 * One cost into the budget's spend ledger (model calls record theirs in the model chain; media
 * work and WhatsApp fees come through here). Zero costs are not written.
 */
export async function recordSpend(
  pool: Database['pool'],
  owner: SpendOwner,
  turnId: string | null,
  kind: 'transcription' | 'vision' | 'whatsapp',
  costUsd: string,
  priceVersion: string,
  occurredAt: Date,
): Promise<void> {
  if (!/[1-9]/.test(costUsd)) return;
  await new SpendLedger(pool).record({
    assistant: owner.assistant,
    accountId: owner.accountId,
    conversationId: owner.conversationId,
    turnId,
    kind,
    costUsd,
    priceVersion,
    occurredAt,
  });
}

/** The media costs among a turn's events (transcription, vision), into the spend ledger. */
export async function recordMediaSpend(
  pool: Database['pool'],
  owner: SpendOwner,
  turnId: string | null,
  events: AnalyticsEventInput[],
  occurredAt: Date,
): Promise<void> {
  for (const event of events) {
    if (event.type !== 'transcription' && event.type !== 'vision') continue;
    if (!event.costUsd) continue;
    await recordSpend(pool, owner, turnId, event.type, event.costUsd, event.payload.priceVersion, occurredAt);
  }
}
