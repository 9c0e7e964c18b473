import PgBoss from 'pg-boss';
import type pg from 'pg';
import { createWorkerLoop, type Database, type Logger, type WorkerLoop } from '@switchboard/core';

export interface JobQueueOptions {
  db: Database;
  logger: Logger;
  /** How often an idle queue looks for due jobs other processes (or timers) made ready. */
  pollIntervalMs?: number;
  /** pg-boss maintenance (expiry of jobs whose process died). */
  maintenanceIntervalSeconds?: number;
}

export interface QueueDefinition<T> {
  name: string;
  /** Jobs of this queue run at most this many at a time in this process. */
  concurrency: number;
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  /** Poll for due jobs this often (default: the queue's pollIntervalMs). Local sends wake it anyway. */
  pollIntervalMs?: number;
  handle(data: T, job: { id: string; createdOn: Date; startedOn: Date | null }): Promise<void>;
}

/**
 * Durable jobs on pg-boss (same PostgreSQL): delayed follow-ups and delivery-failure handling
 * (conversation turns run in lanes, lane-dispatcher.ts). pg-boss 10's `work()` waits for a whole
 * batch before fetching again, so one slow job would hold up the rest; this dispatcher fetches as
 * slots free up and runs each job on its own, with an in-process wake-up so a job sent by this
 * process starts within milliseconds instead of at the next poll.
 */
export class JobQueue {
  private bossInstance: PgBoss | null = null;
  private readonly runners = new Map<string, WorkerLoop>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pollIntervalMs: number;

  constructor(private readonly options: JobQueueOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  get boss(): PgBoss {
    if (!this.bossInstance) throw new Error('job queue not started');
    return this.bossInstance;
  }

  async start(definitions: QueueDefinition<never>[]): Promise<void> {
    this.bossInstance = new PgBoss({
      connectionString: this.options.db.url,
      max: 4,
      application_name: 'switchboard-queue',
      // Its own schema per database schema, so parallel test schemas never share jobs.
      schema: this.options.db.schema ? `${this.options.db.schema}_boss` : 'pgboss',
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: this.options.maintenanceIntervalSeconds ?? 30,
    });
    this.boss.on('error', (error) => this.options.logger.warn({ err: error }, 'job queue error'));
    await this.boss.start();
    for (const definition of definitions) {
      await this.boss.createQueue(definition.name, {
        name: definition.name,
        policy: 'standard',
        retryLimit: definition.retryLimit,
        retryDelay: definition.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: definition.expireInSeconds,
      });
    }
    for (const definition of definitions) this.startRunner(definition as QueueDefinition<unknown>);
  }

  /**
   * Sends a job; with `client`, inside that client's transaction (the job exists exactly when
   * the state change that needs it commits).
   */
  async send(
    name: string,
    data: object,
    options: { startAfterMs?: number; client?: Pick<pg.PoolClient, 'query'> } = {},
  ): Promise<void> {
    const sendOptions: PgBoss.SendOptions = {};
    if (options.startAfterMs && options.startAfterMs > 0) {
      sendOptions.startAfter = new Date(Date.now() + options.startAfterMs);
    }
    if (options.client) {
      const client = options.client;
      sendOptions.db = { executeSql: async (text, values) => client.query(text, values) };
    }
    await this.boss.send(name, data, sendOptions);
    // Inside a transaction the job is invisible until commit: the caller wakes after COMMIT.
    if (!options.client) this.wakeAt(name, options.startAfterMs ?? 0);
  }

  /** Wake this process's dispatcher for `name` after `delayMs` (a job becomes due then). */
  wakeAt(name: string, delayMs: number): void {
    const runner = this.runners.get(name);
    if (!runner) return;
    if (delayMs <= 0) {
      runner.wake();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      runner.wake();
    }, delayMs + 5);
    this.timers.add(timer);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    await this.bossInstance?.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
  }

  private startRunner(definition: QueueDefinition<unknown>): void {
    const runner = createWorkerLoop<PgBoss.JobWithMetadata<unknown>>({
      concurrency: definition.concurrency,
      maxClaim: 50,
      pollIntervalMs: definition.pollIntervalMs ?? this.pollIntervalMs,
      // A failed fetch is retried at the next poll (pg-boss reports its own errors).
      claim: (free) =>
        this.boss.fetch<unknown>(definition.name, { batchSize: free, includeMetadata: true }).catch(() => []),
      run: (job) => this.runJob(definition, job),
    });
    this.runners.set(definition.name, runner);
    runner.start();
  }

  private async runJob(
    definition: QueueDefinition<unknown>,
    job: PgBoss.JobWithMetadata<unknown>,
  ): Promise<void> {
    try {
      await definition.handle(job.data, { id: job.id, createdOn: job.createdOn, startedOn: job.startedOn });
      await this.boss.complete(definition.name, job.id).catch(() => undefined);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.options.logger.warn(
        { queue: definition.name, jobId: job.id, error: message },
        'job failed, will retry',
      );
      await this.boss.fail(definition.name, job.id, { message }).catch(() => undefined);
    }
  }
}
