/**
 * The SQL behind the alert rules. Alert queries run inside Grafana's server, where dashboard
 * variables do not exist: only the plugin's time macros are used, with the rule's relative
 * time range. Each returns one number per label set (assistant, provider), which Grafana reduces
 * and compares with the threshold; no row means "no data", which the rules treat as OK.
 */
import {
  ConversationMetric as C,
  CUSTOMER_MESSAGE,
  EventMetric as E,
  REPLIED_TURN,
} from '@switchboard/analytics/metric-definitions';
import type { DashboardSettings } from '../settings.js';
import { EVENTS, responseEvents } from '@switchboard/analytics/metric-definitions';

/** Response rows of the time picker's range (see responseEvents). */
const PICKED_RANGE_RESPONSES = responseEvents({ from: '$__fromTime_ms', to: '$__toTime_ms' });
import { inRange } from '../sql/filters.js';
import { startOfLocalDay, zoneLiteral } from '../sql/time-zone.js';

export function alertQueries(alerts: DashboardSettings['alerts'], timeZone: string) {
  return {
    /** Per assistant, over the last 15 minutes. */
    p95ResponseSeconds: `
      SELECT
        assistant,
        quantileExactInclusive(0.95)(latency_ms) / 1000 AS p95_response_seconds
      FROM ${PICKED_RANGE_RESPONSES}
      WHERE ${inRange('counted_at')}
        AND ${REPLIED_TURN}
      GROUP BY assistant
      ORDER BY assistant`,
    /** Per provider, over the last 15 minutes; too few calls is not a rate. */
    providerErrorRate: `
      SELECT
        provider,
        ${E.callErrorRate} AS error_rate
      FROM ${EVENTS}
      WHERE ${inRange('occurred_at')}
        AND type = 'model_call'
      GROUP BY provider
      HAVING count() >= ${alerts.providerMinCalls}
      ORDER BY provider`,
    /**
     * Per assistant: the trailing 7 days' response rate minus the last hour's (positive = worse
     * now). Customer messages and the messages covered by replied turns, counted by event time,
     * each rate capped at 1 as on the dashboards and in the metrics API.
     */
    responseRateDrop: `
      SELECT
        assistant,
        if(recent_customer < ${alerts.responseRateMinMessages} OR baseline_customer = 0, 0,
           least(1, baseline_answered / baseline_customer) - least(1, recent_answered / recent_customer))
          AS response_rate_drop
      FROM (
        SELECT
          assistant,
          countIf(is_customer AND recent) AS recent_customer,
          sumIf(answered, recent) AS recent_answered,
          countIf(is_customer AND NOT recent) AS baseline_customer,
          sumIf(answered, NOT recent) AS baseline_answered
        FROM (
          SELECT
            assistant,
            counted_at >= subtractHours($__toTime_ms, 1) AS recent,
            ${CUSTOMER_MESSAGE} AS is_customer,
            if(${REPLIED_TURN}, merged_messages, 0) AS answered
          FROM ${PICKED_RANGE_RESPONSES}
          WHERE ${inRange('counted_at')}
        )
        GROUP BY assistant
      )
      ORDER BY assistant`,
    /** Everything spent since 00:00 today in the account's zone (settings.timeZone), all accounts. */
    dailyCostUsd: `
      SELECT toFloat64(${C.costUsd}) AS cost_today_usd
      FROM ${EVENTS}
      WHERE ${inRange('occurred_at')}
        AND occurred_at >= ${startOfLocalDay('$__toTime_ms', zoneLiteral(timeZone))}`,
  };
}
