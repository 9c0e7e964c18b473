-- Per-conversation figures immune to duplicate event rows (issue 19).
--
-- 0002's conversations_mv summed each inserted block as it came: an event inserted twice (a
-- second shipper, a rebuilt batch, a deduplication window passed) was counted twice for good,
-- since no merge ever removes it from an AggregatingMergeTree. Now:
--   events ──conversation_events_mv──▶ conversation_events (one row per event id, sorted by
--   conversation: ReplacingMergeTree, so a duplicate is one row under FINAL, before and after merges)
--   ──conversation_totals_source (a view: the totals of each conversation over its events, FINAL)
--   ──▶ conversation_totals (one row per conversation and recompute; ReplacingMergeTree on
--   computed_at: the latest recompute wins), written by whoever inserts events (the shipper after
--   each batch, for the conversations in it: refreshConversationTotals). Recomputing is idempotent.
-- conversations_summary keeps its name and columns and reads conversation_totals FINAL.
CREATE TABLE IF NOT EXISTS conversation_events
(
    account_id          Int64,
    conversation_id     Int64,
    id                  UUID,
    type                LowCardinality(String),
    occurred_at         DateTime64(3, 'UTC'),
    inbox_id            Int64,
    channel             LowCardinality(String),
    assistant           LowCardinality(String),
    customer_id         Int64,
    customer_phone      String,
    author              LowCardinality(String),
    is_private          Bool,
    merged_messages     UInt16,
    latency_ms          Nullable(UInt32),
    cost_usd            Decimal(18, 12),
    cost_kind           LowCardinality(String),
    input_tokens        UInt64,
    cached_input_tokens UInt64,
    output_tokens       UInt64,
    reasoning_tokens    UInt64,
    outcome             LowCardinality(String),
    handoff_reason      LowCardinality(String),
    conversation_status LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (account_id, conversation_id, id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS conversation_events_mv TO conversation_events AS
SELECT account_id, conversation_id, id, type, occurred_at, inbox_id, channel, assistant, customer_id,
       customer_phone, author, is_private, merged_messages, latency_ms, cost_usd, cost_kind, input_tokens,
       cached_input_tokens, output_tokens, reasoning_tokens, outcome, handoff_reason, conversation_status
FROM events
WHERE conversation_id != 0;

-- Backfill (after the view exists: a row inserted in between lands twice, and is one row under FINAL).
INSERT INTO conversation_events
SELECT account_id, conversation_id, id, type, occurred_at, inbox_id, channel, assistant, customer_id,
       customer_phone, author, is_private, merged_messages, latency_ms, cost_usd, cost_kind, input_tokens,
       cached_input_tokens, output_tokens, reasoning_tokens, outcome, handoff_reason, conversation_status
FROM events
WHERE conversation_id != 0;

CREATE TABLE IF NOT EXISTS conversation_totals
(
    account_id            Int64,
    conversation_id       Int64,
    started_at            DateTime64(3, 'UTC'),
    last_event_at         DateTime64(3, 'UTC'),
    first_message_at      Nullable(DateTime64(3, 'UTC')),
    last_message_at       Nullable(DateTime64(3, 'UTC')),
    inbox_id              Int64,
    channel               String,
    assistant             String,
    customer_id           Int64,
    customer_phone        String,
    messages_customer     UInt64,
    messages_ai           UInt64,
    messages_human        UInt64,
    messages_system       UInt64,
    messages_total        UInt64,
    private_notes         UInt64,
    turns                 UInt64,
    ai_replies            UInt64,
    customer_messages_answered UInt64,
    response_ms_sum       UInt64,
    response_ms_avg       Nullable(Float64),
    response_ms_min       Nullable(UInt32),
    response_ms_max       Nullable(UInt32),
    first_ai_reply_at     Nullable(DateTime64(3, 'UTC')),
    cost_usd              Decimal(38, 12),
    cost_model_usd        Decimal(38, 12),
    cost_transcription_usd Decimal(38, 12),
    cost_vision_usd       Decimal(38, 12),
    cost_whatsapp_usd     Decimal(38, 12),
    cost_embedding_usd    Decimal(38, 12),
    input_tokens          UInt64,
    cached_input_tokens   UInt64,
    output_tokens         UInt64,
    reasoning_tokens      UInt64,
    model_calls           UInt64,
    model_errors          UInt64,
    tool_calls            UInt64,
    tool_errors           UInt64,
    transcriptions        UInt64,
    vision_calls          UInt64,
    knowledge_searches    UInt64,
    knowledge_misses      UInt64,
    templates_sent        UInt64,
    delivery_failures     UInt64,
    errors                UInt64,
    handoffs              UInt64,
    first_handoff_at      Nullable(DateTime64(3, 'UTC')),
    handoff_reasons       Array(String),
    resolved_at           Nullable(DateTime64(3, 'UTC')),
    status                String,
    ai_resolved           Bool,
    computed_at           DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(computed_at)
ORDER BY (account_id, conversation_id);

-- The totals of each conversation, from its events deduplicated by id. Filter on account_id and
-- conversation_id (the grouping keys): ClickHouse pushes the condition below the GROUP BY.
CREATE VIEW IF NOT EXISTS conversation_totals_source AS
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
    now64(6) AS computed_at
FROM conversation_events FINAL
GROUP BY account_id, conversation_id;

-- The columns by name: when a local-mode upgrade reruns this file, the table may already have
-- 0004's column and the view 0004's definition.
INSERT INTO conversation_totals
(
    account_id, conversation_id, started_at, last_event_at, first_message_at, last_message_at,
    inbox_id, channel, assistant, customer_id, customer_phone, messages_customer, messages_ai,
    messages_human, messages_system, messages_total, private_notes, turns, ai_replies,
    customer_messages_answered, response_ms_sum, response_ms_avg, response_ms_min, response_ms_max,
    first_ai_reply_at, cost_usd, cost_model_usd, cost_transcription_usd, cost_vision_usd,
    cost_whatsapp_usd, cost_embedding_usd, input_tokens, cached_input_tokens, output_tokens,
    reasoning_tokens, model_calls, model_errors, tool_calls, tool_errors, transcriptions,
    vision_calls, knowledge_searches, knowledge_misses, templates_sent, delivery_failures, errors,
    handoffs, first_handoff_at, handoff_reasons, resolved_at, status, ai_resolved, computed_at
)
SELECT
    account_id, conversation_id, started_at, last_event_at, first_message_at, last_message_at,
    inbox_id, channel, assistant, customer_id, customer_phone, messages_customer, messages_ai,
    messages_human, messages_system, messages_total, private_notes, turns, ai_replies,
    customer_messages_answered, response_ms_sum, response_ms_avg, response_ms_min, response_ms_max,
    first_ai_reply_at, cost_usd, cost_model_usd, cost_transcription_usd, cost_vision_usd,
    cost_whatsapp_usd, cost_embedding_usd, input_tokens, cached_input_tokens, output_tokens,
    reasoning_tokens, model_calls, model_errors, tool_calls, tool_errors, transcriptions,
    vision_calls, knowledge_searches, knowledge_misses, templates_sent, delivery_failures, errors,
    handoffs, first_handoff_at, handoff_reasons, resolved_at, status, ai_resolved, computed_at
FROM conversation_totals_source;

DROP VIEW IF EXISTS conversations_summary;

CREATE VIEW IF NOT EXISTS conversations_summary AS
SELECT * EXCEPT (computed_at) FROM conversation_totals FINAL;

DROP VIEW IF EXISTS conversations_mv;

DROP TABLE IF EXISTS conversations;
