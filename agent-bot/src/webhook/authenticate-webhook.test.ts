import { signChatwootPayload } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { authenticateWebhook } from './authenticate-webhook.js';

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

describe('authenticateWebhook', () => {
  it('picks the account whose own bot secret signed the delivery', () => {
    const accounts = [account(1, { webhookSecret: 'one' }), account(2, { webhookSecret: 'two' })];
    const ts = '100';
    const auth = authenticateWebhook(
      accounts,
      body,
      { signature: signChatwootPayload('two', ts, body), timestamp: ts, urlToken: undefined },
      100,
      300,
    );
    expect(auth).toMatchObject({ ok: true, via: 'signature' });
    expect(auth.ok && auth.account.id).toBe(2);
  });

  it('says stale for a genuine replayed delivery, mismatch for a forged one, missing for neither header', () => {
    const accounts = [account(1, { webhookSecret: 'one' })];
    const ts = '100';
    const headers = (secret: string) => ({
      signature: signChatwootPayload(secret, ts, body),
      timestamp: ts,
      urlToken: undefined,
    });
    expect(authenticateWebhook(accounts, body, headers('one'), 100 + 301, 300)).toEqual({
      ok: false,
      why: 'stale',
    });
    expect(authenticateWebhook(accounts, body, headers('two'), 100, 300)).toEqual({
      ok: false,
      why: 'mismatch',
    });
    expect(
      authenticateWebhook(
        accounts,
        body,
        { signature: undefined, timestamp: ts, urlToken: undefined },
        100,
        300,
      ),
    ).toEqual({ ok: false, why: 'missing' });
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
