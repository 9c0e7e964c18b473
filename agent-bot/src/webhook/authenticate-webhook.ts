import { constantTimeEqual, verifyChatwootSignature } from '@switchboard/core';
import type { ChatwootAccountConfig } from '@switchboard/core';

export type WebhookAuth =
  | { ok: true; account: ChatwootAccountConfig; via: 'signature' | 'url_token' }
  | { ok: false; why: 'missing' | 'mismatch' | 'stale' };

/**
 * Finds the account whose bot signed this delivery. Each bot has its own secret, so the
 * signature itself says which account it is (tried against every configured secret, each in
 * constant time) before a byte of the body is parsed. Chatwoot < 4.13 signs nothing: an
 * account may opt in to a secret token in the URL instead, accepted only when that account
 * has no signing secret (a signed bot never falls back to the weaker check).
 */
export function authenticateWebhook(
  accounts: readonly ChatwootAccountConfig[],
  rawBody: Buffer,
  headers: { signature: string | undefined; timestamp: string | undefined; urlToken: string | undefined },
  nowSeconds: number,
  maxSkewSeconds: number,
): WebhookAuth {
  if (headers.signature) {
    let stale = false;
    for (const account of accounts) {
      const secret = account.bot.webhookSecret;
      if (!secret) continue;
      const check = verifyChatwootSignature({
        secret,
        rawBody,
        signature: headers.signature,
        timestamp: headers.timestamp,
        nowSeconds,
        maxSkewSeconds,
      });
      if (check === 'valid') return { ok: true, account, via: 'signature' };
      if (check === 'stale') stale = true;
    }
    return { ok: false, why: stale ? 'stale' : 'mismatch' };
  }
  if (headers.urlToken) {
    let found: ChatwootAccountConfig | null = null;
    for (const account of accounts) {
      const token = account.bot.urlToken;
      if (token && !account.bot.webhookSecret && constantTimeEqual(headers.urlToken, token)) found = account;
    }
    return found ? { ok: true, account: found, via: 'url_token' } : { ok: false, why: 'mismatch' };
  }
  return { ok: false, why: 'missing' };
}
