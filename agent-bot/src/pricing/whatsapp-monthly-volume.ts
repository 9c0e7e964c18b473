import type { Database } from '@switchboard/core';
import type { PriceTable } from './price-table.js';
import { hasVolumeTiers, priceWhatsAppMessage, type WhatsAppCategory } from './price-whatsapp-message.js';
import { whatsAppFee, type DeliveredMessage, type WhatsAppFee } from './whatsapp-fee.js';

export interface VolumeScope {
  /** The Chatwoot account: the business whose messages Meta adds up. */
  accountId: number;
  /** Where the business's month starts (Meta: midnight in the WhatsApp Business Account's time zone). */
  timezone: string;
}

/**
 * Charged messages of one category to one market in the business's month so far, from the spend
 * ledger: fees recorded minus fees refunded (a message WhatsApp failed to deliver is not charged,
 * so it does not count). Free messages have no ledger entry and do not count, as at Meta.
 */
export async function chargedWhatsAppMessagesThisMonth(
  pool: Database['pool'],
  scope: VolumeScope & { market: string; category: WhatsAppCategory; at: Date },
): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `SELECT (count(*) FILTER (WHERE cost_usd > 0) - count(*) FILTER (WHERE cost_usd < 0))::int AS n
       FROM assistant_spend_ledger
      WHERE kind = 'whatsapp' AND account_id = $1 AND market = $2 AND category = $3
        AND occurred_at >= (date_trunc('month', $4::timestamptz AT TIME ZONE $5) AT TIME ZONE $5)
        AND occurred_at <= $4::timestamptz`,
    [scope.accountId, scope.market, scope.category, scope.at, scope.timezone],
  );
  return Math.max(0, result.rows[0]?.n ?? 0);
}

/**
 * whatsAppFee with Meta's volume tiers: where the card has tiers for the message's market and
 * category, the business's charged messages this month decide the rate. The ledger is read only
 * then (our cards have no tiers, so by default this is whatsAppFee).
 */
export async function whatsAppFeeThisMonth(
  pool: Database['pool'],
  table: PriceTable,
  message: DeliveredMessage,
  scope: VolumeScope,
): Promise<WhatsAppFee | null> {
  const listFee = whatsAppFee(table, message);
  if (!listFee?.market || !hasVolumeTiers(table, message.deliveredAt, listFee.market, message.category)) {
    return listFee;
  }
  const chargedThisMonth = await chargedWhatsAppMessagesThisMonth(pool, {
    ...scope,
    market: listFee.market,
    category: message.category,
    at: message.deliveredAt,
  });
  const priced = priceWhatsAppMessage(table, {
    category: message.category,
    country: listFee.country,
    windowOpen: listFee.windowOpen,
    deliveredAt: message.deliveredAt,
    chargedThisMonth,
  });
  return { ...priced, country: listFee.country, windowOpen: listFee.windowOpen };
}
