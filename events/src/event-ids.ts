import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (SHA-1, RFC 4122 version-5 layout): the same Chatwoot fact always
 * gets the same event id, so duplicate deliveries, and a producer that records the same
 * message, collapse in the outbox (ON CONFLICT) and in ClickHouse.
 */
export function deterministicUuid(name: string): string {
  const h = createHash('sha1').update(`switchboard:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The id of the `message` event for a Chatwoot message: agent-bot and the account webhook share it. */
export function messageEventId(accountId: number, messageId: number): string {
  return deterministicUuid(`chatwoot-message:${accountId}:${messageId}`);
}

/**
 * A stable event id from its natural key, so an event written again (a webhook retried, a turn
 * finished after a crash) is deduplicated by the outbox instead of counted twice. Its SHA-256
 * layout predates deterministicUuid and stays: ids already in outboxes and ClickHouse must not
 * change across an upgrade.
 */
export function stableEventId(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
