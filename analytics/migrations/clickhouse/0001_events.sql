-- The wide events table: one row per analytics event (schema v1), written only by the shipper.
--
-- Exactly-once: the shipper inserts each outbox batch with insert_deduplication_token = its
-- batch id (non_replicated_deduplication_window below keeps the tokens on a single server or
-- chdb), so a batch re-sent after a crash is dropped whole, and the materialized views below
-- see it once. ReplacingMergeTree on the sorting key (which ends in the event id) is the second
-- line of defence: any duplicate that slipped through disappears on merge and under FINAL.
--
-- "No value" is 0 / '' rather than NULL for ids and dimensions (NULL columns are slower and
-- awkward in Grafana); latency_ms and top_score stay Nullable because 0 is a real value there.
CREATE TABLE IF NOT EXISTS events
(
    id                  UUID,
    schema_version      UInt8,
    type                LowCardinality(String),
    occurred_at         DateTime64(3, 'UTC'),
    account_id          Int64,
    conversation_id     Int64,
    inbox_id            Int64,
    assistant           LowCardinality(String),
    channel             LowCardinality(String),
    customer_id         Int64,
    customer_phone      String,
    cost_usd            Decimal(18, 12),
    cost_kind           LowCardinality(String),

    message_id          Int64,
    direction           LowCardinality(String),
    author              LowCardinality(String),
    content_type        LowCardinality(String),
    is_private          Bool,
    attachments         UInt16,
    attachment_types    Array(LowCardinality(String)),
    text                String,

    turn_id             String,
    merged_messages     UInt16,
    regenerations       UInt16,
    latency_ms          Nullable(UInt32),
    merge_delay_ms      UInt32,
    queue_delay_ms      UInt32,

    provider            LowCardinality(String),
    model               LowCardinality(String),
    purpose             LowCardinality(String),
    attempt             UInt16,
    fallback_from       LowCardinality(String),
    discarded           Bool,
    input_tokens        UInt64,
    cached_input_tokens UInt64,
    cache_write_tokens  UInt64,
    output_tokens       UInt64,
    reasoning_tokens    UInt64,
    audio_input_tokens  UInt64,
    image_input_tokens  UInt64,
    cost_details        Map(LowCardinality(String), Decimal(18, 12)),
    price_version       LowCardinality(String),
    duration_seconds    Float64,

    tool                LowCardinality(String),
    outcome             LowCardinality(String),
    knowledge_hits      UInt32,
    top_score           Nullable(Float64),

    handoff_reason      LowCardinality(String),
    template            LowCardinality(String),
    template_category   LowCardinality(String),

    conversation_change LowCardinality(String),
    conversation_status LowCardinality(String),
    assignee_type       LowCardinality(String),
    assignee_id         Int64,

    error               String,
    payload             String,
    ingested_at         DateTime64(3, 'UTC') DEFAULT now64(3),

    INDEX idx_conversation conversation_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_customer customer_id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_customer_phone customer_phone TYPE ngrambf_v1(3, 4096, 2, 0) GRANULARITY 4
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, toDate(occurred_at), type, id)
SETTINGS non_replicated_deduplication_window = 10000;
