import { z } from 'zod';

/**
 * The parts of Chatwoot account-webhook payloads analytics reads (contract §1.2-1.4). Loose
 * objects: Chatwoot sends many more keys, and new ones must not break ingestion.
 */
/** Seconds since the epoch up to 2299-12-31 (what ClickHouse's DateTime64 holds). */
const LATEST_EPOCH_SECONDS = 10_413_791_999;
const epochSeconds = z.number().min(0, 'is before 1970').max(LATEST_EPOCH_SECONDS, 'is after 2299');
/** An ISO time Chatwoot wrote (`2026-11-02T12:00:00.512Z`), one ClickHouse can store. */
const isoTime = z.string().refine((s) => {
  const t = Date.parse(s);
  return Number.isFinite(t) && t >= 0 && t <= LATEST_EPOCH_SECONDS * 1000;
}, 'is not a time between 1970 and 2299');

const contactSchema = z.looseObject({
  id: z.number().int(),
  phone_number: z.string().nullish(),
});

const conversationSchema = z.looseObject({
  /** display_id: per account. */
  id: z.number().int(),
  inbox_id: z.number().int(),
  channel: z.string().nullish(),
  status: z.enum(['open', 'pending', 'resolved', 'snoozed']),
  meta: z
    .looseObject({
      sender: contactSchema.nullish(),
      assignee: z.looseObject({ id: z.number().int() }).nullish(),
      assignee_type: z.string().nullish(),
    })
    .nullish(),
  created_at: epochSeconds.nullish(),
  updated_at: epochSeconds.nullish(),
});

export const messageCreatedSchema = z.looseObject({
  event: z.literal('message_created'),
  id: z.number().int(),
  content: z.string().nullish(),
  content_type: z.string().nullish(),
  message_type: z.enum(['incoming', 'outgoing', 'template', 'activity']),
  private: z.boolean().default(false),
  created_at: isoTime,
  content_attributes: z.looseObject({ external_echo: z.boolean().optional() }).nullish(),
  sender: z.looseObject({ id: z.number().int().optional(), type: z.string().optional() }).nullish(),
  account: z.looseObject({ id: z.number().int() }),
  conversation: conversationSchema,
  attachments: z
    .array(
      z.looseObject({
        file_type: z.string().nullish(),
        file_size: z.number().nullish(),
        // For the attachments gallery (events/src/message-attachment.ts).
        id: z.number().int().nullish().catch(null),
        data_url: z.string().nullish().catch(null),
        thumb_url: z.string().nullish().catch(null),
        content_type: z.string().nullish().catch(null),
        fallback_title: z.string().nullish().catch(null),
        coordinates_lat: z.number().nullish().catch(null),
        coordinates_long: z.number().nullish().catch(null),
      }),
    )
    .optional(),
});

export const conversationEventSchema = conversationSchema.extend({
  event: z.enum(['conversation_created', 'conversation_status_changed', 'conversation_updated']),
  account: z.looseObject({ id: z.number().int() }),
  changed_attributes: z.array(z.record(z.string(), z.unknown())).nullish(),
});

export type MessageCreated = z.infer<typeof messageCreatedSchema>;
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

/** Events analytics records; anything else is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set([
  'message_created',
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
]);
