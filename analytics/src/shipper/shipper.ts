import { Readable } from 'node:stream';
import { conversationsInLines, refreshConversationTotals } from '../clickhouse/conversation-totals.js';
import { daysInLines, refreshEventDays } from '../clickhouse/event-days.js';
import {
  createWorkerLoop,
  maskPhone,
  type ClickHouse,
  type Database,
  type Logger,
  type SwitchboardConfig,
} from '@switchboard/core';
import { analyticsEventSchema } from '@switchboard/events';
import { toInsertRow } from '@switchboard/events';
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
  /**
   * Shipping loops run by start() (default 2): while one loop's batch is in ClickHouse, another
   * claims and prepares the next, so PostgreSQL and ClickHouse work overlap.
   */
  concurrency?: number;
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
const DEFAULT_CONCURRENCY = 2;

/**
 * ClickHouse parse errors quote the offending row, which may hold a phone number: such an error
 * goes to the logs and to the outbox's last_error only with digit runs masked.
 */
export function redactError(message: string): string {
  return message.replace(/\+?\d[\d\s-]{6,}\d/g, (m) => maskPhone(m)).slice(0, 2000);
}

interface ChdbRawInsert {
  rawInsert(params: {
    table: string;
    values: Buffer;
    format: 'JSONEachRow';
    settings: Record<string, string | number | boolean>;
  }): Promise<unknown>;
}

/**
 * The `.chdb` extension of chdb's Connection (local mode), when the client runs on one: the
 * client keeps its connection in a field TypeScript calls private, hence the probing. Any other
 * client (a server, a test double) gets undefined and the ordinary `exec` path.
 */
/** Rows a claimed batch holds, valid or not. */
function batchRows(batch: ClaimedBatch): number {
  return batch.lineCount + batch.unchecked.length;
}

function chdbExtension(client: unknown): ChdbRawInsert | undefined {
  const connection = (client as { connection?: { connectionName?: string; chdb?: ChdbRawInsert } })
    .connection;
  if (connection?.connectionName !== 'chdb') return undefined;
  return typeof connection.chdb?.rawInsert === 'function' ? connection.chdb : undefined;
}

/**
 * Inserts JSONEachRow text into `events` as it is, without parsing and re-serialising each row,
 * with `token` as the deduplication token. Exported for the benchmark's baseline.
 */
export async function insertEventLines(
  client: Pick<ClickHouse, 'client'>['client'],
  body: string,
  token: string,
  batchSize: number,
): Promise<void> {
  const settings = {
    insert_deduplication_token: token,
    insert_deduplicate: 1 as const,
    deduplicate_blocks_in_dependent_materialized_views: 1 as const,
    // Wait for the insert to be durable before the batch is marked.
    async_insert: 0 as const,
    // One block per batch: the token then covers the whole batch.
    min_insert_block_size_rows: '0',
    min_insert_block_size_bytes: '0',
    max_insert_block_size: String(Math.max(1_048_576, batchSize)),
  };
  const chdb = chdbExtension(client);
  if (chdb) {
    // Local mode: chdb's raw insert hands the bytes to its parallel parser (about 1.6× the
    // SQL-text path of `exec`, which builds one huge query string).
    await chdb.rawInsert({ table: 'events', values: Buffer.from(body), format: 'JSONEachRow', settings });
  } else {
    const result = await client.exec({
      query: 'INSERT INTO events FORMAT JSONEachRow',
      values: Readable.from([body]),
      clickhouse_settings: settings,
    });
    result.stream.destroy();
  }
  // Also when the insert was dropped as a duplicate: a crash after the insert and before this
  // refresh is repaired when the batch is re-sent.
  await refreshConversationTotals(client, conversationsInLines(body));
  await refreshEventDays(client, daysInLines(body));
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

  async function insert(batch: ClaimedBatch, body: string): Promise<void> {
    await insertEventLines(deps.clickhouse.client, body, batch.batchId, options.batchSize);
  }

  /** Stored lines as they are; rows without one validated and mapped here, invalid ones set aside. */
  function prepare(batch: ClaimedBatch): {
    body: string;
    count: number;
    dead: { seq: string; error: string }[];
  } {
    const dead: { seq: string; error: string }[] = [];
    const extra: string[] = [];
    for (const row of batch.unchecked) {
      const parsed = analyticsEventSchema.safeParse(row.event);
      if (parsed.success) extra.push(JSON.stringify(toInsertRow(parsed.data)));
      else
        dead.push({ seq: row.seq, error: `invalid event: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
    }
    const parts = batch.lines ? [batch.lines, ...extra] : extra;
    return {
      body: parts.length > 0 ? `${parts.join('\n')}\n` : '',
      count: batch.lineCount + extra.length,
      dead,
    };
  }

  async function shipOnce(): Promise<ShipResult> {
    const batch = await store.claim(options.batchSize, options.leaseSeconds);
    if (!batch) return { batchId: null, shipped: 0, dead: 0, reclaimed: false };
    return shipBatch(batch);
  }

  async function shipBatch(batch: ClaimedBatch): Promise<ShipResult> {
    const { body, count, dead } = prepare(batch);
    if (dead.length > 0) {
      // Only ids and the first issue: event bodies may hold phone numbers and message text.
      logger.error(
        { batchId: batch.batchId, dead: dead.length },
        'analytics: outbox rows failed validation; set aside',
      );
    }
    if (count > 0) {
      try {
        await insert(batch, body);
      } catch (error) {
        const message = redactError((error as Error).message);
        await store.release(batch, message).catch(() => undefined);
        throw new Error(message);
      }
    }
    await deps.afterInsert?.(batch);
    await store.markShipped(batch, dead);
    stats.shipped += count;
    return { batchId: batch.batchId, shipped: count, dead: dead.length, reclaimed: batch.reclaimed };
  }

  let lastPrune = 0;
  /** Claims up to `free` batches, stopping at one that is not full (nothing more is waiting). */
  async function claimBatches(free: number): Promise<ClaimedBatch[]> {
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      const pruned = await store.pruneShipped(options.retainShippedHours);
      if (pruned > 0) logger.debug({ pruned }, 'analytics: pruned shipped outbox rows');
    }
    const batches: ClaimedBatch[] = [];
    while (batches.length < free) {
      // A failure after the first batch: ship what is claimed, the error shows on the next claim.
      const batch = await store.claim(options.batchSize, options.leaseSeconds).catch((error: unknown) => {
        if (batches.length === 0) throw error;
        return null;
      });
      if (!batch) break;
      batches.push(batch);
      if (batchRows(batch) < options.batchSize) break;
    }
    return batches;
  }

  // Several batches in flight (default 2): while one is in ClickHouse, the next is claimed and
  // prepared, so PostgreSQL and ClickHouse work overlap.
  const loop = createWorkerLoop<ClaimedBatch>({
    concurrency: Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY),
    pollIntervalMs: options.idleIntervalMs,
    // Doubles from twice the idle interval while ClickHouse (or PostgreSQL) is unavailable.
    backoff: { initialMs: options.idleIntervalMs * 2, maxMs: options.maxBackoffMs },
    claim: claimBatches,
    // A full batch means more is waiting: go again at once.
    run: async (batch) => {
      const result = await shipBatch(batch);
      return result.shipped + result.dead >= options.batchSize;
    },
    onFailure: async (error, failure) => {
      stats.failures += 1;
      stats.consecutiveFailures = failure.consecutiveFailures;
      stats.lastError = redactError((error as Error).message);
      const backlog = await store.backlog().catch(() => null);
      logger.warn(
        { err: stats.lastError, retryInMs: failure.retryInMs, pending: backlog?.pending },
        'analytics: shipping failed; events stay in the outbox',
      );
    },
    onRecovered: (after) => {
      stats.consecutiveFailures = 0;
      logger.info({ after }, 'analytics: ClickHouse reachable again; shipping');
    },
  });

  return {
    shipOnce,
    prune: () => store.pruneShipped(options.retainShippedHours),
    start() {
      loop.start();
    },
    stop: () => loop.stop(),
    stats,
  };
}
