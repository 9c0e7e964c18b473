import { CONVERSATION_TOTALS } from '@switchboard/analytics/metric-definitions';

/**
 * Conversations, one row each, with only the columns a panel reads: conversation_totals
 * (analytics/migrations/clickhouse/0003), recomputed per conversation from its events
 * deduplicated by id, the table the metrics API reads too (the agreement test checks the
 * results). Its derived columns (messages_total, ai_resolved) are analytics' metric definitions.
 *
 * Always present: account_id, conversation_id and what the filters and time range need
 * (started_at, channel, assistant, customer_phone).
 */
const COLUMNS = [
  'last_event_at',
  'messages_customer',
  'messages_ai',
  'messages_human',
  'messages_total',
  'cost_usd',
  'cost_model_usd',
  'cost_transcription_usd',
  'cost_vision_usd',
  'cost_whatsapp_usd',
  'cost_embedding_usd',
  'handoffs',
  'handoff_reasons',
  'ai_resolved',
] as const;

export type CohortColumn = (typeof COLUMNS)[number];
export const COHORT_COLUMNS: CohortColumn[] = [...COLUMNS];

const ALWAYS = ['account_id', 'conversation_id', 'started_at', 'channel', 'assistant', 'customer_phone'];

/** A subquery for FROM, aliased `c`. */
export function conversationCohort(columns: CohortColumn[] = []): string {
  const select = [...ALWAYS, ...columns];
  return `(
      SELECT ${select.join(', ')}
      FROM ${CONVERSATION_TOTALS}
    ) AS c`;
}
