import sql from 'sql-template-tag';
import { run, type Queryable } from './db.js';

/**
 * Authenticated deliveries the bot could not use. They are acknowledged (any non-2xx makes
 * Chatwoot hand the conversation to a human) and kept here with why, so an operator sees them
 * and can replay the sanitised copy once the cause is fixed.
 */
export interface RejectedDelivery {
  /** X-Chatwoot-Delivery; null when Chatwoot sent none. */
  deliveryId: string | null;
  accountId: number;
  event: string;
  reason: string;
  /** The body made storable (NUL removed, lone surrogates replaced)... */
  payload: unknown;
  /** ...or, when it cannot be jsonb (nested past the depth limit), its text made storable. */
  rawBody: string | null;
}

/** Records a rejected delivery once per delivery id (a retry of the same delivery adds nothing). */
export async function recordRejectedDelivery(db: Queryable, rejected: RejectedDelivery): Promise<void> {
  const payload = rejected.payload === undefined ? null : JSON.stringify(rejected.payload);
  await run(
    db,
    sql`INSERT INTO engine_rejected_deliveries (delivery_id, account_id, event, reason, payload, raw_body)
        VALUES (${rejected.deliveryId}, ${rejected.accountId}, ${rejected.event}, ${rejected.reason},
                ${payload}::jsonb, ${rejected.rawBody})
        ON CONFLICT (delivery_id) WHERE delivery_id IS NOT NULL DO NOTHING`,
  );
}
