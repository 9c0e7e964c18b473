import { z } from 'zod';

/**
 * Agent-bot webhook payloads as Chatwoot 4.15 sends them (see chatwoot-contract.md §1). Message
 * events are message-shaped at the top level, conversation events conversation-shaped (upstream
 * issue #13993), so the event name is read first and the right schema applied.
 *
 * Drift must never cost a customer their answer (any non-2xx hands the conversation to a
 * human), so the schemas split the fields in two:
 * - essential: what says which conversation a message belongs to and who wrote it (ids,
 *   `message_type`, `private`, the sender, a conversation event's status). When one of these is
 *   unusable the delivery is rejected (recorded, acknowledged), because guessing could make the
 *   bot talk over a human or answer in the wrong conversation;
 * - everything else is normalised: a wrong type becomes "absent", `attachments: [null]` (what
 *   Chatwoot sends for an attachment without file_type) loses the null, a date that is not a
 *   real instant becomes null (the caller stamps the time received).
 * Objects are loose: an unknown key is kept, never an error.
 */

const idSchema = z.number().int();
/** A normalised field: its schema, or `fallback` when the value does not fit. */
const lenient = <T extends z.ZodType, F>(schema: T, fallback: F) =>
  schema.catch(fallback as never) as z.ZodType<z.output<T> | F>;
const optionalText = lenient(z.string().nullable().optional(), null);
const attributes = lenient(
  z.record(z.string(), z.unknown()).nullable().optional(),
  {} as Record<string, unknown>,
);

/**
 * A real instant: ISO-8601 with a calendar-valid date (zod rejects 2026-02-30) and an offset, in
 * the years a Chatwoot message can have. Anything else is null. The bounds also keep a value
 * inside both JavaScript's and PostgreSQL's timestamp ranges.
 */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);
export const instantSchema = lenient(
  z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() >= EARLIEST_MS && date.getTime() < LATEST_MS)
    .transform((date) => date.toISOString()),
  null,
);
/** Chatwoot's epoch-seconds `updated_at`, in the same years; otherwise unknown (undefined). */
const epochSecondsSchema = lenient(
  z
    .number()
    .min(EARLIEST_MS / 1000)
    .lt(LATEST_MS / 1000)
    .optional(),
  undefined,
);

export const contactSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  email: optionalText,
  phone_number: optionalText,
  identifier: optionalText,
  custom_attributes: attributes,
  type: lenient(z.string().optional(), undefined),
});

export const senderSchema = z.looseObject({
  id: idSchema,
  name: optionalText,
  /** Absent for contacts; "user", "agent_bot", "captain_assistant" otherwise. Decides the author. */
  type: z.string().optional(),
  phone_number: optionalText,
  email: optionalText,
});

export const attachmentSchema = z.looseObject({
  id: idSchema,
  message_id: lenient(idSchema.optional(), undefined),
  file_type: z.string(),
  data_url: optionalText,
  thumb_url: optionalText,
  content_type: optionalText,
  file_size: lenient(z.number().nullable().optional(), null),
  transcribed_text: optionalText,
  fallback_title: optionalText,
  coordinates_lat: lenient(z.number().nullable().optional(), null),
  coordinates_long: lenient(z.number().nullable().optional(), null),
});
export type ChatwootAttachment = z.infer<typeof attachmentSchema>;

/** Usable attachments only: nulls and items that are not attachments are left out. */
const attachmentsSchema = z
  .unknown()
  .transform((value): ChatwootAttachment[] => {
    if (!Array.isArray(value)) return [];
    return value.flatMap((item) => {
      const parsed = attachmentSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  })
  .optional();

export const conversationStatusSchema = z.enum(['open', 'resolved', 'pending', 'snoozed']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;
/** A status as Chatwoot names it (a status newer than this code is kept as written). */
const statusText = z.string().min(1).max(32);

const lenientObject = <T extends z.ZodType>(schema: T) => lenient(schema.nullable().optional(), undefined);

/** `Conversation#webhook_data` (nested in message events, top level in conversation events). */
const conversationFields = {
  /** display_id: the id every /conversations/{id} path takes. */
  id: idSchema,
  inbox_id: idSchema,
  channel: lenient(z.string().optional(), undefined),
  can_reply: lenient(z.boolean().optional(), undefined),
  labels: lenient(z.array(z.string()).optional(), undefined),
  custom_attributes: attributes,
  meta: lenient(
    z
      .looseObject({
        sender: lenientObject(contactSchema),
        assignee: lenientObject(z.looseObject({ id: idSchema, type: z.string().optional() })),
        assignee_type: optionalText,
        team: lenientObject(z.looseObject({ id: idSchema })),
      })
      .optional(),
    undefined,
  ),
  contact_inbox: lenientObject(
    z.looseObject({
      contact_id: lenient(idSchema.optional(), undefined),
      source_id: lenient(z.string().optional(), undefined),
    }),
  ),
  /** Epoch float: used to order conversation snapshots that arrive out of order. */
  updated_at: epochSecondsSchema,
  created_at: epochSecondsSchema,
  account: lenientObject(z.looseObject({ id: idSchema })),
};
export const conversationSchema = z.looseObject({
  ...conversationFields,
  /** In a message event the status is a hint (possibly stale, see conversation-rules.ts): null when unusable. */
  status: lenient(statusText, null),
});
export type ChatwootConversation = z.infer<typeof conversationSchema>;

export const messageEventSchema = z.looseObject({
  event: z.enum(['message_created', 'message_updated']),
  id: idSchema,
  /** Text; a number or boolean as its text, anything else as no text. */
  content: z
    .unknown()
    .transform((value) =>
      typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : null,
    )
    .optional(),
  message_type: z.enum(['incoming', 'outgoing', 'template', 'activity']),
  content_type: lenient(z.string().min(1).max(64), 'text'),
  content_attributes: attributes,
  additional_attributes: attributes,
  private: z.boolean().default(false),
  source_id: optionalText,
  /** ISO-8601 at the top level of message events; null when it is not a real instant. */
  created_at: instantSchema,
  sender: senderSchema.nullable().optional(),
  account: z.looseObject({ id: idSchema }),
  inbox: lenientObject(z.looseObject({ id: idSchema })),
  conversation: conversationSchema,
  attachments: attachmentsSchema,
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

const changedAttributesSchema = lenient(
  z
    .array(z.record(z.string(), z.looseObject({ previous_value: z.unknown(), current_value: z.unknown() })))
    .nullable()
    .optional(),
  null,
);

export const conversationEventSchema = z.looseObject({
  ...conversationFields,
  event: z.enum([
    'conversation_opened',
    'conversation_resolved',
    'conversation_status_changed',
    'conversation_updated',
  ]),
  /** The point of a conversation event: without a status it says nothing the bot can use. */
  status: statusText,
  account: z.looseObject({ id: idSchema }),
  /** null on conversation_status_changed in practice (contract §1.4). */
  changed_attributes: changedAttributesSchema,
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const MESSAGE_EVENTS = new Set(['message_created', 'message_updated']);
export const CONVERSATION_EVENTS = new Set([
  'conversation_opened',
  'conversation_resolved',
  'conversation_status_changed',
  'conversation_updated',
]);

export type ParsedWebhook =
  | { kind: 'message'; event: MessageEvent }
  | { kind: 'conversation'; event: ConversationEvent }
  /** webwidget_triggered and events newer than this code: acknowledged and ignored. */
  | { kind: 'ignored'; eventName: string }
  /** Essential fields unusable: recorded as rejected with `reason` (no values in it, only paths). */
  | { kind: 'rejected'; eventName: string; reason: string };

const MAX_REASON_CHARS = 500;

/** The event name a body gives, for logs and records (bounded: it is the sender's text). */
export function eventNameOf(body: unknown): string {
  const event = typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined;
  return typeof event === 'string' && event.length > 0 ? event.slice(0, 64) : '(none)';
}

/** Branches on `event` before parsing, because the two families have different top levels. */
export function parseWebhook(body: unknown): ParsedWebhook {
  const eventName = eventNameOf(body);
  const schema = MESSAGE_EVENTS.has(eventName)
    ? messageEventSchema
    : CONVERSATION_EVENTS.has(eventName)
      ? conversationEventSchema
      : null;
  if (!schema) return { kind: 'ignored', eventName };
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { kind: 'rejected', eventName, reason: issuesReason(parsed.error) };
  return schema === messageEventSchema
    ? { kind: 'message', event: parsed.data as MessageEvent }
    : { kind: 'conversation', event: parsed.data as ConversationEvent };
}

/** "path: message" per issue; zod's messages name expected types, never the values sent. */
function issuesReason(error: z.ZodError): string {
  const reason = error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason;
}

/** The account id a webhook claims, read before trusting anything else in it. */
export function claimedAccountId(body: unknown): number | null {
  const account = (body as { account?: { id?: unknown } } | null)?.account;
  return typeof account?.id === 'number' ? account.id : null;
}
