import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

/** A claimed batch: the same id and rows every time it is claimed (see 0002_outbox_batches.sql). */
export interface ClaimedBatch {
  batchId: string;
  /** True when this is a batch another shipper claimed before and never marked (lease expired). */
  reclaimed: boolean;
  rows: { seq: string; event: unknown }[];
}

/**
 * The shipper's side of the outbox. Every method is one short statement (its own transaction):
 * nothing is held open while ClickHouse is called, which matters on PGlite where an open
 * transaction blocks every other connection.
 */
export class OutboxStore {
  constructor(private readonly pool: Pool) {}

  /**
   * An expired batch first (so a crashed shipper's batch is finished before newer events), else
   * up to `limit` unclaimed rows, oldest first. SKIP LOCKED lets several shippers claim
   * concurrently; the `claimed_until < now()` re-check in the UPDATE stops two of them taking
   * the same expired batch (and if both did, the deduplication token would still drop one).
   */
  async claim(limit: number, leaseSeconds: number): Promise<ClaimedBatch | null> {
    const expired = await this.reclaimExpired(leaseSeconds);
    if (expired) return expired;
    const batchId = randomUUID();
    const fresh = await this.pool.query<{ seq: string; event: unknown }>(
      `WITH c AS (
         SELECT seq FROM analytics_outbox
          WHERE shipped_at IS NULL AND dead_at IS NULL AND batch_id IS NULL
          ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE analytics_outbox o
          SET batch_id = $2, claimed_until = now() + make_interval(secs => $3), attempts = attempts + 1
         FROM c
        WHERE o.seq = c.seq
       RETURNING o.seq, o.event`,
      [limit, batchId, leaseSeconds],
    );
    if (fresh.rows.length === 0) return null;
    return { batchId, reclaimed: false, rows: sortBySeq(fresh.rows) };
  }

  private async reclaimExpired(leaseSeconds: number): Promise<ClaimedBatch | null> {
    let expired;
    try {
      expired = await this.pool.query<{ seq: string; event: unknown; batch_id: string }>(
        `WITH b AS (
         SELECT batch_id FROM analytics_outbox
          WHERE shipped_at IS NULL AND dead_at IS NULL AND batch_id IS NOT NULL AND claimed_until < now()
          ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
       UPDATE analytics_outbox o
          SET claimed_until = now() + make_interval(secs => $1), attempts = attempts + 1
         FROM b
        WHERE o.batch_id = b.batch_id AND o.shipped_at IS NULL AND o.dead_at IS NULL
          AND o.claimed_until < now()
       RETURNING o.seq, o.event, o.batch_id`,
        [leaseSeconds],
      );
    } catch (error) {
      // Two shippers locking different rows of the same expired batch can deadlock on a real
      // server; PostgreSQL aborts one of them, which simply leaves the batch to the other.
      if ((error as { code?: string }).code === '40P01') return null;
      throw error;
    }
    if (expired.rows.length === 0) return null;
    return { batchId: expired.rows[0]!.batch_id, reclaimed: true, rows: sortBySeq(expired.rows) };
  }

  /** Marks the batch shipped; rows listed in `dead` are set aside with their error instead. */
  async markShipped(batchId: string, dead: { seq: string; error: string }[] = []): Promise<void> {
    if (dead.length > 0) {
      await this.pool.query(
        `UPDATE analytics_outbox o SET dead_at = now(), last_error = d.error
           FROM unnest($1::bigint[], $2::text[]) AS d(seq, error)
          WHERE o.seq = d.seq`,
        [dead.map((d) => d.seq), dead.map((d) => d.error.slice(0, 2000))],
      );
    }
    await this.pool.query(
      `UPDATE analytics_outbox SET shipped_at = now(), last_error = NULL
        WHERE batch_id = $1 AND shipped_at IS NULL AND dead_at IS NULL`,
      [batchId],
    );
  }

  /**
   * ClickHouse refused the batch: record why and end the lease now, so the next attempt (after
   * backoff, by any shipper) re-claims the same batch.
   */
  async release(batchId: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE analytics_outbox SET claimed_until = now() - interval '1 millisecond', last_error = $2
        WHERE batch_id = $1 AND shipped_at IS NULL`,
      [batchId, error.slice(0, 2000)],
    );
  }

  /** Deletes shipped rows older than the retention, a chunk at a time (short statements). */
  async pruneShipped(retainHours: number, chunk = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.pool.query(
        `DELETE FROM analytics_outbox WHERE seq IN (
           SELECT seq FROM analytics_outbox
            WHERE shipped_at IS NOT NULL AND shipped_at < now() - make_interval(secs => $1)
            LIMIT $2)`,
        [retainHours * 3600, chunk],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < chunk) return total;
    }
  }

  /** What is waiting: for health and the logs (an outbox that grows means ClickHouse is behind). */
  async backlog(): Promise<{ pending: number; dead: number; oldest: string | null }> {
    const result = await this.pool.query<{ pending: string; dead: string; oldest: Date | null }>(
      `SELECT count(*) FILTER (WHERE shipped_at IS NULL AND dead_at IS NULL) AS pending,
              count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead,
              min(enqueued_at) FILTER (WHERE shipped_at IS NULL AND dead_at IS NULL) AS oldest
         FROM analytics_outbox`,
    );
    const row = result.rows[0]!;
    return {
      pending: Number(row.pending),
      dead: Number(row.dead),
      oldest: row.oldest ? new Date(row.oldest).toISOString() : null,
    };
  }
}

function sortBySeq<T extends { seq: string }>(rows: T[]): T[] {
  // RETURNING order is unspecified; the ClickHouse block (and so its dedup hash) must not vary.
  return [...rows].sort((a, b) =>
    BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0,
  );
}
