-- Up Migration
-- What each assistant has spent (model calls, transcriptions, ...), one row per priced call, so
-- monthly and per-conversation budgets are checked with exact sums before each turn. The same
-- costs go to analytics as events; this table exists because budgets must not depend on
-- ClickHouse being reachable.
CREATE TABLE assistant_spend_ledger (
  id               bigserial PRIMARY KEY,
  assistant        text NOT NULL,
  account_id       bigint NOT NULL,
  conversation_id  bigint,
  turn_id          text,
  kind             text NOT NULL,
  cost_usd         numeric(24, 12) NOT NULL CHECK (cost_usd >= 0),
  price_version    text NOT NULL,
  occurred_at      timestamptz NOT NULL
);
CREATE INDEX assistant_spend_ledger_month ON assistant_spend_ledger (assistant, occurred_at);
CREATE INDEX assistant_spend_ledger_conversation ON assistant_spend_ledger (account_id, conversation_id);

-- Down Migration
DROP TABLE assistant_spend_ledger;
