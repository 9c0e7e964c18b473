-- Up Migration
-- A WhatsApp fee is recorded when Chatwoot accepts the message; Meta charges delivered messages
-- only, so a message that then fails gets its fee back as a negative whatsapp entry
-- (engine/jobs/handle-delivery-failure.ts). Every other kind stays non-negative.
ALTER TABLE assistant_spend_ledger DROP CONSTRAINT assistant_spend_ledger_cost_usd_check;
ALTER TABLE assistant_spend_ledger
  ADD CONSTRAINT assistant_spend_ledger_cost_usd_check CHECK (cost_usd >= 0 OR kind = 'whatsapp');
-- The fee recorded when the part was accepted ({totalUsd, priceVersion, market, country}; NULL:
-- nothing charged), so a refund takes back exactly that, whatever the prices are by then.
ALTER TABLE engine_outgoing ADD COLUMN fee jsonb;

-- Down Migration
ALTER TABLE engine_outgoing DROP COLUMN fee;
DELETE FROM assistant_spend_ledger WHERE cost_usd < 0;
ALTER TABLE assistant_spend_ledger DROP CONSTRAINT assistant_spend_ledger_cost_usd_check;
ALTER TABLE assistant_spend_ledger ADD CONSTRAINT assistant_spend_ledger_cost_usd_check CHECK (cost_usd >= 0);
