/**
 * Conversation metrics: over the conversations that *started* in the range, one merged row each,
 * with everything that happened in them. The per-conversation columns are read through a
 * `ColumnReader`, because the API reads merged rows (`conversations FINAL`) and the dashboards
 * merge narrowly with GROUP BY; the definitions are the same either way.
 */

/** How a query reads a column of the merged conversation (e.g. `handoffs` or `sum(conversations.handoffs)`). */
export type ColumnReader = (column: string) => string;

export const COST_KINDS = ['model', 'transcription', 'vision', 'whatsapp', 'embedding'] as const;
export type CostKind = (typeof COST_KINDS)[number];

const MESSAGE_AUTHORS = ['customer', 'ai', 'human', 'system'] as const;

/** Non-private messages of the conversation, all authors. */
export function messagesTotalSql(read: ColumnReader): string {
  return MESSAGE_AUTHORS.map((author) => read(`messages_${author}`)).join(' + ');
}

/** Resolved (latest status) with no handoff and no human-agent message. `status` is the merged status. */
export function aiResolvedSql(status: string, read: ColumnReader): string {
  return `(${status} = 'resolved' AND ${read('handoffs')} = 0 AND ${read('messages_human')} = 0)`;
}

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
