import { retry } from '@switchboard/core';
import { ProviderCallError } from './provider-error.js';

export interface RetryOptions {
  /** Attempts per provider, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-call timeout; the call's signal is aborted when it passes. */
  timeoutMs: number;
  /** The turn's signal (superseded turn, turn deadline). */
  signal?: AbortSignal;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Called after every failed or successful attempt (for model_call events). */
  onAttempt?: (attempt: AttemptReport) => void;
}

export interface AttemptReport {
  attempt: number;
  latencyMs: number;
  error: ProviderCallError | null;
}

export const DEFAULT_RETRY: Omit<RetryOptions, 'signal'> = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  timeoutMs: 30_000,
};

/** retry-after longer than this is not worth waiting for in a chat: the fallback is faster. */
const MAX_HONOURED_RETRY_AFTER_MS = 20_000;

/**
 * Runs `call` with a per-call timeout, retrying retryable provider errors with full-jitter
 * exponential backoff, or exactly the provider's retry-after when it gave one. Throws the
 * last ProviderCallError; the caller moves on to the next provider in the fallback chain.
 */
export async function callWithRetry<T>(
  provider: string,
  call: (signal: AbortSignal) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  if (options.maxAttempts < 1) {
    throw new ProviderCallError({ provider, kind: 'server', message: 'no attempt made' });
  }
  return retry(
    async (attempt) => {
      const started = performance.now();
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      try {
        const result = await call(signal);
        options.onAttempt?.({ attempt, latencyMs: elapsed(started), error: null });
        return result;
      } catch (raw) {
        const error = normaliseError(provider, raw, timeout, options.signal);
        options.onAttempt?.({ attempt, latencyMs: elapsed(started), error });
        throw error;
      }
    },
    {
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
      jitter: 'full',
      retryAfter: 'replaces',
      // Errors reaching here are all ProviderCallErrors (normaliseError).
      classify: (error) => {
        const failure = error as ProviderCallError;
        const tooLong = failure.retryAfterMs !== null && failure.retryAfterMs > MAX_HONOURED_RETRY_AFTER_MS;
        return { retryable: failure.retryable && !tooLong, retryAfterMs: failure.retryAfterMs };
      },
      abortError: () => new ProviderCallError({ provider, kind: 'aborted', message: 'turn aborted' }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    },
  );
}

function normaliseError(
  provider: string,
  raw: unknown,
  timeout: AbortSignal,
  turn: AbortSignal | undefined,
): ProviderCallError {
  // The turn being aborted wins over whatever the SDK reported: nobody waits for this answer.
  if (turn?.aborted) {
    return new ProviderCallError({ provider, kind: 'aborted', message: 'turn aborted', cause: raw });
  }
  if (timeout.aborted && (!ProviderCallError.isInstance(raw) || raw.kind === 'aborted')) {
    return new ProviderCallError({ provider, kind: 'timeout', message: 'model call timed out', cause: raw });
  }
  if (ProviderCallError.isInstance(raw)) return raw;
  return new ProviderCallError({
    provider,
    kind: 'network',
    message: raw instanceof Error ? raw.message : String(raw),
    cause: raw,
  });
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}
