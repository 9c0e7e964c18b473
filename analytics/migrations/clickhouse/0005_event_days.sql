-- Knowledge searches, model calls and account-level costs per UTC day (issue 19, speed of
-- GET /api/metrics over long ranges).
--
-- Those figures are over the events that occurred in the range. Over 90 days and 10M events,
-- reading them from `events FINAL` cost 4 of the API's 7 queries and about 190 ms; a day holds
-- few distinct (channel, assistant, inbox, model, outcome, missed question) combinations, so the
-- whole days of a range are read from here and only its partial first and last days from events
-- (analytics/src/metrics/event-tallies.ts).
--
-- Immune to duplicate event rows like the other derived tables: a day's rows are recomputed from
-- `events FINAL` (one row per event id) after every insert that touches the day
-- (analytics/src/clickhouse/event-days.ts), and the newest computation of each key wins under
-- FINAL. An insert only ever adds events, so a recompute never lacks a key an older one had.
--
-- The conditions restate definitions/event-metrics.ts: KNOWLEDGE_MISS (`outcome = 'miss'`) and
-- missedQuery (`lower(trimBoth(text))`); event-tallies.test.ts checks the two agree.
CREATE TABLE IF NOT EXISTS event_days
(
    account_id      Int64,
    day             Date,
    type            LowCardinality(String),
    account_level   Bool,
    channel         LowCardinality(String),
    assistant       LowCardinality(String),
    inbox_id        Int64,
    model           LowCardinality(String),
    outcome         LowCardinality(String),
    missed_query    String,
    events          UInt64,
    cost_usd        Decimal(38, 12),
    latency_ms_sum  UInt64,
    computed_at     DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(day)
ORDER BY (account_id, day, type, account_level, channel, assistant, inbox_id, model, outcome, missed_query);

CREATE VIEW IF NOT EXISTS event_days_source AS
SELECT
    account_id,
    toDate(occurred_at) AS day,
    type,
    conversation_id = 0 AS account_level,
    channel,
    assistant,
    inbox_id,
    model,
    outcome,
    if(type = 'knowledge_search' AND outcome = 'miss', lower(trimBoth(text)), '') AS missed_query,
    count() AS events,
    toDecimal128(sum(events.cost_usd), 12) AS cost_usd,
    sum(ifNull(latency_ms, 0)) AS latency_ms_sum,
    now64(6) AS computed_at
FROM events FINAL
WHERE type IN ('knowledge_search', 'model_call')
   OR (conversation_id = 0 AND (events.cost_usd != 0 OR type = 'template_sent'))
GROUP BY account_id, day, type, account_level, channel, assistant, inbox_id, model, outcome, missed_query;

-- Backfill every day already stored (idempotent: a rerun writes the same figures, newer).
INSERT INTO event_days SELECT * FROM event_days_source;
