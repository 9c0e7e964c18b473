import type { ClickHouse } from '@switchboard/core';
import {
  ConversationMetric as C,
  CONVERSATION_TOTALS,
  storedResponseEvents,
  storedResponseEventsOf,
  COST_KINDS as KINDS,
  EventMetric as E,
} from './definitions/index.js';
import { computeEventTallies, type EventTallies } from './event-tallies.js';
import {
  bucketExpression,
  bucketStarts,
  buildFilter,
  CUSTOMER_CONVERSATIONS,
  type Bucket,
  type Filters,
} from './filters.js';

/**
 * The metrics of GET /api/metrics. Two populations, as in Chatwoot's own reports:
 * - conversation metrics (count, messages per conversation, cost, handoffs, AI resolution) are
 *   over the conversations that *started* in the range, with everything that happened in them;
 * - message metrics (response rate and times, knowledge-base misses, model calls) are over the
 *   events that *occurred* in the range.
 * Money is a decimal string in USD; rates are fractions (0..1) rounded to 4 places.
 */
export interface Metrics {
  accountId: number;
  range: { from: string; to: string };
  conversations: {
    total: number;
    messages: { total: number; customer: number; ai: number; humanAgent: number; system: number };
    messagesPerConversation: number;
    withHumanAgent: number;
  };
  responses: {
    customerMessages: number;
    answeredByAi: number;
    responseRate: number;
    aiReplies: number;
    avgResponseMs: number | null;
    p50ResponseMs: number | null;
    p95ResponseMs: number | null;
  };
  cost: {
    totalUsd: string;
    perConversationUsd: string;
    byKind: Record<'model' | 'transcription' | 'vision' | 'whatsapp' | 'embedding', string>;
    perConversationByKind: Record<'model' | 'transcription' | 'vision' | 'whatsapp' | 'embedding', string>;
    byModel: { model: string; costUsd: string; calls: number }[];
    /**
     * Not in totalUsd: costs outside any conversation (knowledge-base embeddings at ingest), in
     * the range by when they occurred. totalUsd is every cost of the conversations that started in
     * the range (model, transcription, vision, WhatsApp fees, query embeddings), whenever spent.
     */
    accountLevelUsd?: string;
  };
  handoffs: {
    conversations: number;
    rate: number;
    reasons: { reason: string; conversations: number }[];
    /** Handoffs in the range a human agent answered (a human message after it), and the mean time to it. */
    answeredByHuman?: number;
    avgTimeToHumanMs?: number | null;
  };
  /** Template re-engagements sent in the range, and those the customer answered within 24 h. */
  reengagements?: { templatesSent: number; answered: number; answerRate: number };
  aiResolution: { conversations: number; rate: number };
  knowledge: {
    searches: number;
    misses: number;
    missRate: number;
    topMissedQueries: { query: string; count: number }[];
  };
  modelCalls: { total: number; errors: number; timeouts: number; avgLatencyMs: number | null };
  series?: SeriesPoint[];
}

export interface SeriesPoint {
  bucket: string;
  conversations: number;
  messages: number;
  costUsd: string;
  handoffConversations: number;
  customerMessages: number;
  answeredByAi: number;
  avgResponseMs: number | null;
  p95ResponseMs: number | null;
}

const ratio = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 10_000) / 10_000);
const num = (v: unknown): number => Number(v ?? 0);
const nullableMs = (v: unknown): number | null =>
  v === null || v === undefined || Number.isNaN(Number(v)) ? null : Math.round(Number(v));

async function rows<T>(
  ch: Pick<ClickHouse, 'client'>,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const CONVERSATION_COLUMNS = `
  ${C.conversations} AS conversations,
  ${C.messages} AS messages,
  sum(messages_customer) AS m_customer,
  sum(messages_ai) AS m_ai,
  sum(messages_human) AS m_human,
  sum(messages_system) AS m_system,
  ${C.withHumanAgent} AS with_human,
  toString(${C.costUsd}) AS cost,
  ${KINDS.map((k) => `toString(sum(cost_${k}_usd)) AS cost_${k}`).join(',\n  ')},
  ${C.handedOff} AS handoff_conversations,
  ${C.aiResolved} AS ai_resolved`;

/**
 * The conversations of one account, one row each, recomputed from their events deduplicated by
 * id (conversation_totals, migration 0003). Only the account condition (a sorting key column)
 * sits inside; the other filters apply to the rows.
 */
function cohort(): string {
  return `(SELECT account_id, conversation_id, started_at, channel, assistant, inbox_id, customer_id, customer_phone,
      messages_total, messages_customer, messages_ai, messages_human, messages_system,
      cost_usd, ${KINDS.map((k) => `cost_${k}_usd`).join(', ')}, handoffs, handoff_reasons, ai_resolved
    FROM ${CONVERSATION_TOTALS} WHERE account_id = {account:Int64})`;
}

/** The response metrics' range: rows counted at (their customer message's time) in [from, to). */
function responseFilter(accountId: number, filters: Filters) {
  return buildFilter(accountId, filters, 'counted_at');
}

const RANGE = { account: '{account:Int64}', from: '{from:DateTime64(3)}', to: '{to:DateTime64(3)}' };

/** responseEvents() as stored (response_events): no join at query time. */
const API_RESPONSE_EVENTS = storedResponseEvents(RANGE);

/**
 * Where the response rows of a request are read: response_events, or, with a phone filter (a few
 * conversations), those conversations' rows in conversation_totals (storedResponseEventsOf).
 */
function responseRows(filters: Filters, types?: readonly string[]): string {
  return filters.customer
    ? storedResponseEventsOf(RANGE, CUSTOMER_CONVERSATIONS, types)
    : types
      ? storedResponseEvents(RANGE, types)
      : API_RESPONSE_EVENTS;
}

/**
 * Their own metrics, apart from the AI's response time: template re-engagements sent in the range
 * and how many the customer answered within the reply window; handoffs in the range answered by a
 * human agent's message and the mean time to it. `next_at` (that answer) is stored per handoff and
 * template (migration 0004); templates outside any conversation are counted by the account query.
 */
function followUpSql(where: string, filters: Filters): string {
  return `SELECT countIf(type = 'template_sent') AS templates_sent,
      countIf(type = 'template_sent' AND next_at IS NOT NULL) AS templates_answered,
      countIf(type = 'handoff' AND next_at IS NOT NULL) AS handoffs_answered,
      avgIf(dateDiff('millisecond', occurred_at, next_at), type = 'handoff' AND next_at IS NOT NULL)
        AS avg_time_to_human_ms
    FROM ${responseRows(filters, ['template_sent', 'handoff'])} WHERE ${where}`;
}

const EVENT_COLUMNS = `
  ${E.customerMessages} AS customer_messages,
  ${E.answeredByAi} AS answered,
  ${E.aiReplies} AS ai_replies,
  ${E.averageResponseMs} AS avg_ms,
  ${E.responseQuantilesMs(0.5, 0.95)} AS q_ms`;

function scaled(v: string): bigint {
  const negative = v.startsWith('-');
  const [whole, frac = ''] = v.replace('-', '').split('.');
  const n = BigInt(`${whole}${frac.padEnd(12, '0').slice(0, 12)}`);
  return negative ? -n : n;
}

function compareDecimal(a: string, b: string): number {
  const d = scaled(a) - scaled(b);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
}

/** "0.003000000000" → "0.003", as ClickHouse prints Decimals elsewhere. */
function trimDecimal(v: string): string {
  return v.includes('.') ? v.replace(/\.?0+$/, '') || '0' : v;
}

/** Decimal string division with 12 places (exact enough for USD, no float rounding of sums). */
function perConversation(total: string, count: number): string {
  if (count === 0) return '0';
  const [whole, frac = ''] = total.split('.');
  const scaled = BigInt(`${whole}${frac.padEnd(12, '0').slice(0, 12)}`);
  const q = scaled / BigInt(count);
  const negative = q < 0n;
  const digits = (negative ? -q : q).toString().padStart(13, '0');
  const text = `${digits.slice(0, -12)}.${digits.slice(-12)}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${text || '0'}`;
}

export async function computeMetrics(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  filters: Filters,
  bucket?: Bucket,
  /** The account's time zone: day, week and month buckets start at its midnight. */
  timezone = 'UTC',
): Promise<Metrics> {
  const conv = buildFilter(accountId, filters, 'started_at');
  const resp = responseFilter(accountId, filters);

  // Five queries rather than one per figure: chdb runs queries one after another, so each
  // query saved is latency saved. With a series, the range's figures and each bucket's come from
  // the same pass (GROUPING SETS: the buckets, and () for the whole range).
  const grouped = (column: string) =>
    bucket
      ? {
          select: `${bucketExpression(bucket, column, timezone)} AS bucket, grouping(bucket) AS whole_range,`,
          groupBy: 'GROUP BY GROUPING SETS ((bucket), ())',
        }
      : { select: '', groupBy: '' };
  const [c, e, tallies, follow] = await Promise.all([
    rows<Record<string, unknown>>(
      ch,
      `SELECT ${grouped('started_at').select} ${CONVERSATION_COLUMNS},
         sumMap(handoff_reasons, arrayMap(x -> toUInt64(1), handoff_reasons)) AS reasons
       FROM ${cohort()} WHERE ${conv.where} ${grouped('started_at').groupBy}`,
      conv.params,
    ),
    rows<Record<string, unknown>>(
      ch,
      `SELECT ${grouped('counted_at').select} ${EVENT_COLUMNS} FROM ${responseRows(filters)} WHERE ${resp.where}
         ${grouped('counted_at').groupBy}`,
      resp.params,
    ),
    // Knowledge searches, model calls and account-level costs: two queries (event-tallies.ts).
    computeEventTallies(ch, accountId, filters),
    rows<Record<string, unknown>>(ch, followUpSql(resp.where, filters), resp.params),
  ]);
  // grouping(bucket) is 1 on the row of the empty grouping set (the whole range), present also
  // when no row matched; without a series the only row is the range's.
  const range = (r: Record<string, unknown>[]) => (bucket ? r.find((x) => num(x.whole_range) === 1)! : r[0]!);
  const buckets = (r: Record<string, unknown>[]) => r.filter((x) => num(x.whole_range) === 0);
  const metrics = shapeMetrics(accountId, filters, { c: range(c), e: range(e), tallies });
  const templatesSent = num(follow[0]?.templates_sent) + tallies.accountLevelTemplates;
  metrics.reengagements = {
    templatesSent,
    answered: num(follow[0]?.templates_answered),
    answerRate: ratio(num(follow[0]?.templates_answered), templatesSent),
  };
  metrics.cost.accountLevelUsd = tallies.accountLevelCost;
  metrics.handoffs.avgTimeToHumanMs = nullableMs(follow[0]?.avg_time_to_human_ms);
  metrics.handoffs.answeredByHuman = num(follow[0]?.handoffs_answered);
  if (bucket) metrics.series = seriesPoints(filters, bucket, timezone, buckets(c), buckets(e));
  return metrics;
}

interface MetricRows {
  c: Record<string, unknown>;
  e: Record<string, unknown>;
  tallies: EventTallies;
}

/** The queries' rows as the API's JSON: ratios, exact money, sorted breakdowns. */
function shapeMetrics(accountId: number, filters: Filters, { c, e, tallies }: MetricRows): Metrics {
  const modelRows = tallies.models;
  const [reasonKeys, reasonCounts] = (c.reasons as [string[], number[]] | undefined) ?? [[], []];
  const reasons = reasonKeys
    .map((reason, i) => ({ reason, n: num(reasonCounts[i]) }))
    .sort((a, b) => b.n - a.n || (a.reason < b.reason ? -1 : 1));
  const models = modelRows
    .map((m) => ({ model: m.model, cost: trimDecimal(String(m.cost)), calls: num(m.calls) }))
    .sort((a, b) => compareDecimal(b.cost, a.cost) || (a.model < b.model ? -1 : 1));
  const sumOf = (key: 'calls' | 'errors' | 'timeouts' | 'latency') =>
    modelRows.reduce((n, m) => n + num(m[key]), 0);
  const totalCalls = sumOf('calls');
  const calls = [
    {
      total: totalCalls,
      errors: sumOf('errors'),
      timeouts: sumOf('timeouts'),
      avg_ms: totalCalls === 0 ? null : sumOf('latency') / totalCalls,
    },
  ];
  const cr = c;
  const er = e;
  const total = num(cr.conversations);
  const quantiles = (er.q_ms as number[] | undefined) ?? [];
  const aiReplies = num(er.ai_replies);

  const metrics: Metrics = {
    accountId,
    range: { from: filters.from.toISOString(), to: filters.to.toISOString() },
    conversations: {
      total,
      messages: {
        total: num(cr.messages),
        customer: num(cr.m_customer),
        ai: num(cr.m_ai),
        humanAgent: num(cr.m_human),
        system: num(cr.m_system),
      },
      messagesPerConversation: ratio(num(cr.messages), total),
      withHumanAgent: num(cr.with_human),
    },
    responses: {
      customerMessages: num(er.customer_messages),
      answeredByAi: num(er.answered),
      // Turns at the range edges can answer messages from just before it: never report > 100%.
      responseRate: Math.min(1, ratio(num(er.answered), num(er.customer_messages))),
      aiReplies,
      avgResponseMs: aiReplies === 0 ? null : nullableMs(er.avg_ms),
      p50ResponseMs: aiReplies === 0 ? null : nullableMs(quantiles[0]),
      p95ResponseMs: aiReplies === 0 ? null : nullableMs(quantiles[1]),
    },
    cost: {
      totalUsd: String(cr.cost),
      perConversationUsd: perConversation(String(cr.cost), total),
      byKind: Object.fromEntries(KINDS.map((k) => [k, String(cr[`cost_${k}`])])) as Metrics['cost']['byKind'],
      perConversationByKind: Object.fromEntries(
        KINDS.map((k) => [k, perConversation(String(cr[`cost_${k}`]), total)]),
      ) as Metrics['cost']['byKind'],
      byModel: models.map((m) => ({ model: m.model, costUsd: m.cost, calls: num(m.calls) })),
    },
    handoffs: {
      conversations: num(cr.handoff_conversations),
      rate: ratio(num(cr.handoff_conversations), total),
      reasons: reasons.map((r) => ({ reason: r.reason, conversations: num(r.n) })),
    },
    aiResolution: { conversations: num(cr.ai_resolved), rate: ratio(num(cr.ai_resolved), total) },
    knowledge: {
      searches: tallies.searches,
      misses: tallies.misses,
      missRate: ratio(tallies.misses, tallies.searches),
      topMissedQueries: tallies.topMissedQueries.map((m) => ({ query: m.query, count: m.n })),
    },
    modelCalls: {
      total: num(calls[0]?.total),
      errors: num(calls[0]?.errors),
      timeouts: num(calls[0]?.timeouts),
      avgLatencyMs: num(calls[0]?.total) === 0 ? null : nullableMs(calls[0]?.avg_ms),
    },
  };
  return metrics;
}

/** Every bucket of the range, empty ones as zeros, from the grouped rows of both queries. */
function seriesPoints(
  filters: Filters,
  bucket: Bucket,
  timezone: string,
  convRows: Record<string, unknown>[],
  eventRows: Record<string, unknown>[],
): SeriesPoint[] {
  const key = (v: unknown) => new Date(Number(v) * 1000).toISOString();
  const byConv = new Map(convRows.map((r) => [key(r.bucket), r]));
  const byEvent = new Map(eventRows.map((r) => [key(r.bucket), r]));
  return bucketStarts(bucket, filters.from, filters.to, timezone).map((start) => {
    const k = start.toISOString();
    const c = byConv.get(k);
    const e = byEvent.get(k);
    const replies = num(e?.ai_replies);
    const q = (e?.q_ms as number[] | undefined) ?? [];
    return {
      bucket: k,
      conversations: num(c?.conversations),
      messages: num(c?.messages),
      costUsd: c ? String(c.cost) : '0',
      handoffConversations: num(c?.handoff_conversations),
      customerMessages: num(e?.customer_messages),
      answeredByAi: num(e?.answered),
      avgResponseMs: replies === 0 ? null : nullableMs(e?.avg_ms),
      p95ResponseMs: replies === 0 ? null : nullableMs(q[1]),
    };
  });
}
