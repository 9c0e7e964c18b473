import type * as Analytics from '@switchboard/analytics';
import type { AnalyticsEventInput, Queryable } from '@switchboard/analytics';

/**
 * @switchboard/analytics is loaded on first use: its index also brings the HTTP service
 * (fastify), seconds of start-up the CLI's list/show/stats commands do not need.
 */
let analytics: Promise<typeof Analytics> | null = null;

export async function enqueueAnalyticsEvents(
  db: Queryable,
  events: ReadonlyArray<Omit<AnalyticsEventInput, 'id' | 'occurredAt'>>,
): Promise<void> {
  analytics ??= import('@switchboard/analytics');
  const { buildEvent, enqueueEvents } = await analytics;
  await enqueueEvents(
    db,
    events.map((event) => buildEvent(event)),
  );
}
