/**
 * The previous period of equal length, for trends: [from - (to - from), from). Built from the
 * plugin's $__fromTime / $__toTime (second precision), so it moves with Grafana's time picker.
 */
const SPAN_SECONDS = `dateDiff('second', $__fromTime, $__toTime)`;
export const PREVIOUS_FROM = `subtractSeconds($__fromTime, ${SPAN_SECONDS})`;

/** Rows of the current range and of the previous period. */
export function currentAndPreviousPeriod(column: string): string {
  return `${column} >= ${PREVIOUS_FROM} AND ${column} <= $__toTime`;
}

/** The period a row belongs to, as the time the stat's two points carry. */
export function periodStart(column: string): string {
  return `if(${column} >= $__fromTime, $__fromTime, ${PREVIOUS_FROM})`;
}

/**
 * A two-point series (previous period, current range) of one metric over
 * `conversations_summary`, for trend stats. `value` is an aggregate over the period's rows.
 */
export function conversationTrendSql(value: string, filters: string): string {
  return `
    SELECT
      ${periodStart('started_at')} AS time,
      ${value} AS value
    FROM conversations_summary
    WHERE ${currentAndPreviousPeriod('started_at')}
      AND ${filters}
    GROUP BY time
    ORDER BY time`;
}

/**
 * The same two-point series over `events` by occurred_at, for message-level metrics. `types`
 * narrows the scan to the event types the value reads (all types when omitted).
 */
export function eventTrendSql(value: string, filters: string, types?: string[]): string {
  const typeFilter = types ? `\n      AND type IN (${types.map((type) => `'${type}'`).join(', ')})` : '';
  return `
    SELECT
      ${periodStart('occurred_at')} AS time,
      ${value} AS value
    FROM events
    WHERE ${currentAndPreviousPeriod('occurred_at')}${typeFilter}
      AND ${filters}
    GROUP BY time
    ORDER BY time`;
}
