/**
 * The content_attributes key carrying the bot's own key for a message it creates. Chatwoot's
 * MessageBuilder stores the whole content_attributes hash it is given (`content_attributes.presence`)
 * and every message JSON returns it, so after an unanswered POST a read of the conversation's
 * messages can tell whether Chatwoot created it. (`echo_id` is only echoed over ActionCable, never
 * stored; a `source_id` would stop the message from being sent to WhatsApp.)
 */
export const REPLY_MARKER_KEY = 'switchboard_reply_key';

/** The marker in a message's content_attributes (an object, or the JSON string Rails may give). */
export function markerOf(contentAttributes: unknown): unknown {
  let attributes = contentAttributes;
  if (typeof attributes === 'string') {
    try {
      attributes = JSON.parse(attributes) as unknown;
    } catch {
      return undefined;
    }
  }
  return attributes && typeof attributes === 'object'
    ? (attributes as Record<string, unknown>)[REPLY_MARKER_KEY]
    : undefined;
}

/** REST timestamps are epoch seconds (an ISO string is accepted too). */
export function restTime(value: number | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
