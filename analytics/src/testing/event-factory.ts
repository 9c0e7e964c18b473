import { randomUUID } from 'node:crypto';
import { analyticsEventSchema, type AnalyticsEvent, type AnalyticsEventInput } from '@switchboard/events';

type Envelope = Partial<Omit<AnalyticsEventInput, 'type' | 'payload'>>;

/** Test events with realistic envelopes; every builder validates through the real schema. */
export function envelope(overrides: Envelope = {}): Omit<AnalyticsEventInput, 'type' | 'payload'> {
  return {
    id: randomUUID(),
    occurredAt: '2026-11-02T10:00:00.000Z',
    accountId: 1,
    conversationId: 100,
    inboxId: 7,
    assistant: 'sales',
    channel: 'whatsapp',
    customerId: 42,
    customerPhone: '+5511987654321',
    ...overrides,
  };
}

export function messageEvent(
  author: 'customer' | 'ai' | 'human_agent' | 'system',
  overrides: Envelope & { messageId?: number; text?: string; private?: boolean } = {},
): AnalyticsEvent {
  const { messageId, text, private: isPrivate, ...env } = overrides;
  return analyticsEventSchema.parse({
    ...envelope(env),
    type: 'message',
    payload: {
      messageId: messageId ?? Math.floor(Math.random() * 1e9),
      direction: author === 'customer' ? 'inbound' : 'outbound',
      author,
      contentType: 'text',
      private: isPrivate ?? false,
      text: text ?? 'hello',
    },
  });
}

export function turnEvent(
  overrides: Envelope & {
    latencyMs: number | null;
    merged?: number;
    outcome?: 'replied' | 'handoff' | 'no_reply';
    turnId?: string;
  },
): AnalyticsEvent {
  const { latencyMs, merged, outcome, turnId, ...env } = overrides;
  const e = envelope(env);
  const start = new Date(new Date(e.occurredAt!).getTime() - (latencyMs ?? 0)).toISOString();
  return analyticsEventSchema.parse({
    ...e,
    type: 'turn',
    payload: {
      turnId: turnId ?? randomUUID(),
      customerMessageIds: Array.from({ length: merged ?? 1 }, (_, i) => i + 1),
      mergedMessages: merged ?? 1,
      firstCustomerMessageAt: start,
      replyAcceptedAt: latencyMs === null ? null : e.occurredAt,
      latencyMs,
      outcome: outcome ?? (latencyMs === null ? 'no_reply' : 'replied'),
    },
  });
}

export function modelCallEvent(
  overrides: Envelope & { costUsd: string; input?: number; output?: number; model?: string; turnId?: string },
): AnalyticsEvent {
  const { input, output, model, turnId, ...env } = overrides;
  return analyticsEventSchema.parse({
    ...envelope(env),
    costKind: 'model',
    type: 'model_call',
    payload: {
      provider: 'openai',
      model: model ?? 'gpt-4.1-mini',
      ...(turnId ? { turnId } : {}),
      latencyMs: 800,
      outcome: 'ok',
      usage: { inputTokens: input ?? 1000, outputTokens: output ?? 100 },
      costByKind: { input: '0.0004', output: '0.00016' },
      priceVersion: 'test-1',
    },
  });
}

export function costEvent(
  kind: 'transcription' | 'vision' | 'whatsapp',
  overrides: Envelope & { costUsd: string },
): AnalyticsEvent {
  const e = { ...envelope(overrides), costKind: kind };
  if (kind === 'transcription') {
    return analyticsEventSchema.parse({
      ...e,
      type: 'transcription',
      payload: {
        messageId: 1,
        provider: 'openai',
        model: 'whisper-1',
        durationSeconds: 30,
        latencyMs: 900,
        outcome: 'ok',
        priceVersion: 't',
      },
    });
  }
  if (kind === 'vision') {
    return analyticsEventSchema.parse({
      ...e,
      type: 'vision',
      payload: {
        messageId: 2,
        method: 'vision',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        latencyMs: 1200,
        outcome: 'ok',
        priceVersion: 't',
      },
    });
  }
  return analyticsEventSchema.parse({
    ...e,
    type: 'template_sent',
    payload: {
      messageId: 3,
      template: 'follow_up',
      language: 'pt_BR',
      category: 'utility',
      priceVersion: 't',
    },
  });
}

export function handoffEvent(
  reason: 'customer_request' | 'keyword' | 'low_confidence',
  overrides: Envelope = {},
): AnalyticsEvent {
  return analyticsEventSchema.parse({ ...envelope(overrides), type: 'handoff', payload: { reason } });
}

export function conversationEvent(
  change: 'created' | 'status_changed' | 'resolved',
  status: 'open' | 'pending' | 'resolved',
  overrides: Envelope = {},
): AnalyticsEvent {
  return analyticsEventSchema.parse({
    ...envelope(overrides),
    type: 'conversation',
    payload: { change, status },
  });
}

export function knowledgeSearchEvent(
  outcome: 'hit' | 'miss',
  query: string,
  overrides: Envelope = {},
): AnalyticsEvent {
  return analyticsEventSchema.parse({
    ...envelope(overrides),
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
}

export function toolCallEvent(tool: string, overrides: Envelope & { turnId?: string } = {}): AnalyticsEvent {
  const { turnId, ...env } = overrides;
  return analyticsEventSchema.parse({
    ...envelope(env),
    type: 'tool_call',
    payload: {
      tool,
      arguments: { orderId: '***' },
      outcome: 'ok',
      latencyMs: 120,
      ...(turnId ? { turnId } : {}),
    },
  });
}
