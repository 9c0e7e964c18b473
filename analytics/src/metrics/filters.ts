import { z } from 'zod';
import { channelTypeSchema } from '@switchboard/events';
import { toClickHouseTime } from '@switchboard/events';
import { bucketStartIn, nextBucketStartIn } from './time-zone-buckets.js';

const DAY_MS = 86_400_000;

const splitList = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
);

/** The range ClickHouse's DateTime64 holds; anything outside is refused rather than sent. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2299;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A calendar-valid ISO date (`2026-11-01`, its midnight UTC) or date-time with a zone
 * (`2026-11-01T12:00:00.000Z`, `…+02:00`). `Date.parse` alone would roll `2026-02-30` into March
 * and accept years ClickHouse cannot hold, so each field is checked against the date it builds.
 */
export function parseInstant(text: string): Date | string {
  const m = ISO_INSTANT.exec(text);
  if (!m) return 'must be an ISO date (YYYY-MM-DD) or date-time with a zone (YYYY-MM-DDTHH:MM:SSZ)';
  const [, y, mo, d, h = '00', mi = '00', sec = '00', ms = '0', zone] = m;
  const year = Number(y);
  if (year < MIN_YEAR || year > MAX_YEAR) return `the year must be between ${MIN_YEAR} and ${MAX_YEAR}`;
  const local = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(sec)
  )
    return 'is not a date of the calendar';
  let offsetMs = 0;
  if (zone && zone !== 'Z') {
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) return 'has an invalid time zone offset';
    offsetMs = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return new Date(local + Number(ms.padEnd(3, '0')) - offsetMs);
}

const instant = z.string().transform((s, ctx) => {
  const parsed = parseInstant(s);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

/** A Chatwoot id as ClickHouse's Int64 holds it (and JavaScript counts it exactly). */
const idText = z
  .string()
  .regex(/^\d{1,15}$/, 'ids are positive integers')
  .transform(Number)
  .pipe(z.number().int().positive());

/**
 * Query filters shared by /api/metrics, the exports and the CLI. Times are UTC; `to` is
 * exclusive. A date without time means its midnight UTC. Defaults: the last 30 days.
 */
export const filtersSchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    channel: splitList.pipe(z.array(channelTypeSchema).min(1).max(10)).optional(),
    assistant: splitList.pipe(z.array(z.string().max(200)).min(1).max(100)).optional(),
    inbox: splitList.pipe(z.array(idText).min(1).max(100)).optional(),
    /** Phone number or part of it; non-digits other than a leading + are ignored. */
    customer: z
      .string()
      .max(64)
      .transform((s) => s.replace(/[^\d+]/g, ''))
      .pipe(z.string().min(3, 'give at least 3 digits of the phone number'))
      .optional(),
    customerId: idText.optional(),
    /** Same as the token's account (anything else is refused by the auth hook). */
    account: idText.optional(),
  })
  .transform((f, ctx) => {
    const to = f.to ?? new Date();
    const from = f.from ?? new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) ctx.addIssue({ code: 'custom', message: '`from` must be before `to`', path: ['from'] });
    return { ...f, from, to };
  });

export type Filters = z.output<typeof filtersSchema>;

/** The conversations (ids) of `{account}` that the `{customer}` number, or part of it, appears in. */
export const CUSTOMER_CONVERSATIONS = `(SELECT conversation_id FROM conversation_phones
    WHERE account_id = {account:Int64} AND position(customer_phone, {customer:String}) > 0)`;

export interface SqlFilter {
  /** `AND …` conditions (column names as given), with {name:Type} placeholders. */
  where: string;
  /** The same conditions one by one (the first three: account, range start, range end). */
  conditions: string[];
  params: Record<string, unknown>;
}

/**
 * Filter conditions for one account. `timeColumn` is the column the date range applies to
 * (`occurred_at` on events, `started_at` on conversations_summary); the other columns exist
 * with the same names on both.
 */
export function buildFilter(accountId: number, filters: Filters, timeColumn: string): SqlFilter {
  const parts = [
    `account_id = {account:Int64}`,
    `${timeColumn} >= {from:DateTime64(3)}`,
    `${timeColumn} < {to:DateTime64(3)}`,
  ];
  const params: Record<string, unknown> = {
    account: accountId,
    from: toClickHouseTime(filters.from.toISOString()),
    to: toClickHouseTime(filters.to.toISOString()),
  };
  if (filters.channel) {
    parts.push('channel IN {channels:Array(String)}');
    params.channels = filters.channel;
  }
  if (filters.assistant) {
    parts.push('assistant IN {assistants:Array(String)}');
    params.assistants = filters.assistant;
  }
  if (filters.inbox) {
    parts.push('inbox_id IN {inboxes:Array(Int64)}');
    params.inboxes = filters.inbox;
  }
  if (filters.customer) {
    // The conversations the number appears in first (a small table, migration 0006), then the
    // exact condition on the rows: the same rows as the condition alone, without a string search
    // over every row of the range.
    parts.push(`conversation_id IN ${CUSTOMER_CONVERSATIONS}`);
    parts.push('position(customer_phone, {customer:String}) > 0');
    params.customer = filters.customer;
  }
  if (filters.customerId) {
    parts.push('customer_id = {customerId:Int64}');
    params.customerId = filters.customerId;
  }
  return { where: parts.join(' AND '), conditions: parts, params };
}

export const bucketSchema = z.enum(['hour', 'day', 'week', 'month']);
export type Bucket = z.infer<typeof bucketSchema>;

/**
 * ClickHouse expression for the start of a bucket in `zone` (weeks start on Monday), as Unix
 * seconds: the instant of that local midnight, whatever the session's time zone.
 */
export function bucketExpression(bucket: Bucket, column: string, zone = 'UTC'): string {
  const tz = `'${zone.replace(/[^A-Za-z0-9_+\-/]/g, '')}'`;
  switch (bucket) {
    case 'hour':
      return `toUnixTimestamp(toStartOfHour(${column}, ${tz}))`;
    case 'day':
      return `toUnixTimestamp(toStartOfDay(${column}, ${tz}))`;
    case 'week':
      return `toUnixTimestamp(toDateTime(toMonday(${column}, ${tz}), ${tz}))`;
    case 'month':
      return `toUnixTimestamp(toDateTime(toStartOfMonth(${column}, ${tz}), ${tz}))`;
  }
}

/** Every bucket start in [from, to) in `zone`, so empty periods appear as zeros in the series. */
export function bucketStarts(bucket: Bucket, from: Date, to: Date, zone = 'UTC', maxBuckets = 2000): Date[] {
  const out: Date[] = [];
  for (let t = bucketStartIn(zone, bucket, from.getTime()); t < to.getTime() && out.length < maxBuckets;) {
    out.push(new Date(t));
    t = nextBucketStartIn(zone, bucket, t);
  }
  return out;
}
