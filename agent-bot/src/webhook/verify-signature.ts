import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SignatureHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SignatureCheck = 'valid' | 'missing' | 'mismatch' | 'stale';

/**
 * Chatwoot >= 4.13: `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<ts>.<raw body>")>`.
 * The raw bytes are hashed (never a re-serialization), compared in constant time, and a
 * timestamp outside the skew window is refused so a captured delivery cannot be replayed.
 */
export function verifyChatwootSignature(
  secret: string,
  rawBody: Buffer,
  headers: SignatureHeaders,
  nowSeconds: number,
  maxSkewSeconds: number,
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'mismatch';
  const expected = signBody(secret, timestamp, rawBody);
  if (!constantTimeEqual(signature, expected)) return 'mismatch';
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) return 'stale';
  return 'valid';
}

export function signBody(secret: string, timestamp: string, rawBody: Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/** Length leaks nothing useful here (the format is public), content does: compare in constant time. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
