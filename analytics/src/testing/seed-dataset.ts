import { refreshConversationTotals } from '../clickhouse/conversation-totals.js';
import { daysOf, refreshEventDays } from '../clickhouse/event-days.js';
import type { ClickHouse } from '@switchboard/core';
import type { AnalyticsEvent } from '@switchboard/events';
import { toInsertRow } from '@switchboard/events';
import {
  conversationEvent,
  costEvent,
  handoffEvent,
  knowledgeSearchEvent,
  messageEvent,
  modelCallEvent,
  toolCallEvent,
  turnEvent,
} from './event-factory.js';

/** Inserts events straight into ClickHouse (what the shipper does, minus the outbox). */
export async function insertEvents(ch: Pick<ClickHouse, 'client'>, events: AnalyticsEvent[]): Promise<void> {
  await ch.client.insert({ table: 'events', values: events.map(toInsertRow), format: 'JSONEachRow' });
  // As the shipper does after each batch: the per-conversation totals follow the events.
  await refreshConversationTotals(ch.client, conversationsOf(events));
  await refreshEventDays(ch.client, daysOf(events));
}

function conversationsOf(events: AnalyticsEvent[]): Map<number, Set<number>> {
  const byAccount = new Map<number, Set<number>>();
  for (const e of events) {
    if (!e.conversationId) continue;
    const set = byAccount.get(e.accountId) ?? new Set<number>();
    set.add(e.conversationId);
    byAccount.set(e.accountId, set);
  }
  return byAccount;
}

const at = (s: string) => `2026-11-${s}Z`;

/**
 * The hand-computed data set of the metrics tests (expected values in metrics.test.ts and
 * analytics/README.md). Account 1, range [2026-11-01, 2026-11-08):
 * - 101 WhatsApp/sales: burst of 2 answered after 12 s, a voice note answered after 4 s, resolved
 *   by the AI; model 0.002 + transcription 0.0006.
 * - 102 WhatsApp/sales, over two days: answered after 2 s, two knowledge misses, handoff
 *   (customer request), human reply, a private note, a WhatsApp template fee 0.0125; model 0.001.
 * - 103 web/support: answered after 1 s (model 0.003 claude-haiku, vision 0.0004), a second
 *   message never answered, handoff (keyword); one knowledge hit; one tool call.
 * - 104 test inbox, humans only.
 * - 105 started before the range, one message + 5 s AI reply inside it.
 * Account 2: conversation 201, which no account-1 query may ever see.
 */
export function seededEvents(): AnalyticsEvent[] {
  const c101 = { conversationId: 101, customerId: 42, customerPhone: '+5511987654321' };
  const c102 = { conversationId: 102, customerId: 43, customerPhone: '+5511911112222' };
  const c103 = {
    conversationId: 103,
    channel: 'web' as const,
    assistant: 'support',
    inboxId: 9,
    customerId: 44,
    customerPhone: null,
  };
  const c104 = {
    conversationId: 104,
    channel: 'test' as const,
    inboxId: 11,
    customerId: 45,
    customerPhone: '+5511933334444',
    assistant: null,
  };
  const c105 = { conversationId: 105, customerId: 46, customerPhone: '+5511955556666' };
  return [
    conversationEvent('created', 'pending', { ...c101, occurredAt: at('02T09:59:00.000') }),
    messageEvent('customer', {
      ...c101,
      messageId: 1,
      occurredAt: at('02T10:00:00.000'),
      text: 'Quanto custa?',
    }),
    messageEvent('customer', {
      ...c101,
      messageId: 2,
      occurredAt: at('02T10:00:05.000'),
      text: 'o plano anual',
    }),
    modelCallEvent({ ...c101, costUsd: '0.002', occurredAt: at('02T10:00:11.000') }),
    turnEvent({ ...c101, latencyMs: 12_000, merged: 2, occurredAt: at('02T10:00:12.000') }),
    messageEvent('ai', { ...c101, messageId: 3, occurredAt: at('02T10:00:12.000'), text: 'R$ 999' }),
    messageEvent('customer', { ...c101, messageId: 4, occurredAt: at('02T10:05:00.000'), text: '' }),
    costEvent('transcription', { ...c101, costUsd: '0.0006', occurredAt: at('02T10:05:01.000') }),
    turnEvent({ ...c101, latencyMs: 4000, occurredAt: at('02T10:05:04.000') }),
    messageEvent('ai', { ...c101, messageId: 5, occurredAt: at('02T10:05:04.000') }),
    conversationEvent('resolved', 'resolved', { ...c101, occurredAt: at('02T10:30:00.000') }),

    messageEvent('customer', { ...c102, messageId: 11, occurredAt: at('03T23:50:00.000') }),
    modelCallEvent({ ...c102, costUsd: '0.001', occurredAt: at('03T23:50:01.000') }),
    turnEvent({ ...c102, latencyMs: 2000, occurredAt: at('03T23:50:02.000') }),
    messageEvent('ai', { ...c102, messageId: 12, occurredAt: at('03T23:50:02.000') }),
    knowledgeSearchEvent('miss', 'refund policy?', { ...c102, occurredAt: at('03T23:50:01.500') }),
    messageEvent('customer', { ...c102, messageId: 13, occurredAt: at('04T08:00:00.000') }),
    knowledgeSearchEvent('miss', ' Refund policy?', { ...c102, occurredAt: at('04T08:00:01.000') }),
    handoffEvent('customer_request', { ...c102, occurredAt: at('04T08:00:03.000') }),
    turnEvent({ ...c102, latencyMs: null, outcome: 'handoff', occurredAt: at('04T08:00:03.000') }),
    messageEvent('human_agent', { ...c102, messageId: 14, occurredAt: at('04T08:10:00.000') }),
    messageEvent('human_agent', { ...c102, messageId: 15, private: true, occurredAt: at('04T08:11:00.000') }),
    costEvent('whatsapp', { ...c102, costUsd: '0.0125', occurredAt: at('04T09:00:00.000') }),
    conversationEvent('resolved', 'resolved', { ...c102, occurredAt: at('04T10:00:00.000') }),

    messageEvent('customer', { ...c103, messageId: 21, occurredAt: at('05T12:00:00.000') }),
    knowledgeSearchEvent('hit', 'opening hours', { ...c103, occurredAt: at('05T12:00:00.300') }),
    toolCallEvent('lookup_order', { ...c103, occurredAt: at('05T12:00:00.500') }),
    modelCallEvent({ ...c103, costUsd: '0.003', model: 'claude-haiku', occurredAt: at('05T12:00:00.800') }),
    costEvent('vision', { ...c103, costUsd: '0.0004', occurredAt: at('05T12:00:00.900') }),
    turnEvent({ ...c103, latencyMs: 1000, occurredAt: at('05T12:00:01.000') }),
    messageEvent('ai', { ...c103, messageId: 22, occurredAt: at('05T12:00:01.000') }),
    messageEvent('customer', { ...c103, messageId: 23, occurredAt: at('05T12:10:00.000') }),
    handoffEvent('keyword', { ...c103, occurredAt: at('05T12:11:00.000') }),

    messageEvent('customer', { ...c104, messageId: 31, occurredAt: at('06T15:00:00.000') }),
    messageEvent('human_agent', { ...c104, messageId: 32, occurredAt: at('06T15:05:00.000') }),

    messageEvent('customer', { ...c105, messageId: 41, occurredAt: '2026-10-30T10:00:00.000Z' }),
    turnEvent({ ...c105, latencyMs: 3000, occurredAt: '2026-10-30T10:00:03.000Z' }),
    messageEvent('customer', { ...c105, messageId: 42, occurredAt: at('02T11:00:00.000') }),
    turnEvent({ ...c105, latencyMs: 5000, occurredAt: at('02T11:00:05.000') }),

    messageEvent('customer', {
      accountId: 2,
      conversationId: 201,
      messageId: 91,
      occurredAt: at('03T10:00:00.000'),
      customerPhone: '+5511987654321',
    }),
    turnEvent({ accountId: 2, conversationId: 201, latencyMs: 99_999, occurredAt: at('03T10:01:39.999') }),
    modelCallEvent({ accountId: 2, conversationId: 201, costUsd: '5', occurredAt: at('03T10:01:39.000') }),
    handoffEvent('low_confidence', { accountId: 2, conversationId: 201, occurredAt: at('03T10:02:00.000') }),
  ];
}

export const SEED_RANGE = { from: '2026-11-01', to: '2026-11-08' };
