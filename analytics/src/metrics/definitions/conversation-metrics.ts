/**
 * Conversation metrics: over the conversations that *started* in the range, one row each in
 * conversation_totals (recomputed from the conversation's deduplicated events; its columns
 * `messages_total` and `ai_resolved` are defined in analytics/migrations/clickhouse/0003).
 */

export const COST_KINDS = ['model', 'transcription', 'vision', 'whatsapp', 'embedding'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** Aggregates over the cohort's rows (columns `messages_total`, `ai_resolved` as defined above). */
export const ConversationMetric = {
  conversations: 'count()',
  messages: 'sum(messages_total)',
  messagesPerConversation: 'avg(messages_total)',
  withHumanAgent: 'countIf(messages_human > 0)',
  /** USD, Decimal: wrap in toString() for exact money or toFloat64() for a panel. */
  costUsd: 'sum(cost_usd)',
  costPerConversationUsd: 'toFloat64(sum(cost_usd)) / count()',
  handedOff: 'countIf(handoffs > 0)',
  handoffRate: 'countIf(handoffs > 0) / count()',
  aiResolved: 'countIf(ai_resolved)',
  aiResolutionRate: 'countIf(ai_resolved) / count()',
} as const;
