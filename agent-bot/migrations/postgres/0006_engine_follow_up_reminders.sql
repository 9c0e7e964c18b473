-- Up Migration
-- Follow-ups chase a customer and are cancelled when the customer writes first; reminders (of a
-- booked appointment) must go out anyway.
ALTER TABLE engine_follow_ups ADD COLUMN cancel_on_customer_message boolean NOT NULL DEFAULT true;

-- Down Migration
ALTER TABLE engine_follow_ups DROP COLUMN cancel_on_customer_message;
