import type { ClickHouse } from '@switchboard/core';
import { toClickHouseTime } from '@switchboard/events';
import {
  EVENT_DAYS,
  EVENTS,
  EventMetric as E,
  FAILED_CALL,
  KNOWLEDGE_MISS,
  TIMED_OUT,
} from './definitions/index.js';
import { buildFilter, type Filters } from './filters.js';

const DAY_MS = 86_400_000;

/** Knowledge searches, model calls and what was spent outside any conversation, over a range. */
export interface EventTallies {
  searches: number;
  misses: number;
  topMissedQueries: { query: string; n: number }[];
  models: { model: string; cost: string; calls: number; errors: number; timeouts: number; latency: number }[];
  /** Costs outside any conversation (knowledge-base embeddings at ingest), by when they occurred. */
  accountLevelCost: string;
  /** Templates sent outside any conversation (response_events holds conversations' events only). */
  accountLevelTemplates: number;
}

/**
 * The whole UTC days inside [from, to): these are read from event_days, the partial first and
 * last days (millisecond precision, as every API range) from events. None when the range holds
 * no whole day or a filter event_days cannot apply (phone number, customer id) is set.
 */
export function wholeDays(filters: Filters): { from: Date; to: Date } | null {
  if (filters.customer || filters.customerId) return null;
  const from = Math.ceil(filters.from.getTime() / DAY_MS) * DAY_MS;
  const to = Math.floor(filters.to.getTime() / DAY_MS) * DAY_MS;
  return from < to ? { from: new Date(from), to: new Date(to) } : null;
}

/**
 * Both sources as one row set with event_days' columns: one row per day and dimension from
 * event_days, one per event from `events` for the rest of the range. The rows are the ones
 * event_days_source (migration 0005) selects: searches, model calls, and account-level costs and
 * templates.
 */
function tallyRows(accountId: number, filters: Filters): { sql: string; params: Record<string, unknown> } {
  const raw = buildFilter(accountId, filters, 'occurred_at');
  const days = wholeDays(filters);
  const relevant = `(type IN ('knowledge_search', 'model_call')
      OR (conversation_id = 0 AND (cost_usd != 0 OR type = 'template_sent')))`;
  const fromEvents = (
    outsideDays: string,
  ) => `SELECT type, conversation_id = 0 AS account_level, model, outcome,
        if(type = 'knowledge_search' AND ${KNOWLEDGE_MISS}, ${E.missedQuery}, '') AS missed_query,
        toUInt64(1) AS events, toDecimal128(cost_usd, 12) AS cost_usd, toUInt64(ifNull(latency_ms, 0)) AS latency_ms_sum
      FROM ${EVENTS} WHERE ${raw.where} AND ${relevant}${outsideDays}`;
  if (!days) return { sql: `(${fromEvents('')})`, params: raw.params };
  // channel, assistant and inbox are columns of both; their conditions (and placeholders) are
  // the filter's, minus the time range, which is the days'.
  const dimensions = raw.conditions.filter((part) => !part.startsWith('occurred_at')).join(' AND ');
  return {
    sql: `(SELECT type, account_level, model, outcome, missed_query, events, cost_usd, latency_ms_sum
        FROM ${EVENT_DAYS} WHERE ${dimensions} AND day >= {firstDay:Date} AND day < {endDay:Date}
      UNION ALL
      ${fromEvents(' AND (occurred_at < {firstDayAt:DateTime64(3)} OR occurred_at >= {endDayAt:DateTime64(3)})')})`,
    params: {
      ...raw.params,
      firstDay: days.from.toISOString().slice(0, 10),
      endDay: days.to.toISOString().slice(0, 10),
      firstDayAt: toClickHouseTime(days.from.toISOString()),
      endDayAt: toClickHouseTime(days.to.toISOString()),
    },
  };
}

async function rows<T>(
  ch: Pick<ClickHouse, 'client'>,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const result = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

interface TallyGroup {
  type: string;
  account_level: boolean | number;
  model: string;
  n: string | number;
  misses: string | number;
  errors: string | number;
  timeouts: string | number;
  cost: string;
  latency: string | number;
}

const SCALE = 12;
const toScaled = (v: string): bigint => {
  const negative = v.startsWith('-');
  const [whole, frac = ''] = v.replace('-', '').split('.');
  const n = BigInt(`${whole || '0'}${frac.padEnd(SCALE, '0').slice(0, SCALE)}`);
  return negative ? -n : n;
};
const fromScaled = (n: bigint): string => {
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(SCALE + 1, '0');
  const text = `${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`.replace(/\.?0+$/, '');
  return `${negative ? '-' : ''}${text || '0'}`;
};

/**
 * Two queries over tallyRows: the groups by (type, account level, model), few enough to add up
 * here (money as exact decimals), and the ten most missed questions. Outcomes are classified in
 * the SQL, by the definitions' own conditions.
 */
export async function computeEventTallies(
  ch: Pick<ClickHouse, 'client'>,
  accountId: number,
  filters: Filters,
): Promise<EventTallies> {
  const { sql, params } = tallyRows(accountId, filters);
  const [groups, missed] = await Promise.all([
    rows<TallyGroup>(
      ch,
      `SELECT type, account_level, model, sum(events) AS n, sumIf(events, ${KNOWLEDGE_MISS}) AS misses,
              sumIf(events, ${FAILED_CALL}) AS errors, sumIf(events, ${TIMED_OUT}) AS timeouts,
              toString(sum(cost_usd)) AS cost, sum(latency_ms_sum) AS latency
         FROM ${sql} GROUP BY type, account_level, model`,
      params,
    ),
    rows<{ query: string; n: string | number }>(
      ch,
      `SELECT missed_query AS query, sum(events) AS n FROM ${sql}
        WHERE type = 'knowledge_search' AND ${KNOWLEDGE_MISS}
        GROUP BY query ORDER BY n DESC, query LIMIT 10`,
      params,
    ),
  ]);
  const tallies: EventTallies = {
    searches: 0,
    misses: 0,
    topMissedQueries: missed.map((m) => ({ query: m.query, n: Number(m.n) })),
    models: [],
    accountLevelCost: '0',
    accountLevelTemplates: 0,
  };
  const byModel = new Map<
    string,
    { cost: bigint; calls: number; errors: number; timeouts: number; latency: number }
  >();
  let accountCost = 0n;
  for (const g of groups) {
    const n = Number(g.n);
    if (g.type === 'knowledge_search') {
      tallies.searches += n;
      tallies.misses += Number(g.misses);
    }
    if (g.type === 'model_call') {
      const m = byModel.get(g.model) ?? { cost: 0n, calls: 0, errors: 0, timeouts: 0, latency: 0 };
      m.cost += toScaled(g.cost);
      m.calls += n;
      m.errors += Number(g.errors);
      m.timeouts += Number(g.timeouts);
      m.latency += Number(g.latency);
      byModel.set(g.model, m);
    }
    if (g.account_level === true || g.account_level === 1) {
      accountCost += toScaled(g.cost);
      if (g.type === 'template_sent') tallies.accountLevelTemplates += n;
    }
  }
  tallies.accountLevelCost = fromScaled(accountCost);
  tallies.models = [...byModel].map(([model, m]) => ({ model, ...m, cost: fromScaled(m.cost) }));
  return tallies;
}
