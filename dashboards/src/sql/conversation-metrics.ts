/**
 * The headline metrics (PRODUCT.md §5) as aggregates over `conversations_summary`, one row per
 * conversation, a conversation counted in the period it started in. Written once here so the
 * overview stats, the trend series and the tests use the same definition.
 */
export const ConversationMetric = {
  /** Distinct conversation threads. */
  conversations: 'count()',
  /** Average non-private messages (customer, AI, human agent, system) per conversation. */
  messagesPerConversation: 'avg(messages_total)',
  /** Customer messages covered by an AI reply / customer messages. */
  responseRate: 'sum(customer_messages_answered) / nullIf(sum(messages_customer), 0)',
  /** Mean of the replied turns' response times (first customer message → reply accepted), in ms. */
  averageResponseMs: 'sum(response_ms_sum) / nullIf(sum(ai_replies), 0)',
  /** Total cost (model, transcription, vision, WhatsApp fees, embeddings) / conversations. */
  costPerConversation: 'toFloat64(sum(cost_usd)) / count()',
  /** Conversations handed to a human / conversations. */
  handoffRate: 'countIf(handoffs > 0) / count()',
  /** Conversations resolved with no handoff and no human-agent message / conversations. */
  aiResolutionRate: 'countIf(ai_resolved) / count()',
} as const;
