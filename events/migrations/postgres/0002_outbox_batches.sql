-- Up Migration
-- Claims are batches with a lease instead of long transactions: a shipper stamps a batch id and a
-- lease on up to N rows in one short statement, inserts them into ClickHouse with the batch id
-- as the deduplication token, then marks them shipped. A batch whose lease expired (shipper
-- killed) is re-claimed whole, with the same id and rows, so ClickHouse drops the repeat.
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS batch_id uuid;
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz;
-- Rows that can never be shipped (fail validation): kept, with last_error, but skipped.
ALTER TABLE analytics_outbox ADD COLUMN IF NOT EXISTS dead_at timestamptz;
DROP INDEX IF EXISTS analytics_outbox_unshipped;
CREATE INDEX IF NOT EXISTS analytics_outbox_unclaimed ON analytics_outbox (seq)
  WHERE shipped_at IS NULL AND dead_at IS NULL AND batch_id IS NULL;
CREATE INDEX IF NOT EXISTS analytics_outbox_claimed ON analytics_outbox (batch_id, seq)
  WHERE shipped_at IS NULL AND dead_at IS NULL AND batch_id IS NOT NULL;

-- Down Migration
DROP INDEX IF EXISTS analytics_outbox_claimed;
DROP INDEX IF EXISTS analytics_outbox_unclaimed;
CREATE INDEX IF NOT EXISTS analytics_outbox_unshipped ON analytics_outbox (seq) WHERE shipped_at IS NULL;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS dead_at;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS claimed_until;
ALTER TABLE analytics_outbox DROP COLUMN IF EXISTS batch_id;
