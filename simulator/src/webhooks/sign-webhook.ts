import { signChatwootPayload, verifyChatwootSignature } from '@switchboard/core';

/** `X-Chatwoot-Signature`: `sha256=` + hex HMAC-SHA256(secret, "{timestamp}.{raw body}"). */
export const signWebhook: (secret: string, timestamp: string, body: string) => string = signChatwootPayload;

/** The check a receiver does, in constant time (no skew window: test receivers accept late deliveries). */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  return (
    verifyChatwootSignature({ secret, rawBody: body, signature, timestamp, maxSkewSeconds: Infinity }) ===
    'valid'
  );
}
