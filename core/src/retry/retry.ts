import { RetryableError } from './retryable-error.js';

/** What the classification hook says about one failure. */
export interface RetryDecision {
  retryable: boolean;
  /** The server's wait, when it gave one (see `parseRetryAfter`). */
  retryAfterMs?: number | null;
}

export interface BackoffOptions {
  baseDelayMs: number;
  /** Upper bound of a backoff wait (not of a server's Retry-After: see maxRetryAfterMs). */
  maxDelayMs: number;
  /**
   * `full` (the default): uniform in [0, min(max, base·2ⁿ)], which spreads a thundering herd best.
   * `proportional`: base·2ⁿ ±25 %, capped at max, for callers whose waits must grow every time.
   */
  jitter?: 'full' | 'proportional';
  /** `replaces` (the default): wait what the server said. `floor`: the longer of it and the backoff. */
  retryAfter?: 'replaces' | 'floor';
  /** A longer Retry-After is cut to this (default: honoured as given). */
  maxRetryAfterMs?: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts, the first included (at least 1). */
  maxAttempts: number;
  /** Whether a failure is worth another try; by default a RetryableError's own verdict, else no. */
  classify?: (error: unknown, attempt: number) => RetryDecision;
  /** Stops retrying: checked before every attempt, and the wait between attempts ends early. */
  signal?: AbortSignal;
  /** What to throw when the signal is aborted before an attempt (default: the signal's reason). */
  abortError?: (signal: AbortSignal) => unknown;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Called before every wait (logging, counters). */
  onRetry?: (retry: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `attempt` until it succeeds, the classification says a failure is final, or attempts run
 * out; then throws that last failure unchanged (each client keeps its own error classes).
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
  const classify = options.classify ?? classifyRetryableError;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const { signal } = options;
    if (signal?.aborted) throw options.abortError ? options.abortError(signal) : signal.reason;
    try {
      return await run(attempt);
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
      const decision = classify(error, attempt);
      if (!decision.retryable) throw error;
      const delayMs = retryDelayMs(attempt, decision.retryAfterMs ?? null, options, random);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}

/** The default hook: a RetryableError says so itself; anything else is not retried. */
export function classifyRetryableError(error: unknown): RetryDecision {
  if (RetryableError.isInstance(error))
    return { retryable: error.retryable, retryAfterMs: error.retryAfterMs };
  return { retryable: false };
}

/**
 * The wait after failed attempt `attempt` (1-based). Never negative and never NaN, whatever the
 * inputs: a clock-skewed Retry-After or a bad setting must not turn into an immediate hot loop
 * of negative timers, nor into an infinite wait.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = nonNegative(options.baseDelayMs);
  const max = nonNegative(options.maxDelayMs);
  // The exponent is bounded so that 0 · 2ⁿ never becomes 0 · Infinity = NaN.
  const exponential = base * 2 ** Math.min(64, Math.max(0, attempt - 1));
  const jittered =
    options.jitter === 'proportional'
      ? Math.min(max, exponential * (0.75 + clamp01(random()) * 0.5))
      : clamp01(random()) * Math.min(max, exponential);
  const backoff = Math.round(jittered);
  if (retryAfterMs === null || !Number.isFinite(retryAfterMs)) return backoff;
  const hinted = Math.min(nonNegative(retryAfterMs), options.maxRetryAfterMs ?? Infinity);
  return Math.round(options.retryAfter === 'floor' ? Math.max(backoff, hinted) : hinted);
}

/** Resolves after `ms`, or as soon as the signal aborts (the caller then sees it aborted). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
