import crypto from 'node:crypto';

/** Random strings shaped like the ones Chatwoot generates (has_secure_token: 24 base58-ish characters). */
const TOKEN_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function secureToken(length = 24): string {
  const bytes = crypto.randomBytes(length);
  let out = '';
  for (const byte of bytes) out += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return out;
}

/** A WhatsApp message id (`wamid.` + base64), unique per call. */
export function wamid(): string {
  return `wamid.${crypto.randomBytes(27).toString('base64')}`;
}

export function uuid(): string {
  return crypto.randomUUID();
}
