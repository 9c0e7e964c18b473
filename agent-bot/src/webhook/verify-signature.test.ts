import { describe, expect, it } from 'vitest';
import { authenticateWebhook } from './authenticate-webhook.js';
import { signBody, verifyChatwootSignature } from './verify-signature.js';

const body = Buffer.from('{"event":"message_created","account":{"id":1}}');
const account = (id: number, bot: Record<string, unknown>) =>
  ({
    id,
    baseUrl: 'http://x',
    bot: { id: 9, accessToken: 't', ...bot },
    inboxes: [],
    storageHosts: [],
    rendersMarkdown: true,
  }) as never;

describe('Chatwoot webhook signature', () => {
  it('accepts the exact signature over "<ts>.<raw body>" and refuses anything else', () => {
    const ts = '1781964191';
    const signature = signBody('s3cret', ts, body);
    expect(verifyChatwootSignature('s3cret', body, { signature, timestamp: ts }, 1781964191, 300)).toBe(
      'valid',
    );
    expect(verifyChatwootSignature('other', body, { signature, timestamp: ts }, 1781964191, 300)).toBe(
      'mismatch',
    );
    const tampered = Buffer.from(body.toString().replace('1', '2'));
    expect(verifyChatwootSignature('s3cret', tampered, { signature, timestamp: ts }, 1781964191, 300)).toBe(
      'mismatch',
    );
    expect(verifyChatwootSignature('s3cret', body, { signature, timestamp: ts }, 1781964191 + 301, 300)).toBe(
      'stale',
    );
    expect(verifyChatwootSignature('s3cret', body, { signature: undefined, timestamp: ts }, 0, 300)).toBe(
      'missing',
    );
  });

  it('picks the account whose own bot secret signed the delivery', () => {
    const accounts = [account(1, { webhookSecret: 'one' }), account(2, { webhookSecret: 'two' })];
    const ts = '100';
    const auth = authenticateWebhook(
      accounts,
      body,
      { signature: signBody('two', ts, body), timestamp: ts, urlToken: undefined },
      100,
      300,
    );
    expect(auth).toMatchObject({ ok: true, via: 'signature' });
    expect(auth.ok && auth.account.id).toBe(2);
  });

  it('accepts a URL token only for an opted-in account without a signing secret', () => {
    const token = 'x'.repeat(24);
    const legacy = [account(1, { urlToken: token })];
    expect(
      authenticateWebhook(
        legacy,
        body,
        { signature: undefined, timestamp: undefined, urlToken: token },
        0,
        300,
      ).ok,
    ).toBe(true);
    expect(
      authenticateWebhook(
        legacy,
        body,
        { signature: undefined, timestamp: undefined, urlToken: 'y'.repeat(24) },
        0,
        300,
      ).ok,
    ).toBe(false);
    const signed = [account(1, { urlToken: token, webhookSecret: 'one' })];
    expect(
      authenticateWebhook(
        signed,
        body,
        { signature: undefined, timestamp: undefined, urlToken: token },
        0,
        300,
      ).ok,
    ).toBe(false);
  });
});
