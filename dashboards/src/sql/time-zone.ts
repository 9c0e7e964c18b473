/**
 * Buckets in the account's time zone (issue 19): a manager in São Paulo reads "Monday" as their
 * Monday, so a message at 01:30 UTC on a Tuesday counts on Monday. The zone is the dashboards'
 * `timezone` variable; the metrics API buckets with the same ClickHouse functions and the same
 * zone argument (analytics bucketExpression), so both put every row in the same bucket, also
 * across daylight-saving changes.
 *
 * Neither Grafana (no `$__timezone` global variable) nor the ClickHouse plugin (v4.20: no zone
 * macro; the dashboard's zone only sets the driver's decoding location) hands a zone to the SQL,
 * hence the variable. It reaches SQL through `percentencode` + decodeURLComponent, like the
 * phone box: whatever is put in the URL stays inside the string literal. An unknown zone makes
 * ClickHouse refuse the query ("Cannot load time zone"), as the API answers 400.
 */
export const TIME_ZONE_VARIABLE = 'timezone';

export const TIME_ZONE = `decodeURLComponent('\${${TIME_ZONE_VARIABLE}:percentencode}')`;

const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
/** Grafana's interval steps go 1d, 1w, 30d: from 4 weeks on, a bucket is a calendar month. */
const MONTH_S = 28 * DAY_S;

/**
 * The start of the bucket holding `column`, for Grafana's interval (`$__interval_s`), in the
 * variable's zone: a calendar month, a week from Monday 00:00, n days from local midnight, n
 * hours from the local hour (also for half-hour zones), or plain seconds below an hour. This
 * replaces the plugin's $__timeInterval, which always cuts at UTC boundaries. The branches are
 * constant conditions, so ClickHouse folds them before reading a row.
 */
export function zonedBucket(column: string, zone = TIME_ZONE): string {
  const t = `toDateTime(${column})`;
  return `multiIf(
        $__interval_s >= ${MONTH_S}, toDateTime(toStartOfMonth(${t}, ${zone}), ${zone}),
        $__interval_s >= ${WEEK_S}, toDateTime(toMonday(${t}, ${zone}), ${zone}),
        $__interval_s >= ${DAY_S}, toStartOfInterval(${t}, toIntervalDay(intDiv($__interval_s, ${DAY_S})), ${zone}),
        $__interval_s >= 3600, toStartOfInterval(${t}, toIntervalHour(intDiv($__interval_s, 3600)), ${zone}),
        toStartOfInterval(${t}, toIntervalSecond($__interval_s), ${zone}))`;
}

/** Local midnight of the day holding `column` (budget burn, "today" of the daily-cost alert). */
export function startOfLocalDay(column: string, zone = TIME_ZONE): string {
  return `toStartOfDay(${column}, ${zone})`;
}

/** An IANA name as a SQL literal, for the alert rules (no dashboard variables server-side). */
export function zoneLiteral(zone: string): string {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new Error(`not a time zone name: ${zone}`);
  return `'${zone}'`;
}
