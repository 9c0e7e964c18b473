-- Up Migration
-- Authenticated Chatwoot deliveries the bot could not use (a missing id, an unknown message type,
-- nesting past the depth limit...). They are acknowledged 2xx, because any other answer makes
-- Chatwoot hand the conversation to a human, so this table is where they stay visible: why, when,
-- and a sanitised copy of what came (replayable once the cause is fixed).
CREATE TABLE engine_rejected_deliveries (
  id           bigserial PRIMARY KEY,
  -- X-Chatwoot-Delivery (NULL when Chatwoot sent none); a retry of a rejected delivery is recorded once.
  delivery_id  text,
  account_id   bigint NOT NULL,
  event        text NOT NULL,
  reason       text NOT NULL,
  -- The body with NUL removed and lone surrogates replaced; `raw_body` instead when it cannot be
  -- jsonb (nested past the depth limit: PostgreSQL's own parser would overflow its stack).
  payload      jsonb,
  raw_body     text,
  received_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (payload IS NOT NULL OR raw_body IS NOT NULL)
);
CREATE UNIQUE INDEX engine_rejected_deliveries_delivery ON engine_rejected_deliveries (delivery_id)
  WHERE delivery_id IS NOT NULL;
CREATE INDEX engine_rejected_deliveries_received ON engine_rejected_deliveries (received_at);

-- Down Migration
DROP TABLE engine_rejected_deliveries;
