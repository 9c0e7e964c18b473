import { randomUUID } from 'node:crypto';
import sql, { empty, type Sql } from 'sql-template-tag';
import { analyticsEventSchema, type AnalyticsEvent, type AnalyticsEventInput } from './event-schema.js';
import { toInsertRow } from './clickhouse-row.js';

/**
 * Version of the ClickHouse row mapping (`toInsertRow`) whose output enqueueEvents stores in
 * `ch_row`. Bump it whenever clickhouse-row.ts or the ClickHouse `events` columns change: the shipper
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
  const insert = outboxInsert(events);
  await db.query(insert.text, insert.values);
}

/**
 * The outbox INSERT as a composable SQL fragment (sql-template-tag), for producers that write
 * their state change and its events in one statement (a data-modifying CTE: one round trip,
 * atomic without BEGIN/COMMIT). Parameters are numbered when the whole statement is rendered,
 * so no producer counts placeholders. `when` makes the insert conditional on the rest of the
 * statement, e.g. sql`EXISTS (SELECT 1 FROM done)`. Validation and row building as in
 * enqueueEvents.
 */
export function outboxInsert(events: readonly AnalyticsEventInput[], when?: Sql): Sql {
  const parsed = events.map((event) => analyticsEventSchema.parse(event));
  return sql`INSERT INTO analytics_outbox (id, account_id, event_type, occurred_at, event, ch_row, row_format)
     SELECT *, ${OUTBOX_ROW_FORMAT}::smallint
       FROM unnest(${parsed.map((e) => e.id)}::uuid[], ${parsed.map((e) => e.accountId)}::bigint[],
                   ${parsed.map((e) => e.type)}::text[], ${parsed.map((e) => e.occurredAt)}::timestamptz[],
                   ${parsed.map((e) => JSON.stringify(e))}::jsonb[],
                   ${parsed.map((e) => JSON.stringify(toInsertRow(e)))}::text[])
      ${when ? sql`WHERE ${when}` : empty}
     ON CONFLICT (id) DO NOTHING`;
}
