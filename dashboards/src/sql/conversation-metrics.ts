import {
  ConversationMetric as C,
  CUSTOMER_MESSAGE,
  EventMetric as E,
  REPLIED_TURN,
} from '@switchboard/analytics/metric-definitions';
import type { CohortColumn } from './conversation-cohort.js';

/**
 * The headline metrics (PRODUCT.md §5) as panels read them. The SQL of each metric is defined once,
 * in analytics (`@switchboard/analytics/metric-definitions`, which the metrics API uses too); this
 * file only adds which merged cohort columns each one needs:
 * - conversation metrics are over the conversations (conversation-cohort.ts), one counted in the
 *   period it *started* in, with everything that happened in it;
 * - response metrics are over `events` that *occurred* in the period.
 */
/** An aggregate over the conversation cohort, with the merged columns it reads. */
export interface CohortMetric {
  sql: string;
  columns: CohortColumn[];
}

export const ConversationMetric = {
  conversations: { sql: C.conversations, columns: [] },
  messagesPerConversation: { sql: C.messagesPerConversation, columns: ['messages_total'] },
  /** A panel shows a float; the API keeps the Decimal. */
  totalCost: { sql: `toFloat64(${C.costUsd})`, columns: ['cost_usd'] },
  costPerConversation: { sql: C.costPerConversationUsd, columns: ['cost_usd'] },
  handedOff: { sql: C.handedOff, columns: ['handoffs'] },
  handoffRate: { sql: C.handoffRate, columns: ['handoffs'] },
  aiResolutionRate: { sql: C.aiResolutionRate, columns: ['ai_resolved'] },
} as const satisfies Record<string, CohortMetric>;

export { REPLIED_TURN, CUSTOMER_MESSAGE };

export const EventMetric = {
  responseRate: E.responseRate,
  averageResponseMs: E.averageResponseMs,
  responseQuantileMs: E.responseQuantileMs,
  callErrorRate: E.callErrorRate,
  failedCalls: E.failedCalls,
  knowledgeMissRate: E.knowledgeMissRate,
} as const;
