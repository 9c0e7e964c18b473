import type { Recorder } from './recorder.js';

export interface WaitOptions {
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** Said in the timeout error, to make a failing test readable. */
  description?: string;
}

/**
 * Resolve with the first truthy value `probe` returns. It is re-checked whenever the recorder changes
 * (a webhook attempt, an API call, a channel send) and every few milliseconds for state changes.
 */
export function waitFor<T>(
  recorder: Recorder,
  probe: () => T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<T>((resolve, reject) => {
    const initial = probe();
    if (initial) {
      resolve(initial);
      return;
    }
    let done = false;
    const check = (): void => {
      if (done) return;
      let value: T | undefined | null | false;
      try {
        value = probe();
      } catch (error) {
        finish();
        reject(error as Error);
        return;
      }
      if (value) {
        finish();
        resolve(value);
      }
    };
    const unsubscribe = recorder.subscribe(() => queueMicrotask(check));
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `waitFor timed out after ${timeoutMs} ms${options.description ? `: ${options.description}` : ''}`,
        ),
      );
    }, timeoutMs);
    function finish(): void {
      done = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(timer);
    }
  });
}
