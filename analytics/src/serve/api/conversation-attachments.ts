import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import { messageAttachmentSchema, type MessageAttachment } from '@switchboard/events';
import { DEDUPLICATED_READ_SETTINGS, EVENTS } from '../../metrics/definitions/storage.js';

/** The gallery's kinds; Chatwoot's `file` is a document, its contact cards and fallbacks `other`. */
export const ATTACHMENT_KINDS = ['image', 'audio', 'video', 'document', 'location', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export function attachmentKind(fileType: string): AttachmentKind {
  if (fileType === 'file') return 'document';
  return (ATTACHMENT_KINDS as readonly string[]).includes(fileType) ? (fileType as AttachmentKind) : 'other';
}

/** What was read from an attachment (a `transcription` or `vision` event), and what it cost. */
export interface AttachmentReading {
  kind: 'transcription' | 'vision';
  /** transcription, vision, ocr or pdf_text. */
  method: string;
  provider: string;
  model: string;
  text: string;
  costUsd: string;
  outcome: string;
  error: string;
  latencyMs: number | null;
  at: string;
}

/** One inbound attachment of one conversation (GET /api/conversations/:id/attachments). */
export interface ConversationAttachment {
  /** `<messageId>-<position>`: the attachment's place in its message, stable across re-reads. */
  key: string;
  messageId: number;
  position: number;
  attachmentId: number | null;
  conversationId: number;
  at: string;
  /** Chatwoot's file_type as sent. */
  fileType: string;
  kind: AttachmentKind;
  sizeBytes: number | null;
  contentType: string | null;
  fileName: string | null;
  /** Chatwoot's own (expiring) URLs as the webhook gave them. */
  dataUrl: string | null;
  thumbUrl: string | null;
  /** This service's proxy for the bytes (relative to the API root), null when there are none to serve. */
  mediaPath: string | null;
  thumbnailPath: string | null;
  location: { latitude: number; longitude: number } | null;
  reading: AttachmentReading | null;
}

const MAX_MESSAGES = 2000;

/** The `payload` column holds the event's payload as JSON. */
const storedMessageSchema = z.object({ attachments: z.array(messageAttachmentSchema).default([]) });

interface MessageLine {
  id: string;
  message_id: number | string;
  occurred_at: string;
  payload: string;
}

interface MediaLine {
  type: 'transcription' | 'vision';
  message_id: number | string;
  occurred_at: string;
  purpose: string;
  provider: string;
  model: string;
  text: string;
  cost_usd: string;
  outcome: string;
  error: string;
  latency_ms: number | null;
}

/**
 * Every attachment customers sent in one conversation of one account (never another account's,
 * whatever id is asked for), each with what the media pipeline read from it. The record is the
 * `message` event's attachments joined with the `transcription`/`vision` events of the same
 * message: a message's n-th audio attachment gets its n-th transcription, its n-th image or
 * document its n-th vision reading (the pipeline reads a message's attachments in order).
 */
export async function loadConversationAttachments(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  conversationId: number,
  kinds?: readonly AttachmentKind[],
  /** Only this message's attachments (the media proxy looks up one). */
  messageId?: number,
): Promise<ConversationAttachment[]> {
  const params = { account: accountId, conversation: conversationId, message: messageId ?? 0 };
  const oneMessage = messageId === undefined ? '' : 'AND message_id = {message:Int64}';
  const [messages, media] = await Promise.all([
    ch.client
      .query({
        query: `SELECT id, message_id, occurred_at, payload FROM ${EVENTS}
                 WHERE account_id = {account:Int64} AND conversation_id = {conversation:Int64}
                   AND type = 'message' AND direction = 'inbound' AND attachments > 0 ${oneMessage}
                 ORDER BY occurred_at, message_id LIMIT ${MAX_MESSAGES}`,
        query_params: params,
        clickhouse_settings: DEDUPLICATED_READ_SETTINGS,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<MessageLine>()),
    ch.client
      .query({
        query: `SELECT type, message_id, occurred_at, purpose, provider, model, text,
                       toString(cost_usd) AS cost_usd, outcome, error, latency_ms
                  FROM ${EVENTS}
                 WHERE account_id = {account:Int64} AND conversation_id = {conversation:Int64}
                   AND type IN ('transcription', 'vision') ${oneMessage}
                 ORDER BY occurred_at, id LIMIT ${MAX_MESSAGES * 4}`,
        query_params: params,
        clickhouse_settings: DEDUPLICATED_READ_SETTINGS,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<MediaLine>()),
  ]);
  const readings = new Map<string, MediaLine[]>();
  for (const line of media) {
    const key = `${line.message_id}:${line.type}`;
    readings.set(key, [...(readings.get(key) ?? []), line]);
  }
  // An edited message (message_updated) keeps its event id: the latest payload wins.
  const byMessage = new Map<number, MessageLine>();
  for (const line of messages) byMessage.set(Number(line.message_id), line);
  const out: ConversationAttachment[] = [];
  for (const [messageId, line] of byMessage) {
    const parsed = storedMessageSchema.safeParse(safeJson(line.payload));
    if (!parsed.success) continue;
    const used = { transcription: 0, vision: 0 };
    parsed.data.attachments.forEach((attachment, position) => {
      const kind = attachmentKind(attachment.type);
      const readingKind =
        kind === 'audio' ? 'transcription' : kind === 'location' || kind === 'other' ? null : 'vision';
      const reading = readingKind
        ? readings.get(`${messageId}:${readingKind}`)?.[used[readingKind]++]
        : undefined;
      if (kinds && !kinds.includes(kind)) return;
      out.push(record(conversationId, messageId, position, line.occurred_at, attachment, kind, reading));
    });
  }
  return out;
}

function record(
  conversationId: number,
  messageId: number,
  position: number,
  at: string,
  a: MessageAttachment,
  kind: AttachmentKind,
  reading: MediaLine | undefined,
): ConversationAttachment {
  const base = `conversations/${conversationId}/attachments/${messageId}/${position}/media`;
  const servable = a.dataUrl !== undefined && kind !== 'location' && kind !== 'other';
  return {
    key: `${messageId}-${position}`,
    messageId,
    position,
    attachmentId: a.attachmentId ?? null,
    conversationId,
    at,
    fileType: a.type,
    kind,
    sizeBytes: a.sizeBytes ?? null,
    contentType: a.contentType ?? null,
    fileName: a.fileName ?? null,
    dataUrl: a.dataUrl ?? null,
    thumbUrl: a.thumbUrl ?? null,
    mediaPath: servable ? base : null,
    thumbnailPath: servable && kind === 'image' && a.thumbUrl ? `${base}?variant=thumb` : null,
    location:
      a.latitude !== undefined && a.longitude !== undefined
        ? { latitude: a.latitude, longitude: a.longitude }
        : null,
    reading: reading
      ? {
          kind: reading.type,
          method: reading.purpose,
          provider: reading.provider,
          model: reading.model,
          text: reading.text,
          costUsd: reading.cost_usd,
          outcome: reading.outcome,
          error: reading.error,
          latencyMs: reading.latency_ms === null ? null : Number(reading.latency_ms),
          at: reading.occurred_at,
        }
      : null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
