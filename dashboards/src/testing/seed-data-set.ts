import { createHash } from 'node:crypto';
import type { ClickHouse } from '@switchboard/core';
// The shipper's own mapping from a validated event to the row it inserts: seeding through it
// means the dashboards are tested on rows shaped exactly like production's. Imported from the
// source file because @switchboard/analytics does not export toInsertRow (test code only).
import { toInsertRow } from '@switchboard/events';
import { analyticsEventSchema, type AnalyticsEvent } from '@switchboard/events';
import { REFRESH_ALL_DERIVED_TABLES } from '@switchboard/analytics/metric-definitions';

/**
 * A small, hand-countable data set. The dashboard tests assert numbers computed by hand from
 * the comments below, not numbers read back from ClickHouse.
 *
 * Range under test: 2026-11-02 00:00 → 2026-11-09 00:00 UTC (7 days); the previous period is
 * 2026-10-26 → 11-02. In the range:
 *
 * | conv | account | channel  | assistant | phone          | messages c/ai/h | replied turns (ms) | cost USD | handoff          | resolved by AI |
 * |------|---------|----------|-----------|----------------|-----------------|--------------------|----------|------------------|----------------|
 * | 101  | 1       | whatsapp | sales     | +5511987654321 | 2/1/0           | 2000 (2 merged)    | 0.013    | -                | yes            |
 * | 102  | 1       | whatsapp | sales     | +5511911112222 | 2/1/1           | 4000; 1 unreplied  | 0.025    | customer_request | no             |
 * | 103  | 1       | web      | support   | ''             | 2/2/0           | 1000, 3000         | 0.012    | -                | yes            |
 * | 104  | 2       | whatsapp | sales     | +4915100000000 | 1/1/0           | 6000               | 0.008    | keyword          | no             |
 *
 * Previous period: conversation 90 (account 1, whatsapp, sales), 1 customer + 1 AI message,
 * one turn of 3000 ms, cost 0.004.
 */
export const RANGE = { from: new Date('2026-11-02T00:00:00Z'), to: new Date('2026-11-09T00:00:00Z') };
export const DAY_MS = 86_400_000;

type EventInput = Parameters<typeof analyticsEventSchema.parse>[0];

export interface Conversation {
  accountId: number;
  conversationId: number;
  channel: 'whatsapp' | 'web';
  assistant: string;
  customerPhone: string | null;
}

let sequence = 0;

/** Deterministic UUIDs, so two seedings of the same data set are identical. */
function eventId(): string {
  const hex = createHash('sha1').update(`seed-${sequence++}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Appends a conversation's events, built like the shipper's input, to `events`. */
export function conversationEvents(conversation: Conversation, events: AnalyticsEvent[]) {
  const envelope = (at: string, extra: Record<string, unknown> = {}) => ({
    id: eventId(),
    occurredAt: at,
    accountId: conversation.accountId,
    conversationId: conversation.conversationId,
    inboxId: conversation.channel === 'whatsapp' ? 7 : 8,
    assistant: conversation.assistant,
    channel: conversation.channel,
    customerId: conversation.conversationId + 1000,
    customerPhone: conversation.customerPhone,
    ...extra,
  });
  const add = (event: EventInput) => events.push(analyticsEventSchema.parse(event));
  let messageId = conversation.conversationId * 100;
  return {
    created(at: string) {
      add({ ...envelope(at), type: 'conversation', payload: { change: 'created', status: 'pending' } });
    },
    resolved(at: string) {
      add({ ...envelope(at), type: 'conversation', payload: { change: 'resolved', status: 'resolved' } });
    },
    message(at: string, author: 'customer' | 'ai' | 'human_agent', text = 'hello') {
      add({
        ...envelope(at),
        type: 'message',
        payload: {
          messageId: messageId++,
          direction: author === 'customer' ? 'inbound' : 'outbound',
          author,
          contentType: 'text',
          text,
        },
      });
    },
    turn(at: string, latencyMs: number | null, options: { merged?: number; queueDelayMs?: number } = {}) {
      const merged = options.merged ?? 1;
      const first = new Date(new Date(at).getTime() - (latencyMs ?? 0)).toISOString();
      add({
        ...envelope(at),
        type: 'turn',
        payload: {
          turnId: `turn-${conversation.conversationId}-${at}`,
          customerMessageIds: Array.from({ length: merged }, (_, i) => i + 1),
          mergedMessages: merged,
          firstCustomerMessageAt: first,
          replyAcceptedAt: latencyMs === null ? null : at,
          latencyMs,
          queueDelayMs: options.queueDelayMs ?? 0,
          outcome: latencyMs === null ? 'handoff' : 'replied',
        },
      });
    },
    modelCall(
      at: string,
      costUsd: string,
      options: {
        provider?: string;
        model?: string;
        outcome?: 'ok' | 'error' | 'timeout';
        fallbackFrom?: string;
        latencyMs?: number;
      } = {},
    ) {
      add({
        ...envelope(at, { costUsd, costKind: 'model' }),
        type: 'model_call',
        payload: {
          provider: options.provider ?? 'openai',
          model: options.model ?? 'gpt-4.1-mini',
          latencyMs: options.latencyMs ?? 1500,
          outcome: options.outcome ?? 'ok',
          ...(options.fallbackFrom ? { fallbackFrom: options.fallbackFrom } : {}),
          usage: { inputTokens: 1000, outputTokens: 100 },
          costByKind: { input: costUsd },
          priceVersion: 'test',
          ...(options.outcome && options.outcome !== 'ok' ? { error: options.outcome } : {}),
        },
      });
    },
    transcription(at: string, costUsd: string) {
      add({
        ...envelope(at, { costUsd, costKind: 'transcription' }),
        type: 'transcription',
        payload: {
          messageId: messageId++,
          provider: 'openai',
          model: 'whisper-1',
          durationSeconds: 30,
          latencyMs: 900,
          outcome: 'ok',
          priceVersion: 'test',
        },
      });
    },
    vision(at: string, costUsd: string) {
      add({
        ...envelope(at, { costUsd, costKind: 'vision' }),
        type: 'vision',
        payload: {
          messageId: messageId++,
          method: 'vision',
          provider: 'openai',
          model: 'gpt-4.1-mini',
          latencyMs: 1200,
          outcome: 'ok',
          priceVersion: 'test',
        },
      });
    },
    template(at: string, costUsd: string) {
      add({
        ...envelope(at, { costUsd, costKind: 'whatsapp' }),
        type: 'template_sent',
        payload: {
          messageId: messageId++,
          template: 'follow_up',
          language: 'pt_BR',
          category: 'utility',
          priceVersion: 'test',
        },
      });
    },
    knowledge(at: string, outcome: 'hit' | 'miss', query: string) {
      add({
        ...envelope(at),
        type: 'knowledge_search',
        payload: {
          knowledgeBases: ['faq'],
          query,
          hits: outcome === 'hit' ? 3 : 0,
          topScore: outcome === 'hit' ? 0.8 : null,
          outcome,
          latencyMs: 40,
        },
      });
    },
    tool(at: string, tool: string, outcome: 'ok' | 'error' | 'timeout', error?: string) {
      add({
        ...envelope(at),
        type: 'tool_call',
        payload: { tool, outcome, latencyMs: 300, ...(error ? { error } : {}) },
      });
    },
    handoff(at: string, reason: 'customer_request' | 'keyword') {
      add({ ...envelope(at), type: 'handoff', payload: { reason } });
    },
    deliveryFailure(at: string, code: string, error: string) {
      add({
        ...envelope(at),
        type: 'delivery_failure',
        payload: { messageId: messageId++, error, code, action: 'recorded' },
      });
    },
  };
}

/** The events of the data set, in the order a shipper would have inserted them. */
export function seedEvents(): AnalyticsEvent[] {
  sequence = 0;
  const events: AnalyticsEvent[] = [];
  const conversation = (c: Conversation) => conversationEvents(c, events);

  const c90 = conversation({
    accountId: 1,
    conversationId: 90,
    channel: 'whatsapp',
    assistant: 'sales',
    customerPhone: '+5511900000090',
  });
  c90.message('2026-10-28T10:00:00Z', 'customer');
  c90.turn('2026-10-28T10:00:03Z', 3000);
  c90.message('2026-10-28T10:00:03Z', 'ai');
  c90.modelCall('2026-10-28T10:00:02Z', '0.004');

  const c101 = conversation({
    accountId: 1,
    conversationId: 101,
    channel: 'whatsapp',
    assistant: 'sales',
    customerPhone: '+5511987654321',
  });
  c101.created('2026-11-03T09:00:00Z');
  c101.message('2026-11-03T09:00:00Z', 'customer', 'What are your opening hours?');
  c101.message('2026-11-03T09:00:01Z', 'customer', 'and on Sunday?');
  c101.knowledge('2026-11-03T09:00:02Z', 'hit', 'What are your opening hours?');
  c101.transcription('2026-11-03T09:00:02Z', '0.003');
  c101.modelCall('2026-11-03T09:00:02Z', '0.010');
  c101.turn('2026-11-03T09:00:02Z', 2000, { merged: 2, queueDelayMs: 100 });
  c101.message('2026-11-03T09:00:02Z', 'ai');
  c101.resolved('2026-11-03T09:30:00Z');

  const c102 = conversation({
    accountId: 1,
    conversationId: 102,
    channel: 'whatsapp',
    assistant: 'sales',
    customerPhone: '+5511911112222',
  });
  c102.message('2026-11-04T12:00:00Z', 'customer', 'Do you deliver to Recife?');
  c102.knowledge('2026-11-04T12:00:01Z', 'miss', 'Do you deliver to Recife?');
  c102.modelCall('2026-11-04T12:00:01Z', '0', {
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    outcome: 'timeout',
    latencyMs: 30000,
  });
  c102.modelCall('2026-11-04T12:00:03Z', '0.020', { fallbackFrom: 'anthropic' });
  c102.turn('2026-11-04T12:00:04Z', 4000, { queueDelayMs: 300 });
  c102.message('2026-11-04T12:00:04Z', 'ai');
  c102.message('2026-11-04T12:05:00Z', 'customer', 'I want a human');
  c102.tool('2026-11-04T12:05:01Z', 'order_status', 'error', 'HTTP 500');
  c102.handoff('2026-11-04T12:05:02Z', 'customer_request');
  c102.turn('2026-11-04T12:05:02Z', null);
  c102.message('2026-11-04T12:10:00Z', 'human_agent');
  c102.template('2026-11-05T13:00:00Z', '0.005');
  c102.deliveryFailure('2026-11-05T13:00:01Z', '131047', 'Re-engagement message');

  const c103 = conversation({
    accountId: 1,
    conversationId: 103,
    channel: 'web',
    assistant: 'support',
    customerPhone: null,
  });
  c103.message('2026-11-05T08:00:00Z', 'customer', 'do you deliver to recife? ');
  c103.knowledge('2026-11-05T08:00:01Z', 'miss', 'do you deliver to recife? ');
  c103.modelCall('2026-11-05T08:00:01Z', '0.005');
  c103.turn('2026-11-05T08:00:01Z', 1000, { queueDelayMs: 50 });
  c103.message('2026-11-05T08:00:01Z', 'ai');
  c103.message('2026-11-05T08:01:00Z', 'customer', 'What is the refund policy?');
  c103.vision('2026-11-05T08:01:01Z', '0.002');
  c103.knowledge('2026-11-05T08:01:01Z', 'miss', 'What is the refund policy?');
  c103.tool('2026-11-05T08:01:02Z', 'order_status', 'ok');
  c103.modelCall('2026-11-05T08:01:02Z', '0.005');
  c103.turn('2026-11-05T08:01:03Z', 3000, { queueDelayMs: 150 });
  c103.message('2026-11-05T08:01:03Z', 'ai');
  c103.resolved('2026-11-05T09:00:00Z');

  const c104 = conversation({
    accountId: 2,
    conversationId: 104,
    channel: 'whatsapp',
    assistant: 'sales',
    customerPhone: '+4915100000000',
  });
  c104.message('2026-11-06T18:00:00Z', 'customer', 'cancel my order');
  c104.modelCall('2026-11-06T18:00:05Z', '0.008');
  c104.turn('2026-11-06T18:00:06Z', 6000, { queueDelayMs: 400 });
  c104.message('2026-11-06T18:00:06Z', 'ai');
  c104.handoff('2026-11-06T18:00:07Z', 'keyword');

  return events;
}

/** Inserts the data set the way the shipper does (toInsertRow, JSONEachRow into `events`). */
export async function seedDataSet(ch: ClickHouse, events: AnalyticsEvent[] = seedEvents()): Promise<void> {
  await ch.client.insert({ table: 'events', values: events.map(toInsertRow), format: 'JSONEachRow' });
  // As the shipper does after each batch: the per-conversation totals follow the events.
  for (const query of REFRESH_ALL_DERIVED_TABLES) await ch.client.command({ query });
}
