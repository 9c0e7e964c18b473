import type { CohortColumn } from './conversation-cohort.js';

/**
 * The headline metrics (PRODUCT.md §5), defined exactly as the analytics metrics API does
 * (analytics/src/metrics/compute-metrics.ts) so Grafana and /api/metrics agree:
 * - conversation metrics are over the conversations (conversation-cohort.ts), one counted in the
 *   period it *started* in, with everything that happened in it;
 * - response metrics are over `events` that *occurred* in the period.
 * Written once here so stats, trend series and tests share the definition.
 */
/** An aggregate over the conversation cohort, with the merged columns it reads. */
export interface CohortMetric {
  sql: string;
  columns: CohortColumn[];
}

export const ConversationMetric = {
  /** Distinct conversation threads. */
  conversations: { sql: 'count()', columns: [] },
  /** Average non-private messages (customer, AI, human agent, system) per conversation. */
  messagesPerConversation: { sql: 'avg(messages_total)', columns: ['messages_total'] },
  /** Total cost (model, transcription, vision, WhatsApp fees, embeddings), USD. */
  totalCost: { sql: 'toFloat64(sum(cost_usd))', columns: ['cost_usd'] },
  /** Total cost / conversations. */
  costPerConversation: { sql: 'toFloat64(sum(cost_usd)) / count()', columns: ['cost_usd'] },
  /** Conversations handed to a human. */
  handedOff: { sql: 'countIf(handoffs > 0)', columns: ['handoffs'] },
  /** Conversations handed to a human / conversations. */
  handoffRate: { sql: 'countIf(handoffs > 0) / count()', columns: ['handoffs'] },
  /** Conversations resolved with no handoff and no human-agent message / conversations. */
  aiResolutionRate: { sql: 'countIf(ai_resolved) / count()', columns: ['ai_resolved'] },
} as const satisfies Record<string, CohortMetric>;

/** A replied AI turn: its latency_ms is the response time. */
export const REPLIED_TURN = `type = 'turn' AND latency_ms IS NOT NULL`;
export const CUSTOMER_MESSAGE = `type = 'message' AND author = 'customer' AND NOT is_private`;

export const EventMetric = {
  /**
   * Customer messages covered by an AI reply / customer messages. Capped at 1: a turn at the
   * start of the range can answer messages sent just before it.
   */
  responseRate: `least(1, sumIf(merged_messages, ${REPLIED_TURN}) / nullIf(countIf(${CUSTOMER_MESSAGE}), 0))`,
  /** Mean response time of the replied turns (first customer message → reply accepted), ms. */
  averageResponseMs: `avgIf(latency_ms, ${REPLIED_TURN})`,
  /** Same quantile function as the API (exact, inclusive), ms. */
  responseQuantileMs: (level: number) => `quantileExactInclusiveIf(${level})(latency_ms, ${REPLIED_TURN})`,
} as const;
