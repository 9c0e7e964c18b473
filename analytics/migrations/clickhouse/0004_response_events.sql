-- Response rows precomputed per conversation (issue 19, speed of GET /api/metrics).
--
-- The response metrics need, for each customer message and AI turn, whether a human held the
-- conversation at its time (a handoff not yet handed back), and for each handoff and template
-- the first human or customer message after it. Working that out at query time joined every row
-- of the range to the conversation's history (4.2 s for 90 days over 10M events). It depends only
-- on the conversation's own events, so it is worked out when its totals are recomputed:
--   conversation_totals_source gains `response_rows` (one tuple per customer message, turn,
--   handoff and template, with `held_since` and `next_at`); the conversation_totals row stores it;
--   response_events_mv flattens each inserted row's array into response_events, one row per event
--   id, sorted by (account, type, counted_at) so a range reads only its own rows. A recompute
--   (late events) writes every row again with a newer computed_at: under FINAL the newest wins.
-- The range-dependent part stays in the query: a hold counts only when its handoff is at most
-- 30 days before the range (definitions/event-metrics.ts), so the rows keep `held_since` rather
-- than a flag. Every statement is idempotent (a local-mode upgrade reruns them).
ALTER TABLE conversation_totals ADD COLUMN IF NOT EXISTS response_rows Array(Tuple(id UUID, type String, occurred_at DateTime64(3, 'UTC'), counted_at DateTime64(3, 'UTC'), author String, is_private Bool, latency_ms Nullable(UInt32), merged_messages UInt16, outcome String, channel String, assistant String, inbox_id Int64, customer_id Int64, customer_phone String, held_since Nullable(DateTime64(3, 'UTC')), next_at Nullable(DateTime64(3, 'UTC'))));

CREATE TABLE IF NOT EXISTS response_events
(
    account_id      Int64,
    conversation_id Int64,
    id              UUID,
    type            LowCardinality(String),
    occurred_at     DateTime64(3, 'UTC'),
    counted_at      DateTime64(3, 'UTC'),
    author          LowCardinality(String),
    is_private      Bool,
    latency_ms      Nullable(UInt32),
    merged_messages UInt16,
    outcome         LowCardinality(String),
    channel         LowCardinality(String),
    assistant       LowCardinality(String),
    inbox_id        Int64,
    customer_id     Int64,
    customer_phone  String,
    held_since      Nullable(DateTime64(3, 'UTC')),
    next_at         Nullable(DateTime64(3, 'UTC')),
    computed_at     DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
PARTITION BY toYYYYMM(counted_at)
ORDER BY (account_id, type, counted_at, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS response_events_mv TO response_events AS
SELECT account_id, conversation_id, r.id AS id, r.type AS type, r.occurred_at AS occurred_at,
       r.counted_at AS counted_at, r.author AS author, r.is_private AS is_private, r.latency_ms AS latency_ms,
       r.merged_messages AS merged_messages, r.outcome AS outcome, r.channel AS channel,
       r.assistant AS assistant, r.inbox_id AS inbox_id, r.customer_id AS customer_id,
       r.customer_phone AS customer_phone, r.held_since AS held_since, r.next_at AS next_at, computed_at
FROM conversation_totals
ARRAY JOIN response_rows AS r;

DROP VIEW IF EXISTS conversation_totals_source;

-- Same columns as 0003's, then response_rows; the four helper arrays stay inside.
CREATE VIEW IF NOT EXISTS conversation_totals_source AS
SELECT * EXCEPT (response_handoffs_at, response_handbacks_at, response_humans_at, response_customers_at)
FROM (
SELECT
    account_id,
    conversation_id,
    min(occurred_at) AS started_at,
    max(occurred_at) AS last_event_at,
    minIf(toNullable(occurred_at), type = 'message' AND NOT is_private) AS first_message_at,
    maxIf(toNullable(occurred_at), type = 'message' AND NOT is_private) AS last_message_at,
    max(inbox_id) AS inbox_id,
    max(toString(channel)) AS channel,
    max(toString(assistant)) AS assistant,
    max(customer_id) AS customer_id,
    max(customer_phone) AS customer_phone,
    toUInt64(countIf(type = 'message' AND NOT is_private AND author = 'customer')) AS messages_customer,
    toUInt64(countIf(type = 'message' AND NOT is_private AND author = 'ai')) AS messages_ai,
    toUInt64(countIf(type = 'message' AND NOT is_private AND author = 'human_agent')) AS messages_human,
    toUInt64(countIf(type = 'message' AND NOT is_private AND author = 'system')) AS messages_system,
    toUInt64(countIf(type = 'message' AND NOT is_private)) AS messages_total,
    toUInt64(countIf(type = 'message' AND is_private)) AS private_notes,
    toUInt64(countIf(type = 'turn')) AS turns,
    -- Replies as REPLIED_TURN counts them (definitions/event-metrics.ts), minus its `held` test,
    -- which needs the conversation's ownership history: template re-engagements and replies
    -- later than WhatsApp's 24 h window are not AI response times.
    toUInt64(countIf(type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000)) AS ai_replies,
    toUInt64(sumIf(merged_messages, type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000)) AS customer_messages_answered,
    toUInt64(sumIf(ifNull(latency_ms, 0), type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000)) AS response_ms_sum,
    if(ai_replies = 0, NULL, response_ms_sum / ai_replies) AS response_ms_avg,
    minIf(latency_ms, type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000) AS response_ms_min,
    maxIf(latency_ms, type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000) AS response_ms_max,
    minIf(toNullable(occurred_at), type = 'turn' AND latency_ms IS NOT NULL AND outcome != 'template' AND latency_ms <= 86400000) AS first_ai_reply_at,
    toDecimal128(sum(conversation_events.cost_usd), 12) AS cost_usd,
    toDecimal128(sumIf(conversation_events.cost_usd, cost_kind = 'model'), 12) AS cost_model_usd,
    toDecimal128(sumIf(conversation_events.cost_usd, cost_kind = 'transcription'), 12) AS cost_transcription_usd,
    toDecimal128(sumIf(conversation_events.cost_usd, cost_kind = 'vision'), 12) AS cost_vision_usd,
    toDecimal128(sumIf(conversation_events.cost_usd, cost_kind = 'whatsapp'), 12) AS cost_whatsapp_usd,
    toDecimal128(sumIf(conversation_events.cost_usd, cost_kind = 'embedding'), 12) AS cost_embedding_usd,
    sum(input_tokens) AS input_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,
    toUInt64(countIf(type = 'model_call')) AS model_calls,
    toUInt64(countIf(type = 'model_call' AND outcome NOT IN ('ok', 'aborted'))) AS model_errors,
    toUInt64(countIf(type = 'tool_call')) AS tool_calls,
    toUInt64(countIf(type = 'tool_call' AND outcome NOT IN ('ok', 'aborted'))) AS tool_errors,
    toUInt64(countIf(type = 'transcription')) AS transcriptions,
    toUInt64(countIf(type = 'vision')) AS vision_calls,
    toUInt64(countIf(type = 'knowledge_search')) AS knowledge_searches,
    toUInt64(countIf(type = 'knowledge_search' AND outcome = 'miss')) AS knowledge_misses,
    toUInt64(countIf(type = 'template_sent')) AS templates_sent,
    toUInt64(countIf(type = 'delivery_failure')) AS delivery_failures,
    toUInt64(countIf(type = 'error')) AS errors,
    toUInt64(countIf(type = 'handoff')) AS handoffs,
    minIf(toNullable(occurred_at), type = 'handoff') AS first_handoff_at,
    arraySort(groupUniqArrayIf(toString(handoff_reason), type = 'handoff')) AS handoff_reasons,
    maxIf(toNullable(occurred_at), type = 'conversation' AND conversation_status = 'resolved') AS resolved_at,
    argMaxIf(toString(conversation_status), (occurred_at, id), type = 'conversation') AS status,
    (status = 'resolved' AND handoffs = 0 AND messages_human = 0) AS ai_resolved,
    now64(6) AS computed_at,
    -- The rows of response_events (below), with what answering them depends on worked out over
    -- the whole conversation. r: (id, type, occurred_at, counted_at, author, is_private, latency_ms,
    -- merged_messages, outcome, channel, assistant, inbox_id, customer_id, customer_phone).
    arraySort(groupArrayIf(occurred_at, type = 'handoff')) AS response_handoffs_at,
    groupArrayIf(occurred_at, type = 'conversation' AND conversation_status = 'pending') AS response_handbacks_at,
    arraySort(groupArrayIf(occurred_at, type = 'message' AND NOT is_private AND author = 'human_agent')) AS response_humans_at,
    arraySort(groupArrayIf(occurred_at, type = 'message' AND NOT is_private AND author = 'customer')) AS response_customers_at,
    arrayMap(r -> CAST((r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14,
        -- held_since: the latest handoff at or before counted_at, unless a hand-back followed it by then.
        if(arrayLastIndex(h -> h <= r.4, response_handoffs_at) = 0
             OR arrayExists(b -> b > response_handoffs_at[arrayLastIndex(h -> h <= r.4, response_handoffs_at)]
                              AND b <= r.4, response_handbacks_at),
           NULL, response_handoffs_at[arrayLastIndex(h -> h <= r.4, response_handoffs_at)]),
        -- next_at: a handoff's first human message after it; a template's first customer message
        -- within the reply window.
        multiIf(r.2 = 'handoff' AND arrayFirstIndex(m -> m > r.3, response_humans_at) > 0,
                  response_humans_at[arrayFirstIndex(m -> m > r.3, response_humans_at)],
                r.2 = 'template_sent' AND arrayFirstIndex(m -> m > r.3, response_customers_at) > 0
                  AND response_customers_at[arrayFirstIndex(m -> m > r.3, response_customers_at)]
                      <= r.3 + toIntervalMillisecond(86400000),
                  response_customers_at[arrayFirstIndex(m -> m > r.3, response_customers_at)],
                NULL)),
        'Tuple(id UUID, type String, occurred_at DateTime64(3, ''UTC''), counted_at DateTime64(3, ''UTC''), author String, is_private Bool, latency_ms Nullable(UInt32), merged_messages UInt16, outcome String, channel String, assistant String, inbox_id Int64, customer_id Int64, customer_phone String, held_since Nullable(DateTime64(3, ''UTC'')), next_at Nullable(DateTime64(3, ''UTC'')))'),
      groupArrayIf((id, toString(type), occurred_at,
          if(type = 'turn' AND latency_ms IS NOT NULL, occurred_at - toIntervalMillisecond(latency_ms), occurred_at),
          toString(author), is_private, latency_ms, merged_messages, toString(outcome),
          -- Each event's own dimensions (the aliases above are the conversation's).
          toString(conversation_events.channel), toString(conversation_events.assistant),
          conversation_events.inbox_id, conversation_events.customer_id, conversation_events.customer_phone),
        type IN ('turn', 'template_sent', 'handoff') OR (type = 'message' AND author = 'customer' AND NOT is_private)))
      AS response_rows
FROM conversation_events FINAL
GROUP BY account_id, conversation_id
);

INSERT INTO conversation_totals SELECT * FROM conversation_totals_source;

DROP VIEW IF EXISTS conversations_summary;

CREATE VIEW IF NOT EXISTS conversations_summary AS
SELECT * EXCEPT (computed_at, response_rows) FROM conversation_totals FINAL;
