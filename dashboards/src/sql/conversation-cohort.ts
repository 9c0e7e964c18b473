import { aiResolvedSql, messagesTotalSql } from '@switchboard/analytics/metric-definitions';

/**
 * Conversations merged to one row each, with only the columns a panel reads. The view
 * `conversations_summary` (analytics/migrations/clickhouse/0002) merges all fifty columns for every
 * conversation before any filter applies; reading three of them that way is ~5x slower on 100k
 * conversations than this narrow merge. The expressions are the view's own, so both give the same
 * numbers (the metrics API narrows the same way; the agreement test checks the results).
 *
 * Always present: account_id, conversation_id and what the filters and time range need
 * (started_at, channel, assistant, customer_phone). `conversations.` names the table's column
 * where an alias of the same name would otherwise be read.
 */
/** A count column of the conversation, merged over its partial rows. */
const merged = (column: string) => `sum(conversations.${column})`;

/** The derived columns (messages_total, ai_resolved) are analytics' metric definitions, as the API's are. */
const MERGED = {
  last_event_at: 'max(conversations.last_event_at)',
  messages_customer: 'sum(conversations.messages_customer)',
  messages_ai: 'sum(conversations.messages_ai)',
  messages_human: 'sum(conversations.messages_human)',
  messages_total: messagesTotalSql(merged),
  cost_usd: 'sum(conversations.cost_usd)',
  cost_model_usd: 'sum(conversations.cost_model_usd)',
  cost_transcription_usd: 'sum(conversations.cost_transcription_usd)',
  cost_vision_usd: 'sum(conversations.cost_vision_usd)',
  cost_whatsapp_usd: 'sum(conversations.cost_whatsapp_usd)',
  handoffs: 'sum(conversations.handoffs)',
  handoff_reasons: 'groupUniqArrayArray(conversations.handoff_reasons)',
  ai_resolved: aiResolvedSql('argMaxMerge(conversations.status)', merged),
} as const;

export type CohortColumn = keyof typeof MERGED;
export const COHORT_COLUMNS = Object.keys(MERGED) as CohortColumn[];

const ALWAYS = [
  'account_id',
  'conversation_id',
  'min(conversations.started_at) AS started_at',
  'max(toString(conversations.channel)) AS channel',
  'max(toString(conversations.assistant)) AS assistant',
  'max(conversations.customer_phone) AS customer_phone',
];

/** A subquery for FROM, aliased `c`. */
export function conversationCohort(columns: CohortColumn[] = []): string {
  const select = [...ALWAYS, ...columns.map((column) => `${MERGED[column]} AS ${column}`)];
  return `(
      SELECT ${select.join(',\n        ')}
      FROM conversations
      GROUP BY account_id, conversation_id
    ) AS c`;
}
