-- Up Migration
-- Events wait here until the shipper has them safely in ClickHouse. Producers insert in
-- their own transactions; shippers claim batches with FOR UPDATE SKIP LOCKED.
CREATE TABLE analytics_outbox (
  seq          bigserial PRIMARY KEY,
  id           uuid NOT NULL UNIQUE,
  account_id   bigint NOT NULL,
  event_type   text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  event        jsonb NOT NULL,
  enqueued_at  timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  shipped_at   timestamptz
);
-- The shipper's claim query: oldest unshipped first.
CREATE INDEX analytics_outbox_unshipped ON analytics_outbox (seq) WHERE shipped_at IS NULL;
CREATE INDEX analytics_outbox_shipped ON analytics_outbox (shipped_at) WHERE shipped_at IS NOT NULL;

-- Down Migration
DROP TABLE analytics_outbox;
