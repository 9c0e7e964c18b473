export interface WorkerBackoff {
  /** Wait after the first consecutive failure; doubles with each further one. */
  initialMs: number;
  maxMs: number;
}

export interface WorkerFailure {
  phase: 'claim' | 'run';
  /** How long the loop now waits before claiming again (never negative). */
  retryInMs: number;
  consecutiveFailures: number;
}

export interface WorkerLoopOptions<T> {
  /** Items run at once in this process. */
  concurrency: number;
  /** Most items asked of one claim (default 50): one statement should stay short. */
  maxClaim?: number;
  /** Claims up to `free` due items; an empty list when nothing is due. */
  claim(free: number): Promise<T[]>;
  /**
   * Runs one item. A throw is a failure: the loop backs off before claiming again (a run that
   * handles its own failures, say by rescheduling the item, should not throw). Resolving `false`
   * says no more work is known to be waiting, so the loop waits for the poll or a wake instead
   * of claiming again at once.
   */
  run(item: T): Promise<void | boolean>;
  /** How often an idle loop looks for work made due elsewhere (other processes, timers). */
  pollIntervalMs: number;
  /** Pause after failures (default: one poll interval, not growing). */
  backoff?: WorkerBackoff;
  onFailure?(error: unknown, failure: WorkerFailure): void | Promise<void>;
  /** After failures, the first success (a run, or a claim that found nothing). */
  onRecovered?(consecutiveFailures: number): void;
}

export interface WorkerLoop {
  /** Starts the loop (idempotent). */
  start(): void;
  /** Look for work now (this process just made some due). Does not cut a failure backoff short. */
  wake(): void;
  /** Stops claiming and waits for the items in flight to finish. */
  stop(): Promise<void>;
  readonly inflight: number;
  readonly running: boolean;
}

/**
 * The claim → run → wake / poll loop every background worker shares (conversation lanes, durable
 * jobs, the analytics shipper): claims as many items as there are free slots, runs each on its
 * own, claims again when one finishes or someone wakes it, otherwise every poll interval; after a
 * failure it backs off exponentially; stop() lets what is in flight finish.
 */
export function createWorkerLoop<T>(options: WorkerLoopOptions<T>): WorkerLoop {
  const maxClaim = Math.max(1, options.maxClaim ?? 50);
  const backoff = options.backoff ?? { initialMs: options.pollIntervalMs, maxMs: options.pollIntervalMs };
  const runs = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let inflight = 0;
  let pendingWake = false;
  let wakeUp: (() => void) | null = null;
  let consecutiveFailures = 0;
  let resumeAt = 0;

  function wake(): void {
    pendingWake = true;
    const resolve = wakeUp;
    wakeUp = null;
    resolve?.();
  }

  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(wake, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  function succeeded(): void {
    if (consecutiveFailures === 0) return;
    const after = consecutiveFailures;
    consecutiveFailures = 0;
    resumeAt = 0;
    options.onRecovered?.(after);
  }

  async function failed(error: unknown, phase: WorkerFailure['phase']): Promise<void> {
    consecutiveFailures += 1;
    const retryInMs = workerBackoffMs(consecutiveFailures, backoff);
    resumeAt = Date.now() + retryInMs;
    await options.onFailure?.(error, { phase, retryInMs, consecutiveFailures });
  }

  function startRun(item: T): void {
    inflight++;
    const run = Promise.resolve()
      .then(() => options.run(item))
      .then(
        (more) => {
          succeeded();
          return more !== false;
        },
        async (error: unknown) => {
          await failed(error, 'run');
          return true;
        },
      )
      .catch(() => true)
      .then((claimAgain) => {
        inflight--;
        runs.delete(run);
        // A freed slot is worth a claim unless the run said nothing more is waiting.
        if (claimAgain) wake();
      });
    runs.add(run);
  }

  async function dispatch(): Promise<void> {
    while (running) {
      pendingWake = false;
      const backingOff = resumeAt - Date.now();
      if (backingOff > 0) {
        await sleep(backingOff);
        continue;
      }
      const free = Math.min(options.concurrency - inflight, maxClaim);
      let claimed: T[] = [];
      if (free > 0) {
        try {
          claimed = await options.claim(free);
          if (claimed.length === 0) succeeded();
        } catch (error) {
          await failed(error, 'claim').catch(() => undefined);
          continue;
        }
      }
      for (const item of claimed) startRun(item);
      // A full claim may mean more are due; otherwise sleep until woken or the next poll.
      if (free > 0 && claimed.length >= free) continue;
      if (!pendingWake && running) await sleep(Math.max(0, options.pollIntervalMs));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = dispatch();
    },
    wake,
    async stop() {
      running = false;
      wake();
      await loop;
      await Promise.allSettled([...runs]);
    },
    get inflight() {
      return inflight;
    },
    get running() {
      return running;
    },
  };
}

/**
 * The pause after `consecutiveFailures` failures: initial·2ⁿ⁻¹, capped. Never negative and never
 * NaN, whatever the settings: a negative wait would spin the loop against a dependency that is down.
 */
export function workerBackoffMs(consecutiveFailures: number, backoff: WorkerBackoff): number {
  const initial = Number.isFinite(backoff.initialMs) ? Math.max(0, backoff.initialMs) : 0;
  const max = Number.isFinite(backoff.maxMs) ? Math.max(0, backoff.maxMs) : 0;
  const exponent = Math.min(64, Math.max(0, Math.floor(consecutiveFailures) - 1));
  const delay = Math.min(max, initial * 2 ** exponent);
  return Number.isFinite(delay) ? Math.max(0, Math.round(delay)) : max;
}
