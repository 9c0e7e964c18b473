import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';
import { retry, retryDelayMs } from './retry.js';
import { isRetryableStatus, RetryableError } from './retryable-error.js';

const transient = (retryAfterMs: number | null = null) =>
  new RetryableError('transient', { retryable: true, retryAfterMs });
const final = () => new RetryableError('final', { retryable: false });

function script(steps: Array<Error | string>) {
  let calls = 0;
  const run = async () => {
    const step = steps[Math.min(calls++, steps.length - 1)]!;
    if (typeof step === 'string') return step;
    throw step;
  };
  return { run, calls: () => calls };
}

const waitsOf = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe('retry', () => {
  it('retries RetryableErrors with full-jitter backoff capped at maxDelayMs, then succeeds', async () => {
    const s = script([transient(), transient(), transient(), 'ok']);
    const { waits, sleep } = waitsOf();
    const result = await retry(s.run, {
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 500,
      sleep,
      random: () => 1,
    });
    expect(result).toBe('ok');
    expect(waits).toEqual([200, 400, 500]);
  });

  it('throws the last failure unchanged after maxAttempts', async () => {
    const last = transient();
    const s = script([transient(), last]);
    const { waits, sleep } = waitsOf();
    const error = await retry(s.run, { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep }).catch(
      (e: unknown) => e,
    );
    expect(error).toBe(last);
    expect(s.calls()).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('never retries what the classification calls final, nor unknown errors by default', async () => {
    for (const failure of [final(), new TypeError('boom')]) {
      const s = script([failure, 'ok']);
      await expect(retry(s.run, { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toBe(failure);
      expect(s.calls()).toBe(1);
    }
  });

  it('asks the classification hook, with the attempt number', async () => {
    const seen: number[] = [];
    const s = script([new TypeError('a'), new TypeError('b'), 'ok']);
    const result = await retry(s.run, {
      maxAttempts: 5,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
      classify: (_error, attempt) => {
        seen.push(attempt);
        return { retryable: true, retryAfterMs: 7 };
      },
    });
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2]);
  });

  it("waits the server's Retry-After instead of the backoff, or at least it with retryAfter: floor", async () => {
    const replaces = waitsOf();
    await retry(script([transient(3000), 'ok']).run, {
      maxAttempts: 2,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      sleep: replaces.sleep,
      random: () => 1,
    });
    expect(replaces.waits).toEqual([3000]);

    const floor = waitsOf();
    await retry(script([transient(50), transient(5000), 'ok']).run, {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      retryAfter: 'floor',
      maxRetryAfterMs: 2000,
      sleep: floor.sleep,
      random: () => 1,
    });
    expect(floor.waits).toEqual([100, 2000]);
  });

  it('reports each retry before waiting', async () => {
    const reports: Array<{ attempt: number; delayMs: number }> = [];
    await retry(script([transient(10), transient(20), 'ok']).run, {
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 1,
      sleep: async () => undefined,
      onRetry: ({ attempt, delayMs }) => reports.push({ attempt, delayMs }),
    });
    expect(reports).toEqual([
      { attempt: 1, delayMs: 10 },
      { attempt: 2, delayMs: 20 },
    ]);
  });

  it('does not start an attempt once the signal is aborted, and ends a wait early', async () => {
    const before = new AbortController();
    before.abort(new Error('gone'));
    const untouched = script(['ok']);
    await expect(
      retry(untouched.run, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, signal: before.signal }),
    ).rejects.toThrow('gone');
    expect(untouched.calls()).toBe(0);

    const during = new AbortController();
    const s = script([transient(), 'ok']);
    const started = Date.now();
    const pending = retry(s.run, {
      maxAttempts: 3,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 1,
      signal: during.signal,
      abortError: () => new Error('stopped'),
    });
    setTimeout(() => during.abort(), 20);
    await expect(pending).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(s.calls()).toBe(1);
  });

  it('makes at least one attempt whatever maxAttempts says', async () => {
    const s = script([transient(), 'ok']);
    await expect(retry(s.run, { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 })).rejects.toThrow(
      'transient',
    );
    expect(s.calls()).toBe(1);
  });
});

describe('retryDelayMs', () => {
  const options = { baseDelayMs: 500, maxDelayMs: 8000 };

  it('is full jitter by default: uniform in [0, min(max, base·2ⁿ⁻¹)]', () => {
    expect(retryDelayMs(1, null, options, () => 0)).toBe(0);
    expect(retryDelayMs(1, null, options, () => 0.5)).toBe(250);
    expect(retryDelayMs(3, null, options, () => 1)).toBe(2000);
    expect(retryDelayMs(10, null, options, () => 1)).toBe(8000);
  });

  it('is base·2ⁿ⁻¹ ±25 % with proportional jitter, still capped', () => {
    const proportional = { ...options, jitter: 'proportional' as const };
    expect(retryDelayMs(1, null, proportional, () => 0)).toBe(375);
    expect(retryDelayMs(2, null, proportional, () => 1)).toBe(1250);
    expect(retryDelayMs(20, null, proportional, () => 1)).toBe(8000);
  });

  it('is never negative nor NaN, whatever the inputs', () => {
    const odd = [
      { baseDelayMs: -100, maxDelayMs: 1000 },
      { baseDelayMs: 100, maxDelayMs: -1000 },
      { baseDelayMs: Number.NaN, maxDelayMs: Number.NaN },
      { baseDelayMs: 100, maxDelayMs: 1000, jitter: 'proportional' as const },
    ];
    const randoms = [() => -1, () => 2, () => Number.NaN, () => 0.3];
    const hints = [null, -5000, Number.NaN, Number.NEGATIVE_INFINITY, 0];
    for (const o of odd)
      for (const random of randoms)
        for (const hint of hints)
          for (const attempt of [-3, 0, 1, 40, 2000]) {
            const delay = retryDelayMs(attempt, hint, o, random);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(Number.isFinite(delay)).toBe(true);
          }
    expect(retryDelayMs(1, -5000, options, () => 1)).toBe(0);
    expect(retryDelayMs(1, -5000, { ...options, retryAfter: 'floor' }, () => 1)).toBe(500);
  });

  it('cuts a Retry-After to maxRetryAfterMs', () => {
    expect(retryDelayMs(1, 90_000, { ...options, maxRetryAfterMs: 60_000 })).toBe(60_000);
    expect(retryDelayMs(1, 90_000, options)).toBe(90_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-25T10:00:00Z');

  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now.getTime()),
    ).toBe(30_000);
  });

  it('says 0 for a date in the past and null for anything unusable', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 09:59:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(parseRetryAfter(new Headers({ 'retry-after': '-5' }), now)).toBeNull();
    expect(parseRetryAfter(new Headers({ 'retry-after': '' }), now)).toBeNull();
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'x' }), now)).toBeNull();
    expect(parseRetryAfter(new Headers(), now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('isRetryableStatus', () => {
  it('retries 408, 409, 429, 5xx and no response; never other 4xx', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 599, null, undefined])
      expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isRetryableStatus(status)).toBe(false);
  });
});
