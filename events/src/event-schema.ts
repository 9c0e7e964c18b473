import { z } from 'zod';

/**
 * The analytics event schema, version 1. Every part writes these into the PostgreSQL outbox
 * (same transaction as the state change); the shipper moves them to ClickHouse.
 *
 * Rules: additive changes only within a version (new optional fields, new event types);
 * anything else bumps EVENT_SCHEMA_VERSION and keeps the old shape parseable.
 * Money is a decimal string (USD, up to 12 decimals), never a float.
 */
export const EVENT_SCHEMA_VERSION = 1;

export const channelTypeSchema = z.enum(['whatsapp', 'web', 'api', 'test']);
export type ChannelType = z.infer<typeof channelTypeSchema>;

/** A USD amount as an exact decimal string, e.g. "0.000412500000". */
export const usdSchema = z
  .string()
  .regex(/^-?\d+(\.\d{1,12})?$/, 'must be a decimal string with at most 12 decimals');

export const costKindSchema = z.enum(['model', 'transcription', 'vision', 'whatsapp', 'embedding']);
export type CostKind = z.infer<typeof costKindSchema>;

export const tokenUsageSchema = z.strictObject({
  inputTokens: z.number().int().nonnegative(),
  /** Part of inputTokens read from the provider's prompt cache. */
  cachedInputTokens: z.number().int().nonnegative().default(0),
  /** Part of inputTokens written to the provider's prompt cache (Anthropic). */
  cacheWriteTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative(),
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens: z.number().int().nonnegative().default(0),
  audioInputTokens: z.number().int().nonnegative().default(0),
  imageInputTokens: z.number().int().nonnegative().default(0),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** `aborted`: we cancelled the call ourselves (a superseded generation); not a failure (added in v1). */
const outcomeSchema = z.enum(['ok', 'error', 'timeout', 'rate_limited', 'invalid', 'skipped', 'aborted']);

/**
 * One attachment of a message as Chatwoot's webhook described it. Chatwoot's id and URLs were
 * added in v1 (optional) for the attachments gallery; `dataUrl`/`thumbUrl` are Chatwoot's
 * expiring ActiveStorage links, so a reader re-reads the message when one has expired.
 */
export const messageAttachmentSchema = z.strictObject({
  /** Chatwoot's file_type: image, audio, video, file, location, contact, fallback, ... */
  type: z.string(),
  sizeBytes: z.number().int().nonnegative().optional(),
  attachmentId: z.number().int().optional(),
  dataUrl: z.string().max(4000).optional(),
  thumbUrl: z.string().max(4000).optional(),
  /** The MIME type Chatwoot recorded (the bytes are checked again when served). */
  contentType: z.string().max(200).optional(),
  /** The file's name or a location's title (fallback_title). */
  fileName: z.string().max(500).optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
export type MessageAttachment = z.infer<typeof messageAttachmentSchema>;

const messagePayload = z.strictObject({
  messageId: z.number().int(),
  direction: z.enum(['inbound', 'outbound']),
  author: z.enum(['customer', 'ai', 'human_agent', 'system']),
  contentType: z.string(),
  private: z.boolean().default(false),
  /** The text as sent (for history export, top questions and knowledge gaps). */
  text: z.string().default(''),
  attachments: z.array(messageAttachmentSchema).default([]),
  /** Set on outbound template messages. */
  template: z.string().optional(),
});

const turnPayload = z.strictObject({
  turnId: z.string(),
  customerMessageIds: z.array(z.number().int()),
  mergedMessages: z.number().int().positive(),
  /** When the earliest customer message of the turn was created in Chatwoot. */
  firstCustomerMessageAt: z.string().datetime({ offset: true }),
  /** When Chatwoot accepted the (first) reply; null when no reply was sent. */
  replyAcceptedAt: z.string().datetime({ offset: true }).nullable(),
  /** replyAcceptedAt - firstCustomerMessageAt, in ms; null without reply. */
  latencyMs: z.number().int().nonnegative().nullable(),
  /**
   * Part of latencyMs that burst merging added: from the first message's arrival to the end of
   * the quiet window the turn waited for (0 when it did not wait).
   */
  mergeDelayMs: z.number().int().nonnegative().default(0),
  /** Time the first message waited before a lane looked at it. */
  queueDelayMs: z.number().int().nonnegative().default(0),
  regenerations: z.number().int().nonnegative().default(0),
  outcome: z.enum(['replied', 'handoff', 'no_reply', 'failed', 'template']),
  replyMessageIds: z.array(z.number().int()).default([]),
});

const modelCallPayload = z.strictObject({
  provider: z.string(),
  model: z.string(),
  purpose: z.enum(['reply', 'vision', 'transcription', 'summary', 'embedding', 'other']).default('reply'),
  turnId: z.string().optional(),
  latencyMs: z.number().int().nonnegative(),
  outcome: outcomeSchema,
  /** 1 for the first try; >1 for retries of the same provider. */
  attempt: z.number().int().positive().default(1),
  /** Set when this call is a fallback after another provider failed. */
  fallbackFrom: z.string().optional(),
  /** True when the generation was thrown away (regenerated because new messages arrived). */
  discarded: z.boolean().default(false),
  /**
   * True when usage and cost are our estimate (the call was aborted before the provider sent
   * usage): input tokens counted from the request, no output (added in v1).
   */
  estimated: z.boolean().default(false),
  usage: tokenUsageSchema,
  costByKind: z.record(z.string(), usdSchema).default({}),
  priceVersion: z.string(),
  error: z.string().optional(),
  /** The finish reason as the provider sent it (stop, end_turn, STOP, tool_calls, ...). */
  finishReason: z.string().optional(),
  /** The provider's own usage object, untouched, so a call can be re-costed later. */
  rawUsage: z.record(z.string(), z.unknown()).optional(),
});

const transcriptionPayload = z.strictObject({
  messageId: z.number().int(),
  provider: z.string(),
  model: z.string(),
  language: z.string().optional(),
  durationSeconds: z.number().nonnegative(),
  latencyMs: z.number().int().nonnegative(),
  outcome: outcomeSchema,
  priceVersion: z.string(),
  error: z.string().optional(),
  /** The transcript, shown to agents in the insight panel (added in v1, optional). */
  text: z.string().optional(),
  turnId: z.string().optional(),
});

const visionPayload = z.strictObject({
  messageId: z.number().int(),
  method: z.enum(['vision', 'ocr', 'pdf_text']),
  provider: z.string(),
  model: z.string(),
  latencyMs: z.number().int().nonnegative(),
  outcome: outcomeSchema,
  usage: tokenUsageSchema.optional(),
  priceVersion: z.string(),
  error: z.string().optional(),
  /** What the model read in the image / document (insight panel; added in v1, optional). */
  text: z.string().optional(),
  turnId: z.string().optional(),
});

const toolCallPayload = z.strictObject({
  tool: z.string(),
  turnId: z.string().optional(),
  /** Arguments with personal data removed (names of fields kept, values masked). */
  arguments: z.record(z.string(), z.unknown()).default({}),
  outcome: z.enum(['ok', 'invalid_arguments', 'error', 'timeout']),
  latencyMs: z.number().int().nonnegative(),
  error: z.string().optional(),
});

const knowledgeSearchPayload = z.strictObject({
  knowledgeBases: z.array(z.string()),
  query: z.string(),
  hits: z.number().int().nonnegative(),
  topScore: z.number().nullable(),
  outcome: z.enum(['hit', 'miss']),
  latencyMs: z.number().int().nonnegative(),
  turnId: z.string().optional(),
  /** What was retrieved (titles and sources for citation and review; never the passage text). */
  passages: z
    .array(z.strictObject({ documentTitle: z.string(), source: z.string(), score: z.number() }))
    .max(10)
    .optional(),
});

export const handoffReasonSchema = z.enum([
  'model_tool',
  'customer_request',
  'keyword',
  'repeated_failures',
  'provider_outage',
  'budget_exhausted',
  'outside_business_hours',
  'delivery_failure',
  'unsupported_media',
  'low_confidence',
  'other',
]);
export type HandoffReason = z.infer<typeof handoffReasonSchema>;

const handoffPayload = z.strictObject({
  reason: handoffReasonSchema,
  detail: z.string().optional(),
  teamId: z.number().int().optional(),
  assigneeId: z.number().int().optional(),
});

/** Why a WhatsApp message costs what it costs (agent-bot/src/pricing/price-whatsapp-message.ts). */
export const whatsAppFeeRuleSchema = z.enum([
  'free_service',
  'free_utility_in_window',
  'rate_card',
  'unknown_country',
  'before_per_message_pricing',
  /** Negative: the fee recorded when Chatwoot accepted a message that then failed (Meta charges delivered messages only). */
  'refund_undelivered',
]);

const templateSentPayload = z.strictObject({
  messageId: z.number().int().nullable(),
  template: z.string(),
  language: z.string(),
  category: z.enum(['marketing', 'utility', 'authentication', 'service']),
  /** Recipient's country (ISO 3166 alpha-2), for WhatsApp pricing. */
  country: z.string().optional(),
  purpose: z.enum(['reengagement', 'follow_up', 'reminder', 'window_closed_reply']).default('reengagement'),
  priceVersion: z.string(),
  /** Why the fee (envelope costUsd, kind whatsapp) is what it is (added in v1, optional). */
  feeRule: whatsAppFeeRuleSchema.optional(),
  /** The rate card market the country was priced as: GB, "Rest of Western Europe", ... */
  market: z.string().optional(),
});

/**
 * Meta's fee for a delivered non-template (service) message, charged from 2026-10-01 (added in
 * v1). The amount is the envelope's costUsd with costKind `whatsapp`; templates carry theirs
 * on template_sent.
 */
const whatsAppFeePayload = z.strictObject({
  messageId: z.number().int(),
  category: z.enum(['marketing', 'utility', 'authentication', 'service']),
  country: z.string().optional(),
  market: z.string().optional(),
  feeRule: whatsAppFeeRuleSchema,
  priceVersion: z.string(),
  turnId: z.string().optional(),
});

const deliveryFailurePayload = z.strictObject({
  messageId: z.number().int(),
  error: z.string(),
  code: z.string().optional(),
  action: z.enum(['recorded', 'retried_as_template', 'handoff']),
});

const budgetPayload = z.strictObject({
  scope: z.enum(['assistant', 'conversation']),
  limitUsd: usdSchema,
  spentUsd: usdSchema,
  action: z.enum(['warn', 'handoff', 'cheaper_model', 'knowledge_only']),
});

const errorPayload = z.strictObject({
  component: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

/** From Chatwoot account webhooks: what happened to the conversation outside the bot. */
const conversationPayload = z.strictObject({
  change: z.enum(['created', 'status_changed', 'assignee_changed', 'resolved', 'reopened']),
  status: z.enum(['open', 'pending', 'resolved', 'snoozed']),
  assigneeType: z.enum(['user', 'agent_bot', 'none']).default('none'),
  assigneeId: z.number().int().optional(),
});

const embeddingPayload = z.strictObject({
  provider: z.string(),
  model: z.string(),
  knowledgeBase: z.string(),
  inputs: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  latencyMs: z.number().int().nonnegative(),
  outcome: outcomeSchema,
  priceVersion: z.string(),
});

const envelope = {
  /** UUID; the shipper and ClickHouse deduplicate on it. */
  id: z.string().uuid(),
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION).default(EVENT_SCHEMA_VERSION),
  occurredAt: z.string().datetime({ offset: true }),
  accountId: z.number().int(),
  /**
   * Chatwoot's conversation number as its API and URLs use it (`display_id`, the `id` in webhook
   * payloads), not the internal primary key; null for account-level events.
   */
  conversationId: z.number().int().nullable(),
  inboxId: z.number().int().nullable().default(null),
  assistant: z.string().nullable().default(null),
  channel: channelTypeSchema.nullable().default(null),
  /** Chatwoot contact id. */
  customerId: z.number().int().nullable().default(null),
  /** E.164; stored for filtering, never logged. */
  customerPhone: z.string().nullable().default(null),
  /** Total cost of this event in USD and what it was spent on (zero for most events). */
  costUsd: usdSchema.default('0'),
  costKind: costKindSchema.nullable().default(null),
};

export const analyticsEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('message'), payload: messagePayload }),
  z.strictObject({ ...envelope, type: z.literal('turn'), payload: turnPayload }),
  z.strictObject({ ...envelope, type: z.literal('model_call'), payload: modelCallPayload }),
  z.strictObject({ ...envelope, type: z.literal('transcription'), payload: transcriptionPayload }),
  z.strictObject({ ...envelope, type: z.literal('vision'), payload: visionPayload }),
  z.strictObject({ ...envelope, type: z.literal('tool_call'), payload: toolCallPayload }),
  z.strictObject({ ...envelope, type: z.literal('knowledge_search'), payload: knowledgeSearchPayload }),
  z.strictObject({ ...envelope, type: z.literal('handoff'), payload: handoffPayload }),
  z.strictObject({ ...envelope, type: z.literal('template_sent'), payload: templateSentPayload }),
  z.strictObject({ ...envelope, type: z.literal('delivery_failure'), payload: deliveryFailurePayload }),
  z.strictObject({ ...envelope, type: z.literal('budget'), payload: budgetPayload }),
  z.strictObject({ ...envelope, type: z.literal('error'), payload: errorPayload }),
  z.strictObject({ ...envelope, type: z.literal('conversation'), payload: conversationPayload }),
  z.strictObject({ ...envelope, type: z.literal('embedding'), payload: embeddingPayload }),
  z.strictObject({ ...envelope, type: z.literal('whatsapp_fee'), payload: whatsAppFeePayload }),
]);

/** A validated event, every default filled in. */
export type AnalyticsEvent = z.infer<typeof analyticsEventSchema>;
/** What producers write: defaults may be left out. */
export type AnalyticsEventInput = z.input<typeof analyticsEventSchema>;
export type AnalyticsEventType = AnalyticsEvent['type'];
export type AnalyticsEventOf<T extends AnalyticsEventType> = Extract<AnalyticsEvent, { type: T }>;
