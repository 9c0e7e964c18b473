import { randomUUID } from 'node:crypto';
import {
  analyticsEventSchema,
  type AnalyticsEvent,
  type AnalyticsEventInput,
} from '../events/event-schema.js';
import { toInsertRow } from '../clickhouse/event-row.js';

/**
 * Version of the ClickHouse row mapping (`toInsertRow`) whose output enqueueEvents stores in
 * `ch_row`. Bump it whenever event-row.ts or the ClickHouse `events` columns change: the shipper
 * sends stored lines only when their version is this one and maps the event again otherwise.
 */
export const OUTBOX_ROW_FORMAT = 1;

/** Anything that runs a query: a pg Pool, or a PoolClient inside the producer's transaction. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** Fills `id` and `occurredAt` when a producer leaves them out. */
export function buildEvent(
  input: Omit<AnalyticsEventInput, 'id' | 'occurredAt'> & { id?: string; occurredAt?: string },
): AnalyticsEvent {
  return analyticsEventSchema.parse({
    ...input,
    id: input.id ?? randomUUID(),
    occurredAt: input.occurredAt ?? new Date().toISOString(),
  });
}

/**
 * Writes events into the outbox. Call it with the client of the transaction that changes the
 * state the events describe: both commit together or neither does. Events are validated
 * here, so a malformed event fails its producer's transaction instead of the shipper.
 * Re-enqueuing an id that is already there is a no-op (producers may retry). The ClickHouse
 * row is built here too (a few microseconds per event), so the shipper only concatenates.
 */
export async function enqueueEvents(db: Queryable, events: readonly AnalyticsEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const insert = outboxInsert(events, 1);
  await db.query(insert.sql, insert.values);
}

/**
 * The outbox INSERT as SQL plus its values, numbered from `$firstParam`, for producers that
 * write their state change and its events in one statement (a data-modifying CTE: one round
 * trip, atomic without BEGIN/COMMIT). `when` (SQL) makes the insert conditional on the rest of
 * the statement, e.g. `EXISTS (SELECT 1 FROM done)`. Validation and row building as in
 * enqueueEvents.
 */
export function outboxInsert(
  events: readonly AnalyticsEventInput[],
  firstParam: number,
  when?: string,
): { sql: string; values: unknown[] } {
  const parsed = events.map((event) => analyticsEventSchema.parse(event));
  const p = (n: number) => `$${firstParam + n}`;
  return {
    sql: `INSERT INTO analytics_outbox (id, account_id, event_type, occurred_at, event, ch_row, row_format)
     SELECT *, ${p(6)}::smallint
       FROM unnest(${p(0)}::uuid[], ${p(1)}::bigint[], ${p(2)}::text[], ${p(3)}::timestamptz[], ${p(4)}::jsonb[], ${p(5)}::text[])
      ${when ? `WHERE ${when}` : ''}
     ON CONFLICT (id) DO NOTHING`,
    values: [
      parsed.map((e) => e.id),
      parsed.map((e) => e.accountId),
      parsed.map((e) => e.type),
      parsed.map((e) => e.occurredAt),
      parsed.map((e) => JSON.stringify(e)),
      // The ClickHouse line, built here from the validated event: the shipper sends it as is.
      parsed.map((e) => JSON.stringify(toInsertRow(e))),
      OUTBOX_ROW_FORMAT,
    ],
  };
}
