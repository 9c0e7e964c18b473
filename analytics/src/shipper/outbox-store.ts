import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { OUTBOX_ROW_FORMAT } from '@switchboard/events';

/**
 * A claimed batch: the same id and rows every time it is claimed (see 0003_outbox_batch_ranges.sql).
 * `lines` holds the ClickHouse JSONEachRow lines enqueueEvents stored (validated there);
 * `unchecked` the rows without one, which the shipper validates and maps itself.
 */
export interface ClaimedBatch {
  batchId: string;
  /** True when this is a batch another shipper claimed before and never marked (lease expired). */
  reclaimed: boolean;
  /** A per-row batch of migration 0002 (claimed before 0003): marked row by row. */
  legacy: boolean;
  /** Stored JSONEachRow lines joined by newlines ('' when none). */
  lines: string;
  lineCount: number;
  unchecked: { seq: string; event: unknown }[];
}

interface BatchRow {
  lines: string | null;
  line_count: string | number | null;
  unchecked: { seq: string; event: unknown }[] | null;
}

/** The rows of one batch range: stored lines in key order, the rest as (seq, event). */
const BATCH_ROWS = `
  SELECT string_agg(o.ch_row, E'\n') FILTER (WHERE o.stored) AS lines,
         count(*) FILTER (WHERE o.stored) AS line_count,
         json_agg(json_build_object('seq', o.seq::text, 'event', o.event)) FILTER (WHERE NOT o.stored) AS unchecked
    FROM (SELECT o.seq, o.ch_row, o.row_format = ${OUTBOX_ROW_FORMAT} AND o.ch_row IS NOT NULL AS stored,
                 CASE WHEN o.row_format = ${OUTBOX_ROW_FORMAT} AND o.ch_row IS NOT NULL THEN NULL ELSE o.event END AS event
            FROM analytics_outbox o, b
           WHERE (o.xid, o.seq) >= (b.from_xid, b.from_seq) AND (o.xid, o.seq) <= (b.to_xid, b.to_seq)
             AND o.batch_id IS NULL AND o.shipped_at IS NULL
           -- In key order (the index's): the same block on every attempt.
           ORDER BY o.xid, o.seq) o`;

/**
 * The shipper's side of the outbox. Every method is one short statement (its own transaction):
 * nothing is held open while ClickHouse is called, which matters on PGlite where an open
 * transaction blocks every other connection.
 *
 * A batch is one row of analytics_outbox_batches covering the outbox rows whose key (xid, seq)
 * lies in [from, to]. Claiming inserts that row, marking updates it: the outbox rows themselves
 * are never rewritten. Ranges are only claimed below the snapshot xmin, where the set of rows is
 * final, so a batch's rows are the same on every (re)claim.
 */
export class OutboxStore {
  constructor(private readonly pool: Pool) {}

  /**
   * An expired batch first (so a crashed shipper's batch is finished before newer events), else
   * a new batch of up to `limit` rows after the last batch.
   */
  async claim(limit: number, leaseSeconds: number): Promise<ClaimedBatch | null> {
    const legacy = await this.reclaimLegacy(leaseSeconds);
    if (legacy) return legacy;
    const expired = await this.reclaimExpired(leaseSeconds);
    if (expired) return expired;
    // A conflict means another shipper appended a batch after the same last one: look again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await this.claimNew(limit, leaseSeconds);
      if (fresh !== 'conflict') return fresh;
    }
    return null;
  }

  /**
   * One statement: the last batch's end, the next `limit` rows after it whose producer
   * transactions have all ended (xid below this snapshot's xmin), one batch row for them (unique
   * on the predecessor: a concurrent claim after the same batch does nothing), and their contents.
   */
  private async claimNew(limit: number, leaseSeconds: number): Promise<ClaimedBatch | null | 'conflict'> {
    const batchId = randomUUID();
    const result = await this.pool.query<BatchRow & { claimed: boolean; found: boolean }>(
      `WITH last AS (
         SELECT to_xid, to_seq FROM analytics_outbox_batches ORDER BY to_xid DESC, to_seq DESC LIMIT 1),
       a AS (
         SELECT coalesce((SELECT to_xid FROM last), 0) AS x, coalesce((SELECT to_seq FROM last), 0) AS s,
                pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS horizon),
       r AS (
         SELECT o.xid, o.seq FROM analytics_outbox o
          WHERE o.batch_id IS NULL AND o.shipped_at IS NULL
            AND (o.xid, o.seq) > ((SELECT x FROM a), (SELECT s FROM a))
            AND o.xid < (SELECT horizon FROM a)
          ORDER BY o.xid, o.seq LIMIT $1),
       ends AS (
         SELECT (SELECT xid FROM r ORDER BY xid, seq LIMIT 1) AS from_xid,
                (SELECT seq FROM r ORDER BY xid, seq LIMIT 1) AS from_seq,
                (SELECT xid FROM r ORDER BY xid DESC, seq DESC LIMIT 1) AS to_xid,
                (SELECT seq FROM r ORDER BY xid DESC, seq DESC LIMIT 1) AS to_seq,
                (SELECT count(*) FROM r) AS n),
       b AS (
         INSERT INTO analytics_outbox_batches
                (batch_id, after_xid, after_seq, from_xid, from_seq, to_xid, to_seq, events, claimed_until)
         SELECT $2, a.x, a.s, ends.from_xid, ends.from_seq, ends.to_xid, ends.to_seq, ends.n,
                now() + make_interval(secs => $3)
           FROM a, ends WHERE ends.n > 0
         ON CONFLICT (after_xid, after_seq) DO NOTHING
         RETURNING from_xid, from_seq, to_xid, to_seq)
       SELECT (SELECT count(*) FROM b) > 0 AS claimed, (SELECT n FROM ends) > 0 AS found, q.*
         FROM (${BATCH_ROWS}) q`,
      [limit, batchId, leaseSeconds],
    );
    const row = result.rows[0]!;
    if (!row.found) return null;
    if (!row.claimed) return 'conflict';
    return toBatch(batchId, false, row);
  }

  /** A batch whose lease ran out (its shipper died or hangs): taken over whole, same id. */
  private async reclaimExpired(leaseSeconds: number): Promise<ClaimedBatch | null> {
    const result = await this.pool.query<BatchRow & { batch_id: string | null }>(
      `WITH b AS (
         UPDATE analytics_outbox_batches
            SET claimed_until = now() + make_interval(secs => $1), attempts = attempts + 1
          WHERE batch_id = (
                  SELECT batch_id FROM analytics_outbox_batches
                   WHERE shipped_at IS NULL AND claimed_until < now()
                   ORDER BY to_xid, to_seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            AND shipped_at IS NULL AND claimed_until < now()
         RETURNING batch_id, from_xid, from_seq, to_xid, to_seq)
       SELECT (SELECT batch_id FROM b) AS batch_id, q.* FROM (${BATCH_ROWS}) q`,
      [leaseSeconds],
    );
    const row = result.rows[0];
    if (!row?.batch_id) return null;
    return toBatch(row.batch_id, true, row);
  }

  /**
   * Per-row batches claimed under migration 0002 and never marked: re-claimed when their lease
   * expires (same id, same rows), as before. Nothing new is claimed this way.
   */
  private async reclaimLegacy(leaseSeconds: number): Promise<ClaimedBatch | null> {
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
    return {
      batchId: expired.rows[0]!.batch_id,
      reclaimed: true,
      legacy: true,
      lines: '',
      lineCount: 0,
      unchecked: sortBySeq(expired.rows),
    };
  }

  /** Marks the batch shipped; rows listed in `dead` are set aside with their error instead. */
  async markShipped(batch: ClaimedBatch, dead: { seq: string; error: string }[] = []): Promise<void> {
    if (dead.length > 0) {
      await this.pool.query(
        `UPDATE analytics_outbox o SET dead_at = now(), last_error = d.error
           FROM unnest($1::bigint[], $2::text[]) AS d(seq, error)
          WHERE o.seq = d.seq`,
        [dead.map((d) => d.seq), dead.map((d) => d.error.slice(0, 2000))],
      );
    }
    if (batch.legacy) {
      await this.pool.query(
        `UPDATE analytics_outbox SET shipped_at = now(), last_error = NULL
          WHERE batch_id = $1 AND shipped_at IS NULL AND dead_at IS NULL`,
        [batch.batchId],
      );
      return;
    }
    await this.pool.query(
      `UPDATE analytics_outbox_batches SET shipped_at = now(), last_error = NULL
        WHERE batch_id = $1 AND shipped_at IS NULL`,
      [batch.batchId],
    );
  }

  /**
   * ClickHouse refused the batch: record why and end the lease now, so the next attempt (after
   * backoff, by any shipper) re-claims the same batch.
   */
  async release(batch: ClaimedBatch, error: string): Promise<void> {
    const table = batch.legacy ? 'analytics_outbox' : 'analytics_outbox_batches';
    await this.pool.query(
      `UPDATE ${table} SET claimed_until = now() - interval '1 millisecond', last_error = $2
        WHERE batch_id = $1 AND shipped_at IS NULL`,
      [batch.batchId, error.slice(0, 2000)],
    );
  }

  /**
   * Deletes the rows of batches shipped longer than the retention ago (dead rows stay), then
   * those batch rows, except the newest batch (the chain's end, which the next claim starts
   * after). Short statements: one batch range at a time.
   */
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
      if ((result.rowCount ?? 0) < chunk) break;
    }
    for (;;) {
      const { rows } = await this.pool.query<{ batch_id: string; last: boolean }>(
        `SELECT b.batch_id,
                (b.to_xid, b.to_seq) = (SELECT to_xid, to_seq FROM analytics_outbox_batches
                                         ORDER BY to_xid DESC, to_seq DESC LIMIT 1) AS last
           FROM analytics_outbox_batches b
          WHERE b.shipped_at IS NOT NULL AND b.shipped_at < now() - make_interval(secs => $1)
            AND b.events > 0
          ORDER BY b.to_xid, b.to_seq LIMIT 100`,
        [retainHours * 3600],
      );
      for (const row of rows) {
        const deleted = await this.pool.query(
          `WITH b AS (SELECT from_xid, from_seq, to_xid, to_seq FROM analytics_outbox_batches WHERE batch_id = $1)
           DELETE FROM analytics_outbox o USING b
            WHERE (o.xid, o.seq) >= (b.from_xid, b.from_seq) AND (o.xid, o.seq) <= (b.to_xid, b.to_seq)
              AND o.batch_id IS NULL AND o.shipped_at IS NULL AND o.dead_at IS NULL`,
          [row.batch_id],
        );
        total += deleted.rowCount ?? 0;
        // The chain's end stays (its rows gone, `events` 0) so that the next claim starts after it.
        await this.pool.query(
          row.last
            ? 'UPDATE analytics_outbox_batches SET events = 0 WHERE batch_id = $1'
            : 'DELETE FROM analytics_outbox_batches WHERE batch_id = $1',
          [row.batch_id],
        );
      }
      if (rows.length < 100) return total;
    }
  }

  /** What is waiting: for health and the logs (an outbox that grows means ClickHouse is behind). */
  async backlog(): Promise<{ pending: number; dead: number; oldest: string | null }> {
    // Waiting = rows after the last batch, rows of unshipped batches, rows of unshipped 0002
    // batches (each an index range scan: this runs on every failure, while the outbox grows).
    const result = await this.pool.query<{ pending: string; dead: string; oldest: Date | null }>(
      `WITH last AS (
         SELECT to_xid, to_seq FROM analytics_outbox_batches ORDER BY to_xid DESC, to_seq DESC LIMIT 1),
       waiting AS (
         SELECT o.enqueued_at FROM analytics_outbox o
          WHERE o.batch_id IS NULL AND o.shipped_at IS NULL AND o.dead_at IS NULL
            AND (o.xid, o.seq) > (coalesce((SELECT to_xid FROM last), 0), coalesce((SELECT to_seq FROM last), 0))
         UNION ALL
         SELECT o.enqueued_at FROM analytics_outbox_batches b
           JOIN analytics_outbox o
             ON (o.xid, o.seq) >= (b.from_xid, b.from_seq) AND (o.xid, o.seq) <= (b.to_xid, b.to_seq)
            AND o.batch_id IS NULL AND o.shipped_at IS NULL AND o.dead_at IS NULL
          WHERE b.shipped_at IS NULL
         UNION ALL
         SELECT enqueued_at FROM analytics_outbox
          WHERE batch_id IS NOT NULL AND shipped_at IS NULL AND dead_at IS NULL)
       SELECT (SELECT count(*) FROM waiting) AS pending, (SELECT min(enqueued_at) FROM waiting) AS oldest,
              (SELECT count(*) FROM analytics_outbox WHERE dead_at IS NOT NULL) AS dead`,
    );
    const row = result.rows[0]!;
    return {
      pending: Number(row.pending),
      dead: Number(row.dead),
      oldest: row.oldest ? new Date(row.oldest).toISOString() : null,
    };
  }
}

function toBatch(batchId: string, reclaimed: boolean, row: BatchRow): ClaimedBatch {
  return {
    batchId,
    reclaimed,
    legacy: false,
    lines: row.lines ?? '',
    lineCount: Number(row.line_count ?? 0),
    unchecked: row.unchecked ?? [],
  };
}

function sortBySeq<T extends { seq: string }>(rows: T[]): T[] {
  // RETURNING order is unspecified; the ClickHouse block (and so its dedup hash) must not vary.
  return [...rows].sort((a, b) =>
    BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : 0,
  );
}
