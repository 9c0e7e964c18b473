-- One row per conversation, maintained by conversations_mv from every event that has a
-- conversation. AggregatingMergeTree: rows for the same (account_id, conversation_id) are
-- summed on merge, so always read with GROUP BY (or through the conversations_summary view
-- in 0003), never raw. Plain dimensions use max(): events without the value carry '' / 0,
-- which max() never picks over a real value.
CREATE TABLE IF NOT EXISTS conversations
(
    account_id            Int64,
    conversation_id       Int64,
    started_at            SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_event_at         SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    first_message_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    last_message_at       SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    inbox_id              SimpleAggregateFunction(max, Int64),
    channel               SimpleAggregateFunction(max, String),
    assistant             SimpleAggregateFunction(max, String),
    customer_id           SimpleAggregateFunction(max, Int64),
    customer_phone        SimpleAggregateFunction(max, String),

    messages_customer     SimpleAggregateFunction(sum, UInt64),
    messages_ai           SimpleAggregateFunction(sum, UInt64),
    messages_human        SimpleAggregateFunction(sum, UInt64),
    messages_system       SimpleAggregateFunction(sum, UInt64),
    private_notes         SimpleAggregateFunction(sum, UInt64),

    turns                 SimpleAggregateFunction(sum, UInt64),
    ai_replies            SimpleAggregateFunction(sum, UInt64),
    customer_messages_answered SimpleAggregateFunction(sum, UInt64),
    response_ms_sum       SimpleAggregateFunction(sum, UInt64),
    response_ms_min       SimpleAggregateFunction(min, Nullable(UInt32)),
    response_ms_max       SimpleAggregateFunction(max, Nullable(UInt32)),
    first_ai_reply_at     SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),

    cost_usd              SimpleAggregateFunction(sum, Decimal(38, 12)),
    cost_model_usd        SimpleAggregateFunction(sum, Decimal(38, 12)),
    cost_transcription_usd SimpleAggregateFunction(sum, Decimal(38, 12)),
    cost_vision_usd       SimpleAggregateFunction(sum, Decimal(38, 12)),
    cost_whatsapp_usd     SimpleAggregateFunction(sum, Decimal(38, 12)),
    cost_embedding_usd    SimpleAggregateFunction(sum, Decimal(38, 12)),

    input_tokens          SimpleAggregateFunction(sum, UInt64),
    cached_input_tokens   SimpleAggregateFunction(sum, UInt64),
    output_tokens         SimpleAggregateFunction(sum, UInt64),
    reasoning_tokens      SimpleAggregateFunction(sum, UInt64),

    model_calls           SimpleAggregateFunction(sum, UInt64),
    model_errors          SimpleAggregateFunction(sum, UInt64),
    tool_calls            SimpleAggregateFunction(sum, UInt64),
    tool_errors           SimpleAggregateFunction(sum, UInt64),
    transcriptions        SimpleAggregateFunction(sum, UInt64),
    vision_calls          SimpleAggregateFunction(sum, UInt64),
    knowledge_searches    SimpleAggregateFunction(sum, UInt64),
    knowledge_misses      SimpleAggregateFunction(sum, UInt64),
    templates_sent        SimpleAggregateFunction(sum, UInt64),
    delivery_failures     SimpleAggregateFunction(sum, UInt64),
    errors                SimpleAggregateFunction(sum, UInt64),

    handoffs              SimpleAggregateFunction(sum, UInt64),
    first_handoff_at      SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    handoff_reasons       SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    resolved_at           SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    status_changed_at     SimpleAggregateFunction(max, Nullable(DateTime64(3, 'UTC'))),
    status                AggregateFunction(argMax, String, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (account_id, conversation_id)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS conversations_mv TO conversations AS
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
    toUInt64(countIf(type = 'message' AND is_private)) AS private_notes,

    toUInt64(countIf(type = 'turn')) AS turns,
    toUInt64(countIf(type = 'turn' AND latency_ms IS NOT NULL)) AS ai_replies,
    toUInt64(sumIf(merged_messages, type = 'turn' AND latency_ms IS NOT NULL)) AS customer_messages_answered,
    toUInt64(sumIf(ifNull(latency_ms, 0), type = 'turn')) AS response_ms_sum,
    minIf(latency_ms, type = 'turn') AS response_ms_min,
    maxIf(latency_ms, type = 'turn') AS response_ms_max,
    minIf(toNullable(occurred_at), type = 'turn' AND latency_ms IS NOT NULL) AS first_ai_reply_at,

    toDecimal128(sum(events.cost_usd), 12) AS cost_usd,
    toDecimal128(sumIf(events.cost_usd, cost_kind = 'model'), 12) AS cost_model_usd,
    toDecimal128(sumIf(events.cost_usd, cost_kind = 'transcription'), 12) AS cost_transcription_usd,
    toDecimal128(sumIf(events.cost_usd, cost_kind = 'vision'), 12) AS cost_vision_usd,
    toDecimal128(sumIf(events.cost_usd, cost_kind = 'whatsapp'), 12) AS cost_whatsapp_usd,
    toDecimal128(sumIf(events.cost_usd, cost_kind = 'embedding'), 12) AS cost_embedding_usd,

    sum(input_tokens) AS input_tokens,
    sum(cached_input_tokens) AS cached_input_tokens,
    sum(output_tokens) AS output_tokens,
    sum(reasoning_tokens) AS reasoning_tokens,

    toUInt64(countIf(type = 'model_call')) AS model_calls,
    toUInt64(countIf(type = 'model_call' AND outcome != 'ok')) AS model_errors,
    toUInt64(countIf(type = 'tool_call')) AS tool_calls,
    toUInt64(countIf(type = 'tool_call' AND outcome != 'ok')) AS tool_errors,
    toUInt64(countIf(type = 'transcription')) AS transcriptions,
    toUInt64(countIf(type = 'vision')) AS vision_calls,
    toUInt64(countIf(type = 'knowledge_search')) AS knowledge_searches,
    toUInt64(countIf(type = 'knowledge_search' AND outcome = 'miss')) AS knowledge_misses,
    toUInt64(countIf(type = 'template_sent')) AS templates_sent,
    toUInt64(countIf(type = 'delivery_failure')) AS delivery_failures,
    toUInt64(countIf(type = 'error')) AS errors,

    toUInt64(countIf(type = 'handoff')) AS handoffs,
    minIf(toNullable(occurred_at), type = 'handoff') AS first_handoff_at,
    groupUniqArrayIf(toString(handoff_reason), type = 'handoff') AS handoff_reasons,
    maxIf(toNullable(occurred_at), type = 'conversation' AND conversation_status = 'resolved') AS resolved_at,
    maxIf(toNullable(occurred_at), type = 'conversation') AS status_changed_at,
    argMaxStateIf(toString(conversation_status), occurred_at, type = 'conversation') AS status
FROM events
WHERE conversation_id != 0
GROUP BY account_id, conversation_id;

-- The conversations table merged into plain columns: what dashboards, the metrics API and the
-- export read. status is '' until an account webhook reported one. ai_resolved follows
-- Chatwoot's bot_resolutions: resolved, no handoff, no human-agent message.
CREATE VIEW IF NOT EXISTS conversations_summary AS
SELECT
    account_id,
    conversation_id,
    min(conversations.started_at) AS started_at,
    max(conversations.last_event_at) AS last_event_at,
    min(conversations.first_message_at) AS first_message_at,
    max(conversations.last_message_at) AS last_message_at,
    max(conversations.inbox_id) AS inbox_id,
    max(toString(channel)) AS channel,
    max(toString(assistant)) AS assistant,
    max(conversations.customer_id) AS customer_id,
    max(conversations.customer_phone) AS customer_phone,
    sum(conversations.messages_customer) AS messages_customer,
    sum(conversations.messages_ai) AS messages_ai,
    sum(conversations.messages_human) AS messages_human,
    sum(conversations.messages_system) AS messages_system,
    sum(conversations.messages_customer) + sum(conversations.messages_ai) + sum(conversations.messages_human) + sum(conversations.messages_system) AS messages_total,
    sum(conversations.private_notes) AS private_notes,
    sum(conversations.turns) AS turns,
    sum(conversations.ai_replies) AS ai_replies,
    sum(conversations.customer_messages_answered) AS customer_messages_answered,
    sum(conversations.response_ms_sum) AS response_ms_sum,
    if(sum(conversations.ai_replies) = 0, NULL, sum(conversations.response_ms_sum) / sum(conversations.ai_replies)) AS response_ms_avg,
    min(conversations.response_ms_min) AS response_ms_min,
    max(conversations.response_ms_max) AS response_ms_max,
    min(conversations.first_ai_reply_at) AS first_ai_reply_at,
    sum(conversations.cost_usd) AS cost_usd,
    sum(conversations.cost_model_usd) AS cost_model_usd,
    sum(conversations.cost_transcription_usd) AS cost_transcription_usd,
    sum(conversations.cost_vision_usd) AS cost_vision_usd,
    sum(conversations.cost_whatsapp_usd) AS cost_whatsapp_usd,
    sum(conversations.cost_embedding_usd) AS cost_embedding_usd,
    sum(conversations.input_tokens) AS input_tokens,
    sum(conversations.cached_input_tokens) AS cached_input_tokens,
    sum(conversations.output_tokens) AS output_tokens,
    sum(conversations.reasoning_tokens) AS reasoning_tokens,
    sum(conversations.model_calls) AS model_calls,
    sum(conversations.model_errors) AS model_errors,
    sum(conversations.tool_calls) AS tool_calls,
    sum(conversations.tool_errors) AS tool_errors,
    sum(conversations.transcriptions) AS transcriptions,
    sum(conversations.vision_calls) AS vision_calls,
    sum(conversations.knowledge_searches) AS knowledge_searches,
    sum(conversations.knowledge_misses) AS knowledge_misses,
    sum(conversations.templates_sent) AS templates_sent,
    sum(conversations.delivery_failures) AS delivery_failures,
    sum(conversations.errors) AS errors,
    sum(conversations.handoffs) AS handoffs,
    min(conversations.first_handoff_at) AS first_handoff_at,
    groupUniqArrayArray(conversations.handoff_reasons) AS handoff_reasons,
    max(conversations.resolved_at) AS resolved_at,
    argMaxMerge(conversations.status) AS status,
    (argMaxMerge(conversations.status) = 'resolved' AND sum(conversations.handoffs) = 0 AND sum(conversations.messages_human) = 0) AS ai_resolved
FROM conversations
GROUP BY account_id, conversation_id;
