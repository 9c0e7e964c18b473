/**
 * The benchmark's synthetic events, defined once as arithmetic on the row number so that
 * ClickHouse (numbers()) and PostgreSQL (generate_series) build exactly the same data set:
 * 20 events per conversation, 90 days, account 1 (90 %) and 2, three channels, three assistants.
 *
 * Per conversation c (k = position 0..19 in it, i = global row number):
 *   k % 4 = 0 customer message · 1 model call · 2 AI turn · 3 AI message (human if c % 7 = 0 and k = 15)
 *   k = 17 knowledge search (miss if c % 4 = 0) · k = 18 handoff if c % 7 = 0 · k = 19 resolved
 *   turns: latency (i·37) mod 20000 + 500 ms, none when c % 13 = 0; merged 2 when i % 3 = 0
 *   model calls: cost (i mod 1000 + 1) µUSD
 */
export const BENCH_START = '2026-08-01 00:00:00';
export const BENCH_DAYS = 90;

export function clickhouseInsert(n: number): string {
  return `
INSERT INTO events (id, schema_version, type, occurred_at, account_id, conversation_id, inbox_id, assistant,
  channel, customer_id, customer_phone, cost_usd, cost_kind, message_id, direction, author, content_type, is_private,
  text, turn_id, merged_messages, latency_ms, provider, model, purpose, input_tokens, output_tokens, outcome,
  knowledge_hits, handoff_reason, conversation_change, conversation_status, payload)
SELECT
  generateUUIDv4(i), 1, type,
  toDateTime64('${BENCH_START}', 3, 'UTC') + toIntervalSecond((c * 7919) % ${BENCH_DAYS * 86400} + k * 30),
  if(c % 10 = 9, 2, 1), c, c % 5 + 1, ['sales', 'support', 'billing'][c % 3 + 1],
  ['whatsapp', 'whatsapp', 'whatsapp', 'web', 'test'][c % 5 + 1], c,
  concat('+55119', leftPad(toString(c % 100000000), 8, '0')),
  if(type = 'model_call', CAST(i % 1000 + 1 AS Decimal(18, 12)) / 1000000, CAST(0 AS Decimal(18, 12))),
  if(type = 'model_call', 'model', ''),
  if(type = 'message', i, 0), if(type = 'message', if(k % 4 = 0, 'inbound', 'outbound'), ''),
  if(type = 'message', multiIf(k % 4 = 0, 'customer', k = 15 AND c % 7 = 0, 'human_agent', 'ai'), ''),
  if(type = 'message', 'text', ''), false,
  if(type = 'knowledge_search', concat('question ', toString(c % 50)), ''),
  if(type IN ('turn', 'model_call'), toString(intDiv(i, 4)), ''),
  if(type = 'turn', if(i % 3 = 0, 2, 1), 0),
  if(type = 'turn' AND c % 13 != 0, toUInt32((i * 37) % 20000 + 500), NULL),
  if(type = 'model_call', 'openai', ''), if(type = 'model_call', ['gpt-4.1-mini', 'claude-haiku'][c % 2 + 1], ''),
  if(type = 'model_call', 'reply', ''),
  if(type = 'model_call', i % 2000 + 500, 0), if(type = 'model_call', i % 300 + 20, 0),
  multiIf(type = 'knowledge_search', if(c % 4 = 0, 'miss', 'hit'), type = 'turn', if(c % 13 = 0, 'no_reply', 'replied'),
          type = 'model_call', 'ok', ''),
  if(type = 'knowledge_search' AND c % 4 != 0, 3, 0),
  if(type = 'handoff', ['customer_request', 'keyword', 'low_confidence'][c % 3 + 1], ''),
  if(type = 'conversation', 'resolved', ''), if(type = 'conversation', 'resolved', ''),
  '{}'
FROM (
  SELECT number AS i, intDiv(number, 20) AS c, number % 20 AS k,
    multiIf(k = 19, 'conversation', k = 18 AND c % 7 = 0, 'handoff', k = 17, 'knowledge_search',
            k % 4 = 0, 'message', k % 4 = 1, 'model_call', k % 4 = 2, 'turn', 'message') AS type
  FROM numbers(${n})
)`;
}

/** A helpdesk-style PostgreSQL layout: an events table and a conversations table, both indexed by account and time. */
export const POSTGRES_SCHEMA = `
DROP TABLE IF EXISTS bench_events;
DROP TABLE IF EXISTS bench_conversations;
CREATE UNLOGGED TABLE bench_events (
  i bigint, type text, occurred_at timestamptz, account_id int, conversation_id bigint, inbox_id int,
  assistant text, channel text, customer_phone text, cost_usd numeric(18, 12), author text, is_private bool,
  latency_ms int, merged_messages int, outcome text, handoff_reason text, conversation_status text, text text, model text
);`;

export function postgresInsert(from: number, to: number): string {
  return `
INSERT INTO bench_events
SELECT i, type,
  timestamptz '${BENCH_START}+00' + (((c * 7919) % ${BENCH_DAYS * 86400}) + k * 30) * interval '1 second',
  CASE WHEN c % 10 = 9 THEN 2 ELSE 1 END, c, c % 5 + 1, (ARRAY['sales', 'support', 'billing'])[c % 3 + 1],
  (ARRAY['whatsapp', 'whatsapp', 'whatsapp', 'web', 'test'])[c % 5 + 1],
  '+55119' || lpad((c % 100000000)::text, 8, '0'),
  CASE WHEN type = 'model_call' THEN (i % 1000 + 1) / 1000000.0 ELSE 0 END,
  CASE WHEN type = 'message' THEN CASE WHEN k % 4 = 0 THEN 'customer' WHEN k = 15 AND c % 7 = 0 THEN 'human_agent' ELSE 'ai' END ELSE '' END,
  false,
  CASE WHEN type = 'turn' AND c % 13 <> 0 THEN (i * 37) % 20000 + 500 END,
  CASE WHEN type = 'turn' THEN CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END ELSE 0 END,
  CASE WHEN type = 'knowledge_search' THEN CASE WHEN c % 4 = 0 THEN 'miss' ELSE 'hit' END
       WHEN type = 'turn' THEN CASE WHEN c % 13 = 0 THEN 'no_reply' ELSE 'replied' END
       WHEN type = 'model_call' THEN 'ok' ELSE '' END,
  CASE WHEN type = 'handoff' THEN (ARRAY['customer_request', 'keyword', 'low_confidence'])[c % 3 + 1] ELSE '' END,
  CASE WHEN type = 'conversation' THEN 'resolved' ELSE '' END,
  CASE WHEN type = 'knowledge_search' THEN 'question ' || (c % 50) ELSE '' END,
  CASE WHEN type = 'model_call' THEN (ARRAY['gpt-4.1-mini', 'claude-haiku'])[c % 2 + 1] ELSE '' END
FROM (
  SELECT i, c, k,
    CASE WHEN k = 19 THEN 'conversation' WHEN k = 18 AND c % 7 = 0 THEN 'handoff' WHEN k = 17 THEN 'knowledge_search'
         WHEN k % 4 = 0 THEN 'message' WHEN k % 4 = 1 THEN 'model_call' WHEN k % 4 = 2 THEN 'turn' ELSE 'message' END AS type
  FROM (SELECT i, i / 20 AS c, i % 20 AS k FROM generate_series(${from}::bigint, ${to - 1}::bigint) AS i) AS g
) AS s`;
}

/** The per-conversation table a helpdesk keeps up to date in PostgreSQL, built once here. */
export const POSTGRES_CONVERSATIONS = `
CREATE INDEX bench_events_account_time ON bench_events (account_id, occurred_at);
CREATE UNLOGGED TABLE bench_conversations AS
SELECT account_id, conversation_id, min(occurred_at) AS started_at, max(channel) AS channel, max(assistant) AS assistant,
  max(inbox_id) AS inbox_id, max(customer_phone) AS customer_phone,
  count(*) FILTER (WHERE type = 'message' AND NOT is_private) AS messages_total,
  count(*) FILTER (WHERE type = 'message' AND author = 'customer') AS messages_customer,
  count(*) FILTER (WHERE type = 'message' AND author = 'ai') AS messages_ai,
  count(*) FILTER (WHERE type = 'message' AND author = 'human_agent') AS messages_human,
  sum(cost_usd) AS cost_usd, count(*) FILTER (WHERE type = 'handoff') AS handoffs,
  array_remove(array_agg(DISTINCT NULLIF(handoff_reason, '')), NULL) AS handoff_reasons,
  bool_or(conversation_status = 'resolved') AND count(*) FILTER (WHERE type = 'handoff') = 0
    AND count(*) FILTER (WHERE author = 'human_agent') = 0 AS ai_resolved
FROM bench_events GROUP BY account_id, conversation_id;
CREATE INDEX bench_conversations_account_time ON bench_conversations (account_id, started_at);
ANALYZE bench_events;
ANALYZE bench_conversations;`;
