-- Up Migration
-- Batches become rows of their own: a claim inserts ONE analytics_outbox_batches row covering a
-- key range of outbox rows, a mark updates that one row; outbox rows are written once (by the
-- producer) and deleted by pruning, never rewritten by the shipper.
--
-- The key is (xid, seq): xid is the producer's transaction id. A range is claimed only below the
-- claiming statement's snapshot xmin (every transaction with a smaller id has committed or rolled
-- back), so no row can ever appear later inside a claimed range: a seq taken by a still-open (or
-- later rolled-back) producer transaction is simply not claimable yet (or never exists). Ordering
-- by seq alone would not do: a lower seq can commit after a higher one.
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS xid bigint NOT NULL
  DEFAULT (pg_current_xact_id()::text::bigint);
-- enqueueEvents stores the ClickHouse JSONEachRow line it already built from the validated event,
-- with the version of that mapping; the shipper sends those lines as they are. Rows without one
-- (written around enqueueEvents, or by an older mapping) are validated and mapped by the shipper.
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS row_format smallint;
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS ch_row text;
-- Claimable rows: not claimed by the per-row batches of 0002 (batch_id), not shipped that way.
CREATE INDEX IF NOT EXISTS analytics_outbox_range ON analytics_outbox (xid, seq)
  WHERE batch_id IS NULL AND shipped_at IS NULL;

CREATE TABLE IF NOT EXISTS analytics_outbox_batches (
  batch_id      uuid PRIMARY KEY,
  -- The previous batch's last key ((0, 0) for the first): unique, so two shippers that saw the
  -- same last batch cannot both append a batch after it; the batches form one chain of disjoint,
  -- adjacent ranges.
  after_xid     bigint NOT NULL,
  after_seq     bigint NOT NULL,
  from_xid      bigint NOT NULL,
  from_seq      bigint NOT NULL,
  to_xid        bigint NOT NULL,
  to_seq        bigint NOT NULL,
  events        integer NOT NULL,
  claimed_until timestamptz NOT NULL,
  attempts      integer NOT NULL DEFAULT 1,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  shipped_at    timestamptz,
  UNIQUE (after_xid, after_seq)
);
CREATE INDEX IF NOT EXISTS analytics_outbox_batches_last
  ON analytics_outbox_batches (to_xid DESC, to_seq DESC);
CREATE INDEX IF NOT EXISTS analytics_outbox_batches_open
  ON analytics_outbox_batches (claimed_until) WHERE shipped_at IS NULL;
CREATE INDEX IF NOT EXISTS analytics_outbox_batches_shipped
  ON analytics_outbox_batches (shipped_at) WHERE shipped_at IS NOT NULL;

-- Down Migration
DROP TABLE IF EXISTS analytics_outbox_batches;
DROP INDEX IF EXISTS analytics_outbox_range;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS ch_row;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS row_format;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS xid;
