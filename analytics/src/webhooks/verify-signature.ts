import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Chatwoot's webhook signature (contract §2): X-Chatwoot-Signature =
 * "sha256=" + hex(HMAC-SHA256(secret, `${X-Chatwoot-Timestamp}.${raw body}`)), compared in
 * constant time on the raw bytes (never re-serialised JSON), timestamps outside the skew refused.
 */
export function verifyChatwootSignature(input: {
  secret: string;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  maxSkewSeconds: number;
  nowSeconds?: number;
}): SignatureCheck {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(input.timestamp)) > input.maxSkewSeconds)
    return { ok: false, reason: 'timestamp outside the allowed skew' };
  const expected = Buffer.from(
    'sha256=' +
      createHmac('sha256', input.secret).update(`${input.timestamp}.`).update(input.rawBody).digest('hex'),
  );
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  return { ok: true };
}

/** What a sender computes (tests and the local simulator). */
export function signChatwootBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}
