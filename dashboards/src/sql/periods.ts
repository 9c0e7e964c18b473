import { conversationCohort } from './conversation-cohort.js';
import type { CohortMetric } from './conversation-metrics.js';
import { EVENTS, responseEvents } from '@switchboard/analytics/metric-definitions';

/**
 * Trend stats: a metric for the chosen range and for the previous period of equal length,
 * [from - (to - from), from), as a two-point series the stat panel reduces to its last point
 * and Grafana's percent change from the first. Built from the plugin's $__fromTime / $__toTime
 * (millisecond precision, [from, to) as in the metrics API), so it moves with the time picker.
 */
const SPAN_MS = `dateDiff('millisecond', $__fromTime_ms, $__toTime_ms)`;
export const PREVIOUS_FROM = `subtractMilliseconds($__fromTime_ms, ${SPAN_MS})`;
/** The two points are labelled in whole seconds (Grafana's time axis); the fill steps between exactly those labels. */
const LABEL_STEP = `greatest(1, dateDiff('second', toDateTime(${PREVIOUS_FROM}), toDateTime($__fromTime_ms)))`;

/** Rows of the current range and of the previous period. */
export function currentAndPreviousPeriod(column: string): string {
  return `${column} >= ${PREVIOUS_FROM} AND ${column} < $__toTime_ms`;
}

/** The period a row belongs to, as the time the stat's two points carry. */
export function periodStart(column: string): string {
  return `toDateTime(if(${column} >= $__fromTime_ms, $__fromTime_ms, ${PREVIOUS_FROM}))`;
}

export interface TrendOptions {
  /**
   * What an empty period shows: `zero` for counts and sums, `none` (NULL, "No data") for
   * averages and rates, which have no value without rows. Either way both points exist, so an
   * empty range never shows the previous period's value as if it were the current one.
   */
  empty: 'zero' | 'none';
}

function trendSql(
  table: string,
  column: string,
  value: string,
  where: string,
  options: TrendOptions,
): string {
  const shown = options.empty === 'none' ? `toNullable(${value})` : value;
  return `
    SELECT
      ${periodStart(column)} AS time,
      ${shown} AS value
    FROM ${table}
    WHERE ${currentAndPreviousPeriod(column)}${where}
    GROUP BY time
    ORDER BY time WITH FILL FROM toDateTime(${PREVIOUS_FROM}) TO toDateTime($__fromTime_ms) + 1 STEP ${LABEL_STEP}`;
}

/** A trend over the conversations, each placed in the period it started in. */
export function conversationTrendSql(metric: CohortMetric, filters: string, options: TrendOptions): string {
  return trendSql(
    conversationCohort([...metric.columns]),
    'started_at',
    metric.sql,
    `\n      AND ${filters}`,
    options,
  );
}

/**
 * A trend over `events` by occurred_at, for message-level metrics. `types` narrows the scan to
 * the event types the value reads (all types when omitted).
 */
export function eventTrendSql(
  value: string,
  filters: string,
  options: TrendOptions & { types?: string[] },
): string {
  const typeFilter = options.types
    ? `\n      AND type IN (${options.types.map((type) => `'${type}'`).join(', ')})`
    : '';
  return trendSql(EVENTS, 'occurred_at', value, `${typeFilter}\n      AND ${filters}`, options);
}

/**
 * A trend of a response metric (response rate and times): over responseEvents, each row in the
 * period of its customer message's time (counted_at), as the metrics API counts it.
 */
export function responseTrendSql(value: string, filters: string, options: TrendOptions): string {
  return trendSql(
    responseEvents({ from: PREVIOUS_FROM, to: '$__toTime_ms' }),
    'counted_at',
    value,
    `\n      AND ${filters}`,
    options,
  );
}
