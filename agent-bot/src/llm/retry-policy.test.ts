import { describe, expect, it } from 'vitest';
import { RetryableError } from '@switchboard/core';
import { ProviderCallError } from './provider-error.js';
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

  it('waits exactly the retry-after the provider asked for, even past maxDelayMs', async () => {
    const r = run([error('rate_limited', 1500), error('rate_limited', 0), 'ok']);
    expect(await r.result).toBe('ok');
    expect(r.waits).toEqual([1500, 0]);
  });

  it('reports every attempt, failed and successful', async () => {
    const reports: Array<{ attempt: number; kind: string | null }> = [];
    const result = await callWithRetry(
      'openai',
      (() => {
        let calls = 0;
        return async () => {
          if (calls++ === 0) throw error('server');
          return 'ok';
        };
      })(),
      {
        maxAttempts: 3,
        baseDelayMs: 1,
        maxDelayMs: 1,
        timeoutMs: 1000,
        sleep: async () => undefined,
        onAttempt: (a) => reports.push({ attempt: a.attempt, kind: a.error?.kind ?? null }),
      },
    );
    expect(result).toBe('ok');
    expect(reports).toEqual([
      { attempt: 1, kind: 'server' },
      { attempt: 2, kind: null },
    ]);
  });

  it('stops retrying once the turn is aborted during a wait', async () => {
    const aborted = new AbortController();
    let abortedCalls = 0;
    const stopped = callWithRetry(
      'openai',
      async () => {
        abortedCalls++;
        throw error('server');
      },
      {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        timeoutMs: 1000,
        signal: aborted.signal,
        sleep: async () => aborted.abort(),
      },
    );
    await expect(stopped).rejects.toMatchObject({ kind: 'aborted' });
    expect(abortedCalls).toBe(1);
  });

  it('does not wait for a retry-after longer than a chat can bear: the fallback is faster', async () => {
    const r = run([error('rate_limited', 45_000), 'ok']);
    await expect(r.result).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(r.calls()).toBe(1);
  });

  it('never retries auth or bad requests', async () => {
    for (const kind of ['auth', 'bad_request'] as const) {
      const r = run([error(kind), 'ok']);
      await expect(r.result).rejects.toMatchObject({ kind, retryable: false });
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

describe('ProviderCallError', () => {
  it('is a RetryableError whose verdict follows its kind', () => {
    const limited = error('rate_limited', 1500);
    expect(RetryableError.isInstance(limited)).toBe(true);
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 1500 });
    expect(error('auth')).toMatchObject({ retryable: false, retryAfterMs: null });
  });
});
