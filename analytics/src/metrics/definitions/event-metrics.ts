/**
 * Message-level metrics: over `events` that *occurred* in the range. Each is one ClickHouse
 * expression, written once: computeMetrics selects them, dashboards/ generates its panel and
 * alert queries from them (through `@switchboard/analytics/metric-definitions`).
 */

import { CONVERSATION_TOTALS, EVENTS, eventsAs, RESPONSE_EVENTS } from './storage.js';

/** WhatsApp's customer-service window: an answer later than this is not a live reply. */
export const REPLY_WINDOW_MS = 86_400_000;

/** The SQL expressions bounding a response query: the range's ends and, when known, the account. */
export interface ResponseBounds {
  from: string;
  to: string;
  account?: string;
}

/** How long before the range a hold may have begun and still cover a message in it. */
export const HOLD_LOOKBACK_DAYS = 30;

/**
 * Who held the conversation when a row's customer message was written: a handoff gives it to a
 * human until a hand-back (Chatwoot status back to `pending`, as agent-bot's resume rule reads
 * it). Per conversation, the times of both, joined onto the rows by responseEvents.
 */
function ownership(b: ResponseBounds, account: string): string {
  return `(SELECT account_id, conversation_id,
      groupArrayIf(occurred_at, type = 'handoff') AS handoffs_at,
      groupArrayIf(occurred_at, type = 'conversation' AND conversation_status = 'pending') AS handbacks_at
    FROM ${EVENTS}
    WHERE ${account} AND (type = 'handoff' OR (type = 'conversation' AND conversation_status = 'pending'))
      AND occurred_at >= ${b.from} - toIntervalDay(${HOLD_LOOKBACK_DAYS}) AND occurred_at < ${b.to}
    GROUP BY account_id, conversation_id)`;
}

/**
 * The time a response row counts at (its cohort): a customer message at its own time; an answered
 * turn at its first customer message's time (reply accepted − latency), however late the answer.
 */
const COUNTED_AT = `if(e.type = 'turn' AND e.latency_ms IS NOT NULL,
      e.occurred_at - toIntervalMillisecond(e.latency_ms), e.occurred_at)`;

/**
 * Customer messages and turns with the two columns the response metrics need: `counted_at`
 * (above) and `held` (a human held the conversation at that time). The range is applied inside
 * (rows counted in [from, to); read from `from` to `to` + the reply window, since an answer is
 * never before its message and a later one is not counted) so ClickHouse reads only those
 * granules. The API and every response panel and alert read this.
 *
 * Two halves, because joining every row to the ownership history costs 15x the read itself
 * (the join carries every column): rows of conversations without a handoff or hand-back near
 * the range are never held and skip the join (an IN over a set of keys); only the others are
 * joined (analytics/bench/metrics-api.bench.ts, docs/metrics.md).
 */
export function responseEvents(b: ResponseBounds): string {
  const account = b.account ? `account_id = ${b.account}` : '1';
  const columns = `e.account_id AS account_id, e.conversation_id AS conversation_id,
      e.type AS type, e.occurred_at AS occurred_at, e.author AS author, e.is_private AS is_private,
      e.latency_ms AS latency_ms, e.merged_messages AS merged_messages, e.outcome AS outcome,
      e.channel AS channel, e.assistant AS assistant, e.inbox_id AS inbox_id,
      e.customer_id AS customer_id, e.customer_phone AS customer_phone,
      ${COUNTED_AT} AS counted_at`;
  const rows = `${b.account ? `e.account_id = ${b.account} AND ` : ''}e.type IN ('message', 'turn')
      AND e.occurred_at >= ${b.from} AND e.occurred_at < ${b.to} + toIntervalMillisecond(${REPLY_WINDOW_MS})
      AND counted_at >= ${b.from} AND counted_at < ${b.to}`;
  const owned = ownership(b, account);
  return `(SELECT ${columns}, toUInt8(0) AS held
    FROM ${eventsAs('e')}
    WHERE ${rows} AND (e.account_id, e.conversation_id) NOT IN (SELECT account_id, conversation_id FROM ${owned})
  UNION ALL
  SELECT ${columns},
      toUInt8(arrayExists(h -> h <= counted_at
        AND NOT arrayExists(b -> b > h AND b <= counted_at, o.handbacks_at), o.handoffs_at)) AS held
    FROM ${eventsAs('e')}
    INNER JOIN ${owned} AS o ON e.account_id = o.account_id AND e.conversation_id = o.conversation_id
    WHERE ${rows})`;
}

/**
 * The rows of responseEvents() as stored ahead of time (response_events, migration 0004): the
 * same `counted_at`, and `held` from the stored `held_since` (the handoff whose hold covers the
 * row, worked out over the whole conversation when its totals were recomputed). The lookback
 * above stays a property of the range: a hold counts only when its handoff is at most
 * HOLD_LOOKBACK_DAYS before `from`, exactly as in responseEvents(). No join: the API reads these
 * (responseEvents() stays the definition; the agreement tests compare both).
 */
export function storedResponseEvents(
  b: ResponseBounds,
  types: readonly string[] = ['message', 'turn'],
): string {
  return `(SELECT *,
      toUInt8(ifNull(held_since >= ${b.from} - toIntervalDay(${HOLD_LOOKBACK_DAYS}), 0)) AS held
    FROM ${RESPONSE_EVENTS}
    WHERE ${b.account ? `account_id = ${b.account} AND ` : ''}type IN (${types.map((t) => `'${t}'`).join(', ')})
      AND counted_at >= ${b.from} AND counted_at < ${b.to})`;
}

/**
 * The same rows as storedResponseEvents(), for a few conversations (`conversations`: a subquery
 * of conversation ids, e.g. those a phone number appears in): read from the conversation_totals
 * rows they are flattened from (response_events_mv), which are sorted by conversation, so only
 * those conversations' granules are read instead of every row of the range.
 */
export function storedResponseEventsOf(
  b: ResponseBounds,
  conversations: string,
  types: readonly string[] = ['message', 'turn'],
): string {
  const fields = [
    'id',
    'type',
    'occurred_at',
    'counted_at',
    'author',
    'is_private',
    'latency_ms',
    'merged_messages',
    'outcome',
    'channel',
    'assistant',
    'inbox_id',
    'customer_id',
    'customer_phone',
    'held_since',
    'next_at',
  ];
  return `(SELECT account_id, conversation_id, ${fields.map((f) => `r.${f} AS ${f}`).join(', ')},
      toUInt8(ifNull(r.held_since >= ${b.from} - toIntervalDay(${HOLD_LOOKBACK_DAYS}), 0)) AS held
    FROM ${CONVERSATION_TOTALS} ARRAY JOIN response_rows AS r
    WHERE ${b.account ? `account_id = ${b.account} AND ` : ''}conversation_id IN ${conversations}
      AND r.type IN (${types.map((t) => `'${t}'`).join(', ')})
      AND r.counted_at >= ${b.from} AND r.counted_at < ${b.to})`;
}

/**
 * A customer message the assistant owned: written in a conversation an assistant serves
 * (inboxes no assistant serves have assistant '') while no human held it. Private notes are
 * agents' notes, not messages. Over responseEvents() (it reads `held`).
 */
export const CUSTOMER_MESSAGE = `type = 'message' AND author = 'customer' AND NOT is_private AND assistant != '' AND NOT held`;
/**
 * An AI reply to customer messages the assistant owned, inside WhatsApp's window: latency_ms is
 * its response time. Not counted: turns without a reply (NULL), template re-engagements
 * (outcome `template`, their own metric), replies later than the window, and turns whose first
 * message was written while a human held the conversation (the hold is not the AI's time).
 */
export const REPLIED_TURN = `type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= ${REPLY_WINDOW_MS} AND NOT held`;
/** A model, tool or media call that did not succeed: any outcome but `ok`, or `aborted` (we cancelled a superseded generation ourselves). */
export const FAILED_CALL = `outcome NOT IN ('ok', 'aborted')`;
/** A call that gave up waiting for its provider. */
export const TIMED_OUT = `outcome = 'timeout'`;
/** A knowledge-base search with no usable hit. */
export const KNOWLEDGE_MISS = `outcome = 'miss'`;

export const EventMetric = {
  customerMessages: `countIf(${CUSTOMER_MESSAGE})`,
  /** Customer messages covered by a replied turn (a turn answers its merged burst). */
  answeredByAi: `sumIf(merged_messages, ${REPLIED_TURN})`,
  aiReplies: `countIf(${REPLIED_TURN})`,
  /**
   * Customer messages covered by an AI reply / customer messages. Capped at 1: a turn at the
   * start of the range can answer messages sent just before it.
   */
  responseRate: `least(1, sumIf(merged_messages, ${REPLIED_TURN}) / nullIf(countIf(${CUSTOMER_MESSAGE}), 0))`,
  /** Mean response time of the replied turns (first customer message → reply accepted), ms. */
  averageResponseMs: `avgIf(latency_ms, ${REPLIED_TURN})`,
  /** Exact, inclusive quantile (like PostgreSQL percentile_cont) of the response time, ms. */
  responseQuantileMs: (level: number) => `quantileExactInclusiveIf(${level})(latency_ms, ${REPLIED_TURN})`,
  /** Several response-time quantiles in one pass, as an array. */
  responseQuantilesMs: (...levels: number[]) =>
    `quantilesExactInclusiveIf(${levels.join(', ')})(latency_ms, ${REPLIED_TURN})`,
  /** Over calls of one type (e.g. `type = 'model_call'`). */
  failedCalls: `countIf(${FAILED_CALL})`,
  callErrorRate: `countIf(${FAILED_CALL}) / count()`,
  timeouts: `countIf(${TIMED_OUT})`,
  /** Over `knowledge_search` events. */
  knowledgeMissRate: `countIf(${KNOWLEDGE_MISS}) / count()`,
  /** How missed questions are grouped: case and surrounding spaces ignored. */
  missedQuery: 'lower(trimBoth(text))',
} as const;
