import type { Pool } from 'pg';

export interface PgFilters {
  accountId: number;
  from: Date;
  to: Date;
  channels?: string[];
  assistants?: string[];
  customer?: string;
}

/**
 * The same metrics as computeMetrics(), in PostgreSQL over the helpdesk-style tables of
 * generate-events.ts: conversation metrics from the conversations table, message metrics from
 * the events table, six queries in parallel as the ClickHouse version runs them.
 */
export async function postgresMetrics(pool: Pool, f: PgFilters): Promise<Record<string, unknown>> {
  const where: string[] = ['account_id = $1', '__time >= $2', '__time < $3'];
  const params: unknown[] = [f.accountId, f.from, f.to];
  if (f.channels) {
    params.push(f.channels);
    where.push(`channel = ANY($${params.length})`);
  }
  if (f.assistants) {
    params.push(f.assistants);
    where.push(`assistant = ANY($${params.length})`);
  }
  if (f.customer) {
    params.push(`%${f.customer}%`);
    where.push(`customer_phone LIKE $${params.length}`);
  }
  const conv = where.join(' AND ').replaceAll('__time', 'started_at');
  const ev = where.join(' AND ').replaceAll('__time', 'occurred_at');
  // As the API counts responses: a turn at its first customer message's time (its cohort), read
  // up to a day past the range (the reply window), as responseEvents() in definitions does.
  const counted = `(CASE WHEN type = 'turn' AND latency_ms IS NOT NULL
      THEN occurred_at - latency_ms * interval '1 millisecond' ELSE occurred_at END)`;
  const resp = `${where.join(' AND ').replaceAll('__time', counted)}
      AND occurred_at >= $2 AND occurred_at < $3 + interval '1 day'`;
  const [c, e, reasons, misses, models, calls] = await Promise.all([
    pool.query(
      `SELECT count(*) AS conversations, sum(messages_total) AS messages, sum(cost_usd) AS cost,
              count(*) FILTER (WHERE handoffs > 0) AS handoff_conversations, count(*) FILTER (WHERE ai_resolved) AS ai_resolved
         FROM bench_conversations WHERE ${conv}`,
      params,
    ),
    pool.query(
      `SELECT count(*) FILTER (WHERE type = 'message' AND author = 'customer' AND NOT is_private) AS customer_messages,
              sum(merged_messages) FILTER (WHERE type = 'turn' AND latency_ms IS NOT NULL) AS answered,
              count(*) FILTER (WHERE type = 'turn' AND latency_ms IS NOT NULL) AS ai_replies,
              avg(latency_ms) FILTER (WHERE type = 'turn') AS avg_ms,
              percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE type = 'turn') AS q_ms,
              count(*) FILTER (WHERE type = 'knowledge_search') AS searches,
              count(*) FILTER (WHERE type = 'knowledge_search' AND outcome = 'miss') AS misses
         FROM bench_events WHERE ${resp} AND type IN ('message', 'turn', 'knowledge_search')`,
      params,
    ),
    pool.query(
      `SELECT reason, count(*) AS n FROM bench_conversations, unnest(handoff_reasons) AS reason
        WHERE ${conv} GROUP BY reason ORDER BY n DESC, reason`,
      params,
    ),
    pool.query(
      `SELECT lower(trim(text)) AS query, count(*) AS n FROM bench_events
        WHERE ${ev} AND type = 'knowledge_search' AND outcome = 'miss' GROUP BY 1 ORDER BY n DESC, query LIMIT 10`,
      params,
    ),
    pool.query(
      `SELECT model, sum(cost_usd) AS cost, count(*) AS calls FROM bench_events
        WHERE ${ev} AND type = 'model_call' GROUP BY model ORDER BY cost DESC, model`,
      params,
    ),
    pool.query(
      `SELECT count(*) AS total, count(*) FILTER (WHERE outcome <> 'ok') AS errors, avg(1) AS avg_ms
         FROM bench_events WHERE ${ev} AND type = 'model_call'`,
      params,
    ),
  ]);
  return {
    conversations: Number(c.rows[0].conversations),
    cost: String(c.rows[0].cost ?? '0'),
    customerMessages: Number(e.rows[0].customer_messages),
    answered: Number(e.rows[0].answered ?? 0),
    aiReplies: Number(e.rows[0].ai_replies),
    p50: e.rows[0].q_ms?.[0] ?? null,
    p95: e.rows[0].q_ms?.[1] ?? null,
    reasons: reasons.rows.length,
    misses: misses.rows.length,
    models: models.rows.length,
    calls: Number(calls.rows[0].total),
  };
}
