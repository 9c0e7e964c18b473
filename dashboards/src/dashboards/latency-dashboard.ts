import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assembleDashboard } from '../grafana/dashboard-assembly.js';
import { table, timeSeries, trendStat } from '../grafana/panels.js';
import type { VariableOptions } from '../grafana/variables.js';
import { EventMetric as E, REPLIED_TURN } from '../sql/conversation-metrics.js';
import { dashboardFilters, inRange } from '../sql/filters.js';
import { zonedBucket } from '../sql/time-zone.js';
import { eventTrendSql, responseTrendSql } from '../sql/periods.js';
import { EVENTS, responseEvents } from '@switchboard/analytics/metric-definitions';

/** Response rows of the time picker's range (see responseEvents). */
const PICKED_RANGE_RESPONSES = responseEvents({ from: '$__fromTime_ms', to: '$__toTime_ms' });

export const LATENCY_UID = 'switchboard-latency';

const filters = dashboardFilters();
const CALL_TYPES = ['model_call', 'tool_call', 'transcription', 'vision', 'embedding'];

export const latencySql = {
  p95ResponseTime: responseTrendSql(`${E.responseQuantileMs(0.95)} / 1000`, filters, { empty: 'none' }),
  providerErrorRate: eventTrendSql(E.callErrorRate, filters, {
    empty: 'none',
    types: ['model_call'],
  }),
  timeouts: eventTrendSql(`countIf(outcome = 'timeout')`, filters, { empty: 'zero', types: CALL_TYPES }),
  deliveryFailures: eventTrendSql(`countIf(type = 'delivery_failure')`, filters, { empty: 'zero' }),
  responseTimePercentiles: `
    SELECT
      ${zonedBucket('counted_at')} AS time,
      ${E.responseQuantileMs(0.5)} / 1000 AS p50,
      ${E.responseQuantileMs(0.95)} / 1000 AS p95,
      ${E.responseQuantileMs(0.99)} / 1000 AS p99
    FROM ${PICKED_RANGE_RESPONSES}
    WHERE ${inRange('counted_at')}
      AND ${REPLIED_TURN}
      AND ${filters}
    GROUP BY time
    ORDER BY time`,
  // Every turn waits in the queue, replied or not; the burst wait is part of the response time.
  queueDelay: `
    SELECT
      ${zonedBucket('occurred_at')} AS time,
      quantileExactInclusive(0.5)(queue_delay_ms) / 1000 AS queue_p50,
      quantileExactInclusive(0.95)(queue_delay_ms) / 1000 AS queue_p95,
      avg(merge_delay_ms) / 1000 AS burst_wait_avg
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'turn'
      AND ${filters}
    GROUP BY time
    ORDER BY time`,
  providerErrorsOverTime: `
    SELECT
      ${zonedBucket('occurred_at')} AS time,
      provider,
      ${E.failedCalls} AS failed_calls
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'model_call'
      AND ${filters}
    GROUP BY time, provider
    ORDER BY time, provider`,
  providers: `
    SELECT
      provider,
      model,
      count() AS calls,
      ${E.failedCalls} AS failed,
      countIf(outcome = 'timeout') AS timeouts,
      countIf(outcome = 'rate_limited') AS rate_limited,
      countIf(fallback_from != '') AS served_as_fallback,
      ${E.callErrorRate} AS error_rate,
      quantileExactInclusive(0.95)(latency_ms) AS p95_latency_ms
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'model_call'
      AND ${filters}
    GROUP BY provider, model
    ORDER BY calls DESC, provider, model`,
  deliveryFailuresByError: `
    SELECT
      error,
      count() AS failures,
      uniqExact(account_id, conversation_id) AS conversations,
      max(occurred_at) AS last_seen
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'delivery_failure'
      AND ${filters}
    GROUP BY error
    ORDER BY failures DESC, error`,
};

export function latencyDashboard(options: VariableOptions = {}): Dashboard {
  const s = latencySql;
  return assembleDashboard(
    {
      uid: LATENCY_UID,
      title: 'Switchboard · Latency and reliability',
      description:
        'How fast the AI answers, and what fails: providers, timeouts, fallbacks, deliveries, queue.',
      sections: [
        {
          panels: [
            trendStat({
              title: 'p95 response time',
              description: '95% of AI replies in the range came faster than this.',
              sql: s.p95ResponseTime,
              w: 6,
              h: 5,
              unit: 's',
              decimals: 1,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Provider error rate',
              description: 'Model calls that did not return ok (error, timeout, rate limited, invalid).',
              sql: s.providerErrorRate,
              w: 6,
              h: 5,
              unit: 'percentunit',
              decimals: 1,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Timeouts',
              description: 'Model, tool, transcription, vision and embedding calls that timed out.',
              sql: s.timeouts,
              w: 6,
              h: 5,
              decimals: 0,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Delivery failures',
              description: 'Replies Chatwoot or WhatsApp did not deliver (e.g. outside the 24 h window).',
              sql: s.deliveryFailures,
              w: 6,
              h: 5,
              decimals: 0,
              higherIsBetter: false,
            }),
          ],
        },
        {
          title: 'Response time',
          panels: [
            timeSeries({
              title: 'Response time percentiles',
              description: 'p50 / p95 / p99 of the AI replies, per interval.',
              sql: s.responseTimePercentiles,
              w: 12,
              h: 8,
              unit: 's',
            }),
            timeSeries({
              title: 'Queue delay',
              description:
                'Time turns waited for a worker (p50, p95) and the average wait for a burst to end.',
              sql: s.queueDelay,
              w: 12,
              h: 8,
              unit: 's',
            }),
          ],
        },
        {
          title: 'Providers and delivery',
          panels: [
            timeSeries({
              title: 'Failed model calls, by provider',
              description:
                'Calls per interval that did not return ok; a fallback to another provider follows them.',
              sql: s.providerErrorsOverTime,
              w: 12,
              h: 8,
              decimals: 0,
            }),
            table({
              title: 'Providers and models',
              description: 'Calls, failures, fallbacks served and p95 call latency over the range.',
              sql: s.providers,
              w: 12,
              h: 8,
              units: { error_rate: 'percentunit', p95_latency_ms: 'ms' },
            }),
            table({
              title: 'Delivery failures, by error',
              description:
                'Failed deliveries grouped by error code and message (131047: outside the 24 h window).',
              sql: s.deliveryFailuresByError,
              w: 24,
              h: 6,
            }),
          ],
        },
      ],
    },
    options,
  );
}
