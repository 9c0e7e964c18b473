import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assembleDashboard } from '../grafana/dashboard-assembly.js';
import { barChart, table, timeSeries, trendStat } from '../grafana/panels.js';
import type { VariableOptions } from '../grafana/variables.js';
import { dashboardFilters, inRange } from '../sql/filters.js';
import { zonedBucket } from '../sql/time-zone.js';
import { conversationCohort } from '../sql/conversation-cohort.js';
import { ConversationMetric as M, EventMetric as E } from '../sql/conversation-metrics.js';
import { conversationTrendSql, eventTrendSql } from '../sql/periods.js';
import { EVENTS, FAILED_CALL } from '@switchboard/analytics/metric-definitions';

export const QUALITY_UID = 'switchboard-quality';

const filters = dashboardFilters();
/** How the API groups questions (topMissedQueries): case and surrounding spaces ignored. */
const QUESTION = 'lower(trimBoth(text))';

export const qualitySql = {
  handedOff: conversationTrendSql(M.handedOff, filters, { empty: 'zero' }),
  knowledgeMissRate: eventTrendSql(E.knowledgeMissRate, filters, {
    empty: 'none',
    types: ['knowledge_search'],
  }),
  toolFailureRate: eventTrendSql(E.callErrorRate, filters, {
    empty: 'none',
    types: ['tool_call'],
  }),
  // A conversation counts once per reason, over the conversations started in the range (as the API).
  handoffReasons: `
    SELECT
      reason,
      count() AS conversations
    FROM ${conversationCohort(['handoff_reasons'])}
    ARRAY JOIN handoff_reasons AS reason
    WHERE ${inRange('started_at')}
      AND ${filters}
    GROUP BY reason
    ORDER BY conversations DESC, reason`,
  knowledgeMisses: `
    SELECT
      ${QUESTION} AS question,
      count() AS times,
      uniqExact(account_id, conversation_id) AS conversations,
      max(occurred_at) AS last_asked
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'knowledge_search' AND outcome = 'miss'
      AND ${filters}
    GROUP BY question
    ORDER BY times DESC, question
    LIMIT 50`,
  topQuestions: `
    SELECT
      ${QUESTION} AS question,
      count() AS asked,
      countIf(outcome = 'hit') AS answered_from_knowledge,
      countIf(outcome = 'hit') / count() AS hit_rate
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'knowledge_search'
      AND ${filters}
    GROUP BY question
    ORDER BY asked DESC, question
    LIMIT 50`,
  tools: `
    SELECT
      tool,
      count() AS calls,
      ${E.failedCalls} AS failed,
      ${E.callErrorRate} AS failure_rate,
      countIf(outcome = 'timeout') AS timeouts,
      argMaxIf(error, occurred_at, ${FAILED_CALL}) AS last_error,
      quantileExactInclusive(0.95)(latency_ms) AS p95_latency_ms
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'tool_call'
      AND ${filters}
    GROUP BY tool
    ORDER BY failed DESC, calls DESC, tool`,
  toolFailuresOverTime: `
    SELECT
      ${zonedBucket('occurred_at')} AS time,
      tool,
      ${E.failedCalls} AS failed_calls
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'tool_call'
      AND ${filters}
    GROUP BY time, tool
    ORDER BY time, tool`,
};

export function qualityDashboard(options: VariableOptions = {}): Dashboard {
  const s = qualitySql;
  return assembleDashboard(
    {
      uid: QUALITY_UID,
      title: 'Switchboard · Quality and knowledge',
      description: 'Why conversations go to humans, what the knowledge base cannot answer, which tools fail.',
      sections: [
        {
          panels: [
            trendStat({
              title: 'Conversations handed off',
              description: 'Conversations started in the range that were handed to a human agent.',
              sql: s.handedOff,
              w: 8,
              h: 5,
              decimals: 0,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Knowledge-base miss rate',
              description: 'Knowledge-base searches that found nothing good enough to answer from.',
              sql: s.knowledgeMissRate,
              w: 8,
              h: 5,
              unit: 'percentunit',
              decimals: 1,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Tool failure rate',
              description: 'Tool calls that failed, timed out or had invalid arguments.',
              sql: s.toolFailureRate,
              w: 8,
              h: 5,
              unit: 'percentunit',
              decimals: 1,
              higherIsBetter: false,
            }),
          ],
        },
        {
          title: 'Handoffs and knowledge',
          panels: [
            barChart({
              title: 'Handoff reasons',
              description:
                'Conversations started in the range, by why they went to a human (one per reason).',
              sql: s.handoffReasons,
              w: 8,
              h: 9,
              decimals: 0,
            }),
            table({
              title: 'Knowledge-base misses',
              description:
                'Questions the knowledge base could not answer, grouped (case and spaces ignored).',
              sql: s.knowledgeMisses,
              w: 16,
              h: 9,
            }),
            table({
              title: 'Top questions',
              description: 'What customers ask the knowledge base most, and how often it had the answer.',
              sql: s.topQuestions,
              w: 24,
              h: 8,
              units: { hit_rate: 'percentunit' },
            }),
          ],
        },
        {
          title: 'Tools',
          panels: [
            table({
              title: 'Tool calls',
              description: 'Calls, failures and the last error per tool over the range.',
              sql: s.tools,
              w: 12,
              h: 8,
              units: { failure_rate: 'percentunit', p95_latency_ms: 'ms' },
            }),
            timeSeries({
              title: 'Tool failures over time',
              description: 'Failed tool calls per interval, by tool.',
              sql: s.toolFailuresOverTime,
              w: 12,
              h: 8,
              decimals: 0,
            }),
          ],
        },
      ],
    },
    options,
  );
}
