import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, signChatwootPayload, verifyChatwootSignature } from './chatwoot-signature.js';

const body = Buffer.from('{"event":"message_created","account":{"id":1}}');
const ts = '1781964191';
const now = 1781964191;

const verify = (overrides: Partial<Parameters<typeof verifyChatwootSignature>[0]> = {}) =>
  verifyChatwootSignature({
    secret: 's3cret',
    rawBody: body,
    signature: signChatwootPayload('s3cret', ts, body),
    timestamp: ts,
    maxSkewSeconds: 300,
    nowSeconds: now,
    ...overrides,
  });

describe('Chatwoot webhook signature', () => {
  it('is sha256=<hex HMAC-SHA256(secret, "<ts>.<raw body>")>, the same for a string and its bytes', () => {
    const reference = createHmac('sha256', 's3cret').update(`${ts}.${body.toString()}`).digest('hex');
    expect(signChatwootPayload('s3cret', ts, body)).toBe(`sha256=${reference}`);
    expect(signChatwootPayload('s3cret', ts, body.toString())).toBe(`sha256=${reference}`);
  });

  it('accepts the exact signature over "<ts>.<raw body>"', () => {
    expect(verify()).toBe('valid');
  });

  it('refuses another secret, a tampered body and a tampered timestamp', () => {
    expect(verify({ secret: 'other' })).toBe('mismatch');
    expect(verify({ rawBody: Buffer.from(body.toString().replace('1', '2')) })).toBe('mismatch');
    expect(verify({ rawBody: Buffer.concat([body, Buffer.from(' ')]) })).toBe('mismatch');
    expect(verify({ timestamp: String(now + 1), nowSeconds: now + 1 })).toBe('mismatch');
  });

  it('refuses a signature of the wrong length or format without throwing', () => {
    const good = signChatwootPayload('s3cret', ts, body);
    expect(verify({ signature: good.slice(0, -1) })).toBe('mismatch');
    expect(verify({ signature: `${good}0` })).toBe('mismatch');
    expect(verify({ signature: good.replace('sha256=', '') })).toBe('mismatch');
    expect(verify({ signature: 'sha256=' })).toBe('mismatch');
  });

  it('calls a genuine delivery outside the skew window stale, either way, and one inside valid', () => {
    expect(verify({ nowSeconds: now + 300 })).toBe('valid');
    expect(verify({ nowSeconds: now - 300 })).toBe('valid');
    expect(verify({ nowSeconds: now + 301 })).toBe('stale');
    expect(verify({ nowSeconds: now - 301 })).toBe('stale');
  });

  it('never calls a forged delivery stale: the signature is checked before the clock', () => {
    expect(verify({ secret: 'other', nowSeconds: now + 10_000 })).toBe('mismatch');
  });

  it('uses the real clock when no time is given', () => {
    const fresh = String(Math.floor(Date.now() / 1000));
    const signature = signChatwootPayload('s3cret', fresh, body);
    expect(verify({ signature, timestamp: fresh, nowSeconds: undefined })).toBe('valid');
    expect(verify({ nowSeconds: undefined })).toBe('stale');
  });

  it('says missing without either header and mismatch for a malformed timestamp', () => {
    expect(verify({ signature: undefined })).toBe('missing');
    expect(verify({ timestamp: undefined })).toBe('missing');
    expect(verify({ signature: '' })).toBe('missing');
    const signed = signChatwootPayload('s3cret', '12a', body);
    expect(verify({ timestamp: '12a', signature: signed })).toBe('mismatch');
    expect(verify({ timestamp: '-5', signature: signChatwootPayload('s3cret', '-5', body) })).toBe(
      'mismatch',
    );
  });

  it('compares strings in constant time, including ones of different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
