import type pg from 'pg';
import type { Logger } from '@switchboard/core';
import { claimDueLanes, failLane, type ClaimedLane } from './lane-lease.js';

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
 * (wake). A run that throws lets the lane go with a backoff (failLane). Any number of
 * processes can dispatch against the same database: claims skip rows others are taking.
 */
export class LaneDispatcher {
  private running = false;
  private inflight = 0;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private loop: Promise<void> = Promise.resolve();
  private readonly runs = new Set<Promise<void>>();

  constructor(private readonly options: LaneDispatcherOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.dispatch();
  }

  /** Look for due lanes now (this process just stored work). */
  wake(): void {
    this.pendingWake = true;
    const resolve = this.wakeUp;
    this.wakeUp = null;
    resolve?.();
  }

  /** Stops claiming and waits for the lanes in flight to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.runs]);
  }

  private async dispatch(): Promise<void> {
    const { options } = this;
    while (this.running) {
      this.pendingWake = false;
      const free = options.concurrency - this.inflight;
      let claimed: ClaimedLane[] = [];
      if (free > 0) {
        try {
          claimed = await claimDueLanes(
            options.pool(),
            options.holderId,
            Math.min(free, 50),
            options.leaseMs,
            options.returning,
          );
        } catch (error) {
          options.logger.warn({ error: (error as Error).message }, 'claiming lanes failed; will retry');
        }
      }
      for (const lane of claimed) this.runLane(lane);
      // A full batch may mean more are due; otherwise sleep until woken or the next poll.
      if (claimed.length === Math.min(free, 50) && free > 0) continue;
      if (!this.pendingWake && this.running) await this.sleep();
    }
  }

  private runLane(lane: ClaimedLane): void {
    this.inflight++;
    const run = this.options
      .run(lane)
      .catch(async (error: unknown) => {
        const retryInMs = await failLane(this.options.pool(), lane).catch(() => null);
        this.options.logger.warn(
          {
            conversation: lane.conversationId,
            attempt: lane.attempts + 1,
            retryInMs,
            error: (error as Error).message ?? String(error),
          },
          'lane failed, will retry',
        );
      })
      .finally(() => {
        this.inflight--;
        this.runs.delete(run);
        this.wake();
      });
    this.runs.add(run);
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
