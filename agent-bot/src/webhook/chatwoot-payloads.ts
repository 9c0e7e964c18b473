import { z } from 'zod';

/**
 * Agent-bot webhook payloads as Chatwoot 4.15 sends them (see chatwoot-contract.md §1). Message
 * events are message-shaped at the top level, conversation events conversation-shaped (upstream
 * issue #13993), so the event name is read first and the right schema applied. Objects are
 * loose: Chatwoot adds keys over time and an unknown key must never turn a delivery into a 400.
 */

const idSchema = z.number().int();

export const contactSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone_number: z.string().nullable().optional(),
  identifier: z.string().nullable().optional(),
  custom_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  type: z.string().optional(),
});

export const senderSchema = z.looseObject({
  id: idSchema,
  name: z.string().nullable().optional(),
  /** Absent for contacts; "user", "agent_bot", "captain_assistant" otherwise. */
  type: z.string().optional(),
  phone_number: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
});

export const attachmentSchema = z.looseObject({
  id: idSchema,
  message_id: idSchema.optional(),
  file_type: z.string(),
  data_url: z.string().nullable().optional(),
  thumb_url: z.string().nullable().optional(),
  content_type: z.string().nullable().optional(),
  file_size: z.number().nullable().optional(),
  transcribed_text: z.string().nullable().optional(),
  fallback_title: z.string().nullable().optional(),
  coordinates_lat: z.number().nullable().optional(),
  coordinates_long: z.number().nullable().optional(),
});
export type ChatwootAttachment = z.infer<typeof attachmentSchema>;

export const conversationStatusSchema = z.enum(['open', 'resolved', 'pending', 'snoozed']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

/** `Conversation#webhook_data` (nested in message events, top level in conversation events). */
const conversationFields = {
  /** display_id: the id every /conversations/{id} path takes. */
  id: idSchema,
  inbox_id: idSchema,
  channel: z.string().optional(),
  status: conversationStatusSchema,
  can_reply: z.boolean().optional(),
  labels: z.array(z.string()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  meta: z
    .looseObject({
      sender: contactSchema.nullable().optional(),
      assignee: z.looseObject({ id: idSchema, type: z.string().optional() }).nullable().optional(),
      assignee_type: z.string().nullable().optional(),
      team: z.looseObject({ id: idSchema }).nullable().optional(),
    })
    .optional(),
  contact_inbox: z
    .looseObject({ contact_id: idSchema.optional(), source_id: z.string().optional() })
    .optional(),
  /** Epoch float: used to order conversation events that arrive out of order. */
  updated_at: z.number().optional(),
  created_at: z.number().optional(),
  account: z.looseObject({ id: idSchema }).optional(),
};
export const conversationSchema = z.looseObject(conversationFields);
export type ChatwootConversation = z.infer<typeof conversationSchema>;

export const messageEventSchema = z.looseObject({
  event: z.enum(['message_created', 'message_updated']),
  id: idSchema,
  content: z.string().nullable().optional(),
  message_type: z.enum(['incoming', 'outgoing', 'template', 'activity']),
  content_type: z.string().default('text'),
  content_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  additional_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  private: z.boolean().default(false),
  source_id: z.string().nullable().optional(),
  /** ISO-8601 at the top level of message events. */
  created_at: z.string(),
  sender: senderSchema.nullable().optional(),
  account: z.looseObject({ id: idSchema }),
  inbox: z.looseObject({ id: idSchema }).optional(),
  conversation: conversationSchema,
  attachments: z.array(attachmentSchema).optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

const changedAttributesSchema = z
  .array(z.record(z.string(), z.looseObject({ previous_value: z.unknown(), current_value: z.unknown() })))
  .nullable()
  .optional();

export const conversationEventSchema = z.looseObject({
  ...conversationFields,
  event: z.enum([
    'conversation_opened',
    'conversation_resolved',
    'conversation_status_changed',
    'conversation_updated',
  ]),
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
  | { kind: 'invalid'; eventName: string; issues: string };

/** Branches on `event` before parsing, because the two families have different top levels. */
export function parseWebhook(body: unknown): ParsedWebhook {
  const eventName =
    typeof body === 'object' && body !== null && typeof (body as { event?: unknown }).event === 'string'
      ? (body as { event: string }).event
      : '';
  if (MESSAGE_EVENTS.has(eventName)) {
    const parsed = messageEventSchema.safeParse(body);
    return parsed.success
      ? { kind: 'message', event: parsed.data }
      : { kind: 'invalid', eventName, issues: z.prettifyError(parsed.error) };
  }
  if (CONVERSATION_EVENTS.has(eventName)) {
    const parsed = conversationEventSchema.safeParse(body);
    return parsed.success
      ? { kind: 'conversation', event: parsed.data }
      : { kind: 'invalid', eventName, issues: z.prettifyError(parsed.error) };
  }
  return { kind: 'ignored', eventName: eventName || '(none)' };
}

/** The account id a webhook claims, read before trusting anything else in it. */
export function claimedAccountId(body: unknown): number | null {
  const account = (body as { account?: { id?: unknown } } | null)?.account;
  return typeof account?.id === 'number' ? account.id : null;
}
