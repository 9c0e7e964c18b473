import type pg from 'pg';
import { createWorkerLoop, type Logger, type WorkerLoop } from '@switchboard/core';
import { claimDueLanes, failLane, type ClaimedLane } from '../store/lanes.js';

export interface LaneDispatcherOptions {
  pool: () => Pick<pg.Pool, 'query'>;
  logger: Logger;
  /** Prefix of this process's lane holder tokens. */
  holderId: string;
  /** Lanes run at once in this process. */
  concurrency: number;
  leaseMs: number;
  /** How often an idle process looks for lanes other processes' webhooks (or backoffs) made due. */
  pollIntervalMs: number;
  /** Extra RETURNING columns of the claim (see claimDueLanes). */
  returning?: string;
  run(lane: ClaimedLane): Promise<void>;
}

/**
 * Runs due conversation lanes: claims as many as there are free slots (one statement), runs
 * each on its own and claims again as soon as one finishes or this process stores a webhook
 * (wake). A run that throws lets the lane go with a backoff of its own (failLane), so one
 * failing conversation never slows the others. Any number of processes can dispatch against
 * the same database: claims skip rows others are taking.
 */
export class LaneDispatcher {
  private readonly loop: WorkerLoop;

  constructor(private readonly options: LaneDispatcherOptions) {
    this.loop = createWorkerLoop<ClaimedLane>({
      concurrency: options.concurrency,
      maxClaim: 50,
      pollIntervalMs: options.pollIntervalMs,
      claim: (free) =>
        claimDueLanes(options.pool(), options.holderId, free, options.leaseMs, options.returning),
      run: (lane) => this.runLane(lane),
      onFailure: (error) => {
        options.logger.warn({ error: (error as Error).message }, 'claiming lanes failed; will retry');
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Wake-ups to come, by the millisecond they are due (one timer for all due then). */
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private stopped = false;

  /**
   * Look for due lanes now (this process just stored work), or in `delayMs` (a lane it made due
   * at the end of a burst window).
   */
  wake(delayMs = 0): void {
    if (delayMs <= 0) {
      this.loop.wake();
      return;
    }
    if (this.stopped) return;
    const at = Date.now() + Math.ceil(delayMs);
    if (this.timers.has(at)) return;
    const timer = setTimeout(() => {
      this.timers.delete(at);
      this.loop.wake();
    }, at - Date.now());
    timer.unref();
    this.timers.set(at, timer);
  }

  /** Stops claiming and waits for the lanes in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.loop.stop();
  }

  private async runLane(lane: ClaimedLane): Promise<void> {
    try {
      await this.options.run(lane);
    } catch (error) {
      const retryInMs = await failLane(this.options.pool(), lane).catch(() => null);
      this.options.logger.warn(
        {
          conversation: lane.conversationId,
          attempt: lane.attempts + 1,
          retryInMs: retryInMs === null ? null : Math.max(0, retryInMs),
          error: (error as Error).message ?? String(error),
        },
        'lane failed, will retry',
      );
    }
  }
}
