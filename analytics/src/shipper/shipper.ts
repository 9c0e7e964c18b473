import {
  maskPhone,
  type ClickHouse,
  type Database,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';
import { analyticsEventSchema } from '../events/event-schema.js';
import { toInsertRow, type EventRow } from '../clickhouse/event-row.js';
import { OutboxStore, type ClaimedBatch } from './outbox-store.js';

export type ShipperOptions = SwitchboardConfig['analytics']['shipper'];

export interface ShipResult {
  batchId: string | null;
  shipped: number;
  dead: number;
  reclaimed: boolean;
}

export interface ShipperDependencies {
  db: Pick<Database, 'pool'>;
  /** Read on every insert, so a caller may swap the connection (tests simulate outages this way). */
  clickhouse: Pick<ClickHouse, 'client'>;
  logger: Logger;
  options: ShipperOptions;
  /** Test seam: runs after the ClickHouse insert and before the mark (a crash point). */
  afterInsert?: (batch: ClaimedBatch) => Promise<void>;
}

export interface Shipper {
  /** Claims one batch, ships it and marks it; null batchId when the outbox was empty. */
  shipOnce(): Promise<ShipResult>;
  /** Deletes shipped rows past retention. */
  prune(): Promise<number>;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops the loop and waits for the batch in flight. */
  stop(): Promise<void>;
  readonly stats: {
    shipped: number;
    failures: number;
    consecutiveFailures: number;
    lastError: string | null;
  };
}

const PRUNE_EVERY_MS = 60_000;

/**
 * ClickHouse parse errors quote the offending row, which may hold a phone number: such an error
 * goes to the logs and to the outbox's last_error only with digit runs masked.
 */
export function redactError(message: string): string {
  return message.replace(/\+?\d[\d\s-]{6,}\d/g, (m) => maskPhone(m)).slice(0, 2000);
}

/**
 * Moves events from the PostgreSQL outbox to ClickHouse: claim a batch (short statement, lease),
 * insert it with the batch id as insert_deduplication_token, mark it shipped. Any number of
 * shippers may run; exactly-once in ClickHouse comes from the token (a re-sent batch is dropped
 * whole, views included), not from a transaction spanning both databases.
 */
export function createShipper(deps: ShipperDependencies): Shipper {
  const store = new OutboxStore(deps.db.pool);
  const { options, logger } = deps;
  const stats = { shipped: 0, failures: 0, consecutiveFailures: 0, lastError: null as string | null };
  let running: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;

  async function insert(batch: ClaimedBatch, rows: Partial<EventRow>[]): Promise<void> {
    await deps.clickhouse.client.insert({
      table: 'events',
      values: rows,
      format: 'JSONEachRow',
      clickhouse_settings: {
        insert_deduplication_token: batch.batchId,
        insert_deduplicate: 1,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        // Wait for the insert to be durable before the outbox rows are marked.
        async_insert: 0,
      },
    });
  }

  async function shipOnce(): Promise<ShipResult> {
    const batch = await store.claim(options.batchSize, options.leaseSeconds);
    if (!batch) return { batchId: null, shipped: 0, dead: 0, reclaimed: false };
    const rows: Partial<EventRow>[] = [];
    const dead: { seq: string; error: string }[] = [];
    for (const row of batch.rows) {
      const parsed = analyticsEventSchema.safeParse(row.event);
      if (parsed.success) rows.push(toInsertRow(parsed.data));
      else
        dead.push({ seq: row.seq, error: `invalid event: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
    }
    if (dead.length > 0) {
      // Only ids and the first issue: event bodies may hold phone numbers and message text.
      logger.error(
        { batchId: batch.batchId, dead: dead.length },
        'analytics: outbox rows failed validation; set aside',
      );
    }
    if (rows.length > 0) {
      try {
        await insert(batch, rows);
      } catch (error) {
        const message = redactError((error as Error).message);
        await store.release(batch.batchId, message).catch(() => undefined);
        throw new Error(message);
      }
    }
    await deps.afterInsert?.(batch);
    await store.markShipped(batch.batchId, dead);
    stats.shipped += rows.length;
    return { batchId: batch.batchId, shipped: rows.length, dead: dead.length, reclaimed: batch.reclaimed };
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  async function loop(): Promise<void> {
    let lastPrune = 0;
    let backoff = options.idleIntervalMs;
    while (!stopping) {
      try {
        const result = await shipOnce();
        if (stats.consecutiveFailures > 0) {
          logger.info(
            { after: stats.consecutiveFailures },
            'analytics: ClickHouse reachable again; shipping',
          );
        }
        stats.consecutiveFailures = 0;
        backoff = options.idleIntervalMs;
        if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = Date.now();
          const pruned = await store.pruneShipped(options.retainShippedHours);
          if (pruned > 0) logger.debug({ pruned }, 'analytics: pruned shipped outbox rows');
        }
        // A full batch means more is waiting: go again at once.
        if (result.shipped + result.dead < options.batchSize) await sleep(options.idleIntervalMs);
      } catch (error) {
        stats.failures += 1;
        stats.consecutiveFailures += 1;
        stats.lastError = redactError((error as Error).message);
        backoff = Math.min(options.maxBackoffMs, backoff * 2);
        const backlog = await store.backlog().catch(() => null);
        logger.warn(
          { err: stats.lastError, retryInMs: backoff, pending: backlog?.pending },
          'analytics: shipping failed; events stay in the outbox',
        );
        await sleep(backoff);
      }
    }
  }

  return {
    shipOnce,
    prune: () => store.pruneShipped(options.retainShippedHours),
    start() {
      if (running) return;
      stopping = false;
      running = loop().finally(() => {
        running = null;
      });
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
    stats,
  };
}
