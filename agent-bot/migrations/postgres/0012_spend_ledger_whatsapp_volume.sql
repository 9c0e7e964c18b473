-- Up Migration
-- Meta's volume tiers lower the utility/authentication rate once a business's charged messages
-- of that category to that market pass a threshold in the month (docs/whatsapp-pricing.md). The
-- month's count comes from the ledger, so a WhatsApp fee records which market and category it
-- was charged for; a refund (negative) carries the same two, so an undelivered message does not
-- count. NULL on every other kind and on fees recorded before this migration.
ALTER TABLE assistant_spend_ledger ADD COLUMN market text, ADD COLUMN category text;
CREATE INDEX assistant_spend_ledger_whatsapp_volume
  ON assistant_spend_ledger (account_id, market, category, occurred_at)
  WHERE kind = 'whatsapp' AND market IS NOT NULL;

-- Down Migration
DROP INDEX assistant_spend_ledger_whatsapp_volume;
ALTER TABLE assistant_spend_ledger DROP COLUMN market, DROP COLUMN category;
