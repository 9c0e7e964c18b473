import type { AnalyticsEvent } from './event-schema.js';

/**
 * One row of the ClickHouse `events` table (analytics/migrations/clickhouse/0001_events.sql).
 * Typed columns for what dashboards filter and sum on; the full event stays in `payload`.
 */
export interface EventRow {
  id: string;
  schema_version: number;
  type: string;
  occurred_at: string;
  account_id: number;
  conversation_id: number;
  inbox_id: number;
  assistant: string;
  channel: string;
  customer_id: number;
  customer_phone: string;
  cost_usd: string;
  cost_kind: string;
  message_id: number;
  direction: string;
  author: string;
  content_type: string;
  is_private: boolean;
  attachments: number;
  attachment_types: string[];
  text: string;
  turn_id: string;
  merged_messages: number;
  regenerations: number;
  latency_ms: number | null;
  merge_delay_ms: number;
  queue_delay_ms: number;
  provider: string;
  model: string;
  purpose: string;
  attempt: number;
  fallback_from: string;
  discarded: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  audio_input_tokens: number;
  image_input_tokens: number;
  cost_details: Record<string, string>;
  price_version: string;
  duration_seconds: number;
  tool: string;
  outcome: string;
  knowledge_hits: number;
  top_score: number | null;
  handoff_reason: string;
  template: string;
  template_category: string;
  conversation_change: string;
  conversation_status: string;
  assignee_type: string;
  assignee_id: number;
  error: string;
  payload: string;
}

type Payload = Partial<EventRow>;

/** ClickHouse's DateTime64 input, in UTC, without the trailing Z (parses the same everywhere). */
export function toClickHouseTime(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

function usage(u: {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  audioInputTokens: number;
  imageInputTokens: number;
}): Payload {
  return {
    input_tokens: u.inputTokens,
    cached_input_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    output_tokens: u.outputTokens,
    reasoning_tokens: u.reasoningTokens,
    audio_input_tokens: u.audioInputTokens,
    image_input_tokens: u.imageInputTokens,
  };
}

/** The typed payload columns of one event type; everything else keeps its empty value. */
function payloadColumns(event: AnalyticsEvent): Payload {
  switch (event.type) {
    case 'message': {
      const p = event.payload;
      return {
        message_id: p.messageId,
        direction: p.direction,
        author: p.author,
        content_type: p.contentType,
        is_private: p.private,
        attachments: p.attachments.length,
        attachment_types: p.attachments.map((a) => a.type),
        text: p.text,
        template: p.template ?? '',
      };
    }
    case 'turn': {
      const p = event.payload;
      return {
        turn_id: p.turnId,
        merged_messages: p.mergedMessages,
        regenerations: p.regenerations,
        latency_ms: p.latencyMs,
        merge_delay_ms: p.mergeDelayMs,
        queue_delay_ms: p.queueDelayMs,
        outcome: p.outcome,
      };
    }
    case 'model_call': {
      const p = event.payload;
      return {
        provider: p.provider,
        model: p.model,
        purpose: p.purpose,
        turn_id: p.turnId ?? '',
        latency_ms: p.latencyMs,
        outcome: p.outcome,
        attempt: p.attempt,
        fallback_from: p.fallbackFrom ?? '',
        discarded: p.discarded,
        ...usage(p.usage),
        cost_details: p.costByKind,
        price_version: p.priceVersion,
        error: p.error ?? '',
      };
    }
    case 'transcription': {
      const p = event.payload;
      return {
        message_id: p.messageId,
        provider: p.provider,
        model: p.model,
        purpose: 'transcription',
        duration_seconds: p.durationSeconds,
        latency_ms: p.latencyMs,
        outcome: p.outcome,
        price_version: p.priceVersion,
        error: p.error ?? '',
        text: p.text ?? '',
        turn_id: p.turnId ?? '',
      };
    }
    case 'vision': {
      const p = event.payload;
      return {
        message_id: p.messageId,
        purpose: p.method,
        provider: p.provider,
        model: p.model,
        latency_ms: p.latencyMs,
        outcome: p.outcome,
        ...(p.usage ? usage(p.usage) : {}),
        price_version: p.priceVersion,
        error: p.error ?? '',
        text: p.text ?? '',
        turn_id: p.turnId ?? '',
      };
    }
    case 'tool_call': {
      const p = event.payload;
      return {
        tool: p.tool,
        turn_id: p.turnId ?? '',
        outcome: p.outcome,
        latency_ms: p.latencyMs,
        error: p.error ?? '',
      };
    }
    case 'knowledge_search': {
      const p = event.payload;
      return {
        text: p.query,
        knowledge_hits: p.hits,
        top_score: p.topScore,
        outcome: p.outcome,
        latency_ms: p.latencyMs,
        turn_id: p.turnId ?? '',
      };
    }
    case 'handoff': {
      const p = event.payload;
      return { handoff_reason: p.reason, assignee_id: p.assigneeId ?? 0, text: p.detail ?? '' };
    }
    case 'template_sent': {
      const p = event.payload;
      return {
        message_id: p.messageId ?? 0,
        template: p.template,
        template_category: p.category,
        purpose: p.purpose,
        price_version: p.priceVersion,
      };
    }
    case 'whatsapp_fee': {
      const p = event.payload;
      return {
        message_id: p.messageId,
        turn_id: p.turnId ?? '',
        template_category: p.category,
        purpose: p.feeRule,
        price_version: p.priceVersion,
      };
    }
    case 'delivery_failure': {
      const p = event.payload;
      return {
        message_id: p.messageId,
        error: p.code ? `${p.code}: ${p.error}` : p.error,
        outcome: p.action,
      };
    }
    case 'budget': {
      const p = event.payload;
      return { purpose: p.scope, outcome: p.action };
    }
    case 'error': {
      const p = event.payload;
      return { purpose: p.component, error: p.code ? `${p.code}: ${p.message}` : p.message };
    }
    case 'conversation': {
      const p = event.payload;
      return {
        conversation_change: p.change,
        conversation_status: p.status,
        assignee_type: p.assigneeType,
        assignee_id: p.assigneeId ?? 0,
      };
    }
    case 'embedding': {
      const p = event.payload;
      return {
        provider: p.provider,
        model: p.model,
        purpose: 'embedding',
        input_tokens: p.tokens,
        latency_ms: p.latencyMs,
        outcome: p.outcome,
        price_version: p.priceVersion,
      };
    }
  }
}

/** Maps a validated event to its `events` row. Pure: the same event always gives the same row. */
export function toEventRow(event: AnalyticsEvent): EventRow {
  return {
    id: event.id,
    schema_version: event.schemaVersion,
    type: event.type,
    occurred_at: toClickHouseTime(event.occurredAt),
    account_id: event.accountId,
    conversation_id: event.conversationId ?? 0,
    inbox_id: event.inboxId ?? 0,
    assistant: event.assistant ?? '',
    channel: event.channel ?? '',
    customer_id: event.customerId ?? 0,
    customer_phone: event.customerPhone ?? '',
    cost_usd: event.costUsd,
    cost_kind: event.costKind ?? '',
    message_id: 0,
    direction: '',
    author: '',
    content_type: '',
    is_private: false,
    attachments: 0,
    attachment_types: [],
    text: '',
    turn_id: '',
    merged_messages: 0,
    regenerations: 0,
    latency_ms: null,
    merge_delay_ms: 0,
    queue_delay_ms: 0,
    provider: '',
    model: '',
    purpose: '',
    attempt: 0,
    fallback_from: '',
    discarded: false,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    audio_input_tokens: 0,
    image_input_tokens: 0,
    cost_details: {},
    price_version: '',
    duration_seconds: 0,
    tool: '',
    outcome: '',
    knowledge_hits: 0,
    top_score: null,
    handoff_reason: '',
    template: '',
    template_category: '',
    conversation_change: '',
    conversation_status: '',
    assignee_type: '',
    assignee_id: 0,
    error: '',
    ...payloadColumns(event),
    // The type-specific payload in full; the envelope is already in its own columns.
    payload: JSON.stringify(event.payload),
  };
}

function isEmptyValue(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/**
 * The row as sent to ClickHouse: columns holding their default left out (JSONEachRow fills
 * them). Most of the 56 columns are empty for any one event type; dropping them halves the
 * bytes serialised and parsed per insert.
 */
export function toInsertRow(event: AnalyticsEvent): Partial<EventRow> {
  const row = toEventRow(event) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in row) if (!isEmptyValue(row[key])) out[key] = row[key];
  return out as Partial<EventRow>;
}
