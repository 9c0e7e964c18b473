import sql, { raw } from 'sql-template-tag';
import { run, type Queryable } from './db.js';

/**
 * How long delivery records are kept. A delivery id only has to be remembered while Chatwoot
 * may still send the same delivery again (its retries end within seconds; a queue that was
 * down replays within hours), and a message or conversation event seen again later is still
 * idempotent by its own ids. Rejected deliveries stay longer: an operator reads and replays them.
 */
export interface DeliveryRetention {
  deliveriesHours: number;
  rejectedDays: number;
}

export const DEFAULT_DELIVERY_RETENTION: DeliveryRetention = { deliveriesHours: 72, rejectedDays: 30 };

/**
 * Deletes delivery records older than the retention, `chunk` rows per statement (short
 * statements: no long lock, no bloat spike), and returns how many went. Every process may run
 * it at once: a row another process is deleting is skipped, not waited for.
 */
export async function pruneDeliveryRecords(
  db: Queryable,
  retention: DeliveryRetention = DEFAULT_DELIVERY_RETENTION,
  chunk = 5_000,
): Promise<{ deliveries: number; rejected: number }> {
  const prune = async (
    table: 'engine_webhook_deliveries' | 'engine_rejected_deliveries',
    seconds: number,
  ) => {
    let total = 0;
    for (;;) {
      const result = await run(
        db,
        sql`DELETE FROM ${raw(table)} WHERE ctid IN (
              SELECT ctid FROM ${raw(table)}
               WHERE received_at < now() - make_interval(secs => ${seconds})
               LIMIT ${chunk} FOR UPDATE SKIP LOCKED)`,
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < chunk) return total;
    }
  };
  return {
    deliveries: await prune('engine_webhook_deliveries', retention.deliveriesHours * 3600),
    rejected: await prune('engine_rejected_deliveries', retention.rejectedDays * 86_400),
  };
}
