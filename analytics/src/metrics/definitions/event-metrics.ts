/**
 * Message-level metrics: over `events` that *occurred* in the range. Each is one ClickHouse
 * expression, written once: computeMetrics selects them, dashboards/ generates its panel and
 * alert queries from them (through `@switchboard/analytics/metric-definitions`).
 */

/** A customer's message (private notes are agents' notes, not messages). */
export const CUSTOMER_MESSAGE = `type = 'message' AND author = 'customer' AND NOT is_private`;
/** A replied AI turn: its latency_ms is the response time (NULL = no reply). */
export const REPLIED_TURN = `type = 'turn' AND latency_ms IS NOT NULL`;
/** A model, tool or media call that did not succeed (any outcome but `ok`). */
export const FAILED_CALL = `outcome != 'ok'`;
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
  timeouts: `countIf(outcome = 'timeout')`,
  /** Over `knowledge_search` events. */
  knowledgeMissRate: `countIf(${KNOWLEDGE_MISS}) / count()`,
  /** How missed questions are grouped: case and surrounding spaces ignored. */
  missedQuery: 'lower(trimBoth(text))',
} as const;
