import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a receiver learns from a delivery's signature headers. */
export type ChatwootSignatureCheck = 'valid' | 'missing' | 'mismatch' | 'stale';

export interface VerifyChatwootSignatureInput {
  secret: string;
  /** The bytes exactly as received: a re-serialisation of parsed JSON would not match. */
  rawBody: Buffer | string;
  /** `X-Chatwoot-Signature` */
  signature: string | undefined;
  /** `X-Chatwoot-Timestamp` (unix seconds) */
  timestamp: string | undefined;
  /** How far the timestamp may be from now, either way, before a delivery counts as a replay. */
  maxSkewSeconds: number;
  nowSeconds?: number;
}

/**
 * Chatwoot >= 4.13 signs agent-bot and account webhooks alike:
 * `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * This is what a sender computes (the simulator, tests).
 */
export function signChatwootPayload(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * The receiver's check. The signature is compared first, in constant time, so `stale` is only
 * ever said of a delivery that really was signed with this secret (a captured, replayed one):
 * a forger learns nothing from the answer about the timestamp window.
 */
export function verifyChatwootSignature(input: VerifyChatwootSignatureInput): ChatwootSignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp)) return 'mismatch';
  const expected = signChatwootPayload(input.secret, timestamp, input.rawBody);
  if (!constantTimeEqual(signature, expected)) return 'mismatch';
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > input.maxSkewSeconds) return 'stale';
  return 'valid';
}

/**
 * Compares secrets and signatures in constant time. Length leaks nothing useful (the formats are
 * public), content would: on a length mismatch a same-length comparison still runs.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
