-- Which conversations each customer phone number appears in (issue 19, speed of the `customer`
-- filter of GET /api/metrics).
--
-- The filter matches a part of the phone number (`position(customer_phone, …) > 0`) on every
-- row. A string search over every row of 90 days cost 5 of the API's queries about 450 ms over 10M
-- events, and the n-gram skip index on events cannot help: one index block holds thousands of
-- numbers, so its bloom filter matches anything. This table is small (one row per conversation
-- and number): the API first finds the conversations whose rows may match here, then keeps the
-- exact condition on the rows (analytics/src/metrics/filters.ts), so the result is unchanged.
--
-- A set, not a count: a duplicate event row adds a key that exists, so nothing here needs
-- recomputing. Account-level rows (conversation 0) are kept, so the set covers every row that
-- can match.
CREATE TABLE IF NOT EXISTS conversation_phones
(
    account_id      Int64,
    customer_phone  String,
    conversation_id Int64
)
ENGINE = ReplacingMergeTree
ORDER BY (account_id, customer_phone, conversation_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS conversation_phones_mv TO conversation_phones AS
SELECT DISTINCT account_id, customer_phone, conversation_id
FROM events
WHERE customer_phone != '';

-- Backfill (after the view exists: a row inserted in between lands twice, and is one key).
INSERT INTO conversation_phones
SELECT DISTINCT account_id, customer_phone, conversation_id
FROM events
WHERE customer_phone != '';
