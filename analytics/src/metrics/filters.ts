import { z } from 'zod';
import { channelTypeSchema } from '@switchboard/events';
import { toClickHouseTime } from '@switchboard/events';

const DAY_MS = 86_400_000;

const splitList = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
);

const instant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date or date-time')
  .transform((s) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s));

/**
 * Query filters shared by /api/metrics, the exports and the CLI. Times are UTC; `to` is
 * exclusive. A date without time means its midnight UTC. Defaults: the last 30 days.
 */
export const filtersSchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    channel: splitList.pipe(z.array(channelTypeSchema).min(1)).optional(),
    assistant: splitList.pipe(z.array(z.string().max(200)).min(1)).optional(),
    inbox: splitList.pipe(z.array(z.string().regex(/^\d+$/, 'inbox ids are integers')).min(1)).optional(),
    /** Phone number or part of it; non-digits other than a leading + are ignored. */
    customer: z
      .string()
      .transform((s) => s.replace(/[^\d+]/g, ''))
      .pipe(z.string().min(3, 'give at least 3 digits of the phone number'))
      .optional(),
    customerId: z.coerce.number().int().positive().optional(),
    /** Same as the token's account (anything else is refused by the auth hook). */
    account: z.coerce.number().int().positive().optional(),
  })
  .transform((f, ctx) => {
    const to = f.to ?? new Date();
    const from = f.from ?? new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) ctx.addIssue({ code: 'custom', message: '`from` must be before `to`', path: ['from'] });
    return { ...f, from, to };
  });

export type Filters = z.output<typeof filtersSchema>;

export interface SqlFilter {
  /** `AND …` conditions (column names as given), with {name:Type} placeholders. */
  where: string;
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
    params.inboxes = filters.inbox.map(Number);
  }
  if (filters.customer) {
    parts.push('position(customer_phone, {customer:String}) > 0');
    params.customer = filters.customer;
  }
  if (filters.customerId) {
    parts.push('customer_id = {customerId:Int64}');
    params.customerId = filters.customerId;
  }
  return { where: parts.join(' AND '), params };
}

export const bucketSchema = z.enum(['hour', 'day', 'week', 'month']);
export type Bucket = z.infer<typeof bucketSchema>;

/** ClickHouse expression for the start of a bucket (UTC; weeks start on Monday). */
export function bucketExpression(bucket: Bucket, column: string): string {
  switch (bucket) {
    case 'hour':
      return `toStartOfHour(${column})`;
    case 'day':
      return `toDateTime(toStartOfDay(${column}), 'UTC')`;
    case 'week':
      return `toDateTime(toMonday(${column}), 'UTC')`;
    case 'month':
      return `toDateTime(toStartOfMonth(${column}), 'UTC')`;
  }
}

/** Every bucket start in [from, to), so empty periods appear as zeros in the series. */
export function bucketStarts(bucket: Bucket, from: Date, to: Date, maxBuckets = 2000): Date[] {
  const start = new Date(from);
  start.setUTCMinutes(0, 0, 0);
  if (bucket !== 'hour') start.setUTCHours(0);
  if (bucket === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (bucket === 'month') start.setUTCDate(1);
  const out: Date[] = [];
  for (let t = start; t < to && out.length < maxBuckets;) {
    out.push(new Date(t));
    if (bucket === 'hour') t = new Date(t.getTime() + 3_600_000);
    else if (bucket === 'day') t = new Date(t.getTime() + DAY_MS);
    else if (bucket === 'week') t = new Date(t.getTime() + 7 * DAY_MS);
    else t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
  }
  return out;
}
