import type { Database } from '@switchboard/core';
import sql, { type Sql } from 'sql-template-tag';

export interface SpendEntry {
  assistant: string;
  accountId: number;
  conversationId: number | null;
  turnId: string | null;
  /** model | transcription | vision | whatsapp | embedding */
  kind: string;
  costUsd: string;
  priceVersion: string;
  occurredAt: Date;
  /** A WhatsApp fee's market and category: the month's count for Meta's volume tiers (pricing/whatsapp-monthly-volume.ts). */
  market?: string | null;
  category?: string | null;
}

/**
 * A ledger entry as the body of a CTE, written only when `when` holds: a WhatsApp fee commits in
 * the statement that marks its reply sent (engine/steps/reply-sender.ts), in the same round trip.
 */
export function spendLedgerInsert(entry: SpendEntry, when: Sql): Sql {
  return sql`INSERT INTO assistant_spend_ledger
         (assistant, account_id, conversation_id, turn_id, kind, cost_usd, price_version, occurred_at, market, category)
       SELECT ${entry.assistant}, ${entry.accountId}, ${entry.conversationId}, ${entry.turnId}, ${entry.kind},
              ${entry.costUsd}::numeric, ${entry.priceVersion}, ${entry.occurredAt}::timestamptz,
              ${entry.market ?? null}, ${entry.category ?? null}
        WHERE ${when}`;
}

/**
 * The spend ledger behind budgets (table assistant_spend_ledger). Each write is one statement
 * on the pool, outside any transaction: the turn must not hold a transaction open across model
 * calls (one shared session on PGlite), and a spent cent stays spent even if the turn fails.
 */
export class SpendLedger {
  constructor(private readonly pool: Database['pool']) {}

  async record(entry: SpendEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO assistant_spend_ledger
         (assistant, account_id, conversation_id, turn_id, kind, cost_usd, price_version, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8)`,
      [
        entry.assistant,
        entry.accountId,
        entry.conversationId,
        entry.turnId,
        entry.kind,
        entry.costUsd,
        entry.priceVersion,
        entry.occurredAt,
      ],
    );
  }

  /** Spent by the assistant since the start of the current month in its own timezone. */
  async spentThisMonth(assistant: string, now: Date, timezone: string): Promise<string> {
    const result = await this.pool.query<{ spent: string }>(
      `SELECT COALESCE(SUM(cost_usd), 0)::text AS spent FROM assistant_spend_ledger
        WHERE assistant = $1
          AND occurred_at >= (date_trunc('month', $2::timestamptz AT TIME ZONE $3) AT TIME ZONE $3)
          AND occurred_at <= $2::timestamptz`,
      [assistant, now, timezone],
    );
    return result.rows[0]?.spent ?? '0';
  }

  async spentInConversation(accountId: number, conversationId: number): Promise<string> {
    const result = await this.pool.query<{ spent: string }>(
      `SELECT COALESCE(SUM(cost_usd), 0)::text AS spent FROM assistant_spend_ledger
        WHERE account_id = $1 AND conversation_id = $2`,
      [accountId, conversationId],
    );
    return result.rows[0]?.spent ?? '0';
  }
}
