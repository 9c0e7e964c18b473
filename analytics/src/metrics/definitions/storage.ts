/**
 * Where the metrics read from, deduplicated by event id (issue 19). An event row can be stored
 * twice (a batch re-sent under another deduplication token, a second shipper, a deduplication
 * window passed): every number reads through these, so a duplicate never counts twice, before
 * or after ClickHouse merges the parts.
 */

/**
 * `events`, one row per event id. The table is a ReplacingMergeTree on (…, type, id): FINAL
 * collapses rows of the same id that are still in different parts. Every copy of an id has the
 * same occurred_at, so the same monthly partition: FINAL need not merge across partitions, and a
 * partition already merged to one part costs nothing extra (measurements in docs/metrics.md).
 */
export const EVENTS = 'events FINAL';

/** Settings for every query that reads EVENTS (safe because copies share a partition, see above). */
export const DEDUPLICATED_READ_SETTINGS = { do_not_merge_across_partitions_select_final: 1 } as const;

/** One row per conversation, recomputed from its deduplicated events (migration 0003). */
export const CONVERSATION_TOTALS = 'conversation_totals FINAL';

/**
 * Customer messages, turns, handoffs and templates, one row per event id, with what answering
 * them depends on worked out per conversation (migration 0004; refreshed with conversation_totals).
 */
export const RESPONSE_EVENTS = 'response_events FINAL';

/** Recomputes every conversation's totals (after inserting events other than through the shipper). */
export const REFRESH_ALL_CONVERSATION_TOTALS =
  'INSERT INTO conversation_totals SELECT * FROM conversation_totals_source';

/** EVENTS under an alias (ClickHouse wants FINAL after the alias). */
export const eventsAs = (alias: string) => `events AS ${alias} FINAL`;

/**
 * Knowledge searches, model calls and account-level costs, one row per UTC day and dimension
 * combination, recomputed from the deduplicated events of each day an insert touches (migration
 * 0005). The API reads the whole days of a range here and its partial days from EVENTS.
 */
export const EVENT_DAYS = 'event_days FINAL';

/** Recomputes every day of event_days (after inserting events other than through the shipper). */
export const REFRESH_ALL_EVENT_DAYS = 'INSERT INTO event_days SELECT * FROM event_days_source';

/** Every derived table recomputed from `events`, in order: what a bulk insert runs afterwards. */
export const REFRESH_ALL_DERIVED_TABLES = [REFRESH_ALL_CONVERSATION_TOTALS, REFRESH_ALL_EVENT_DAYS] as const;
