import { buildEvent, enqueueEvents, type AnalyticsEventInput, type Queryable } from '@switchboard/events';

/** Records knowledge-base events (embedding costs, ingests) in the outbox of the caller's transaction. */
export async function enqueueAnalyticsEvents(
  db: Queryable,
  events: ReadonlyArray<Omit<AnalyticsEventInput, 'id' | 'occurredAt'>>,
): Promise<void> {
  await enqueueEvents(
    db,
    events.map((event) => buildEvent(event)),
  );
}
