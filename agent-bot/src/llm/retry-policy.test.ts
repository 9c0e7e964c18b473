import { describe, expect, it } from 'vitest';
import { ProviderCallError, parseRetryAfter } from './provider-error.js';
import { callWithRetry } from './retry-policy.js';

const error = (kind: ProviderCallError['kind'], retryAfterMs: number | null = null) =>
  new ProviderCallError({ provider: 'openai', kind, message: kind, retryAfterMs });

function run(steps: Array<ProviderCallError | string>, options: { signal?: AbortSignal } = {}) {
  const waits: number[] = [];
  let calls = 0;
  const result = callWithRetry(
    'openai',
    async () => {
      const step = steps[Math.min(calls++, steps.length - 1)]!;
      if (typeof step === 'string') return step;
      throw step;
    },
    {
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 500,
      timeoutMs: 1000,
      sleep: async (ms) => void waits.push(ms),
      random: () => 1,
      ...options,
    },
  );
  return { result, waits, calls: () => calls };
}

describe('callWithRetry', () => {
  it('backs off exponentially with jitter, capped at maxDelayMs', async () => {
    const r = run([error('server'), error('network'), error('invalid_response'), 'ok']);
    expect(await r.result).toBe('ok');
    expect(r.waits).toEqual([200, 400, 500]);
  });

  it('does not wait for a retry-after longer than a chat can bear: the fallback is faster', async () => {
    const r = run([error('rate_limited', 45_000), 'ok']);
    await expect(r.result).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(r.calls()).toBe(1);
  });

  it('never retries auth or bad requests', async () => {
    for (const kind of ['auth', 'bad_request'] as const) {
      const r = run([error(kind), 'ok']);
      await expect(r.result).rejects.toMatchObject({ kind, isRetryable: false });
      expect(r.calls()).toBe(1);
    }
  });

  it('stops before calling when the turn is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = run(['ok'], { signal: controller.signal });
    await expect(r.result).rejects.toMatchObject({ kind: 'aborted' });
    expect(r.calls()).toBe(0);
  });

  it('wraps unknown errors as network errors', async () => {
    const waits: number[] = [];
    const result = callWithRetry('gemini', async () => Promise.reject(new TypeError('fetch failed')), {
      maxAttempts: 1,
      baseDelayMs: 1,
      maxDelayMs: 1,
      timeoutMs: 1000,
      sleep: async (ms) => void waits.push(ms),
    });
    await expect(result).rejects.toMatchObject({
      kind: 'network',
      provider: 'gemini',
      message: 'fetch failed',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfter(new Headers(), now)).toBeNull();
  });
});
