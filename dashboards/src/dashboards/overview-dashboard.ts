import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assembleDashboard } from '../grafana/dashboard-assembly.js';
import { timeSeries, trendStat } from '../grafana/panels.js';
import type { VariableOptions } from '../grafana/variables.js';
import { ConversationMetric as M, EventMetric as E } from '../sql/conversation-metrics.js';
import { dashboardFilters, inRange } from '../sql/filters.js';
import { zonedBucket } from '../sql/time-zone.js';
import { conversationCohort } from '../sql/conversation-cohort.js';
import { conversationTrendSql, responseTrendSql } from '../sql/periods.js';
import { EVENTS } from '@switchboard/analytics/metric-definitions';

export const OVERVIEW_UID = 'switchboard-overview';

const filters = dashboardFilters();

export const overviewSql = {
  totalConversations: conversationTrendSql(M.conversations, filters, { empty: 'zero' }),
  messagesPerConversation: conversationTrendSql(M.messagesPerConversation, filters, { empty: 'none' }),
  responseRate: responseTrendSql(E.responseRate, filters, { empty: 'none' }),
  averageResponseTime: responseTrendSql(`${E.averageResponseMs} / 1000`, filters, { empty: 'none' }),
  costPerConversation: conversationTrendSql(M.costPerConversation, filters, { empty: 'none' }),
  handoffRate: conversationTrendSql(M.handoffRate, filters, { empty: 'none' }),
  aiResolutionRate: conversationTrendSql(M.aiResolutionRate, filters, { empty: 'none' }),
  conversationsByChannel: `
    SELECT
      ${zonedBucket('started_at')} AS time,
      channel,
      count() AS conversations
    FROM ${conversationCohort()}
    WHERE ${inRange('started_at')}
      AND ${filters}
    GROUP BY time, channel
    ORDER BY time, channel`,
  // Messages counted when they were sent (events), so a long conversation spreads over days.
  messagesByChannel: `
    SELECT
      ${zonedBucket('occurred_at')} AS time,
      channel,
      count() AS messages
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'message' AND NOT is_private
      AND ${filters}
    GROUP BY time, channel
    ORDER BY time, channel`,
  handoffAndResolutionOverTime: `
    SELECT
      ${zonedBucket('started_at')} AS time,
      ${M.handoffRate.sql} AS handoff_rate,
      ${M.aiResolutionRate.sql} AS ai_resolution_rate
    FROM ${conversationCohort(['handoffs', 'ai_resolved'])}
    WHERE ${inRange('started_at')}
      AND ${filters}
    GROUP BY time
    ORDER BY time`,
};

export function overviewDashboard(options: VariableOptions = {}): Dashboard {
  const s = overviewSql;
  return assembleDashboard(
    {
      uid: OVERVIEW_UID,
      title: 'Switchboard · Conversations overview',
      description:
        'The five headline metrics with their change against the previous period, volumes, handoffs.',
      sections: [
        {
          panels: [
            trendStat({
              title: 'Conversations',
              description: 'Conversations started in the range; the change is against the previous period.',
              sql: s.totalConversations,
              w: 5,
              h: 5,
              unit: 'short',
              decimals: 0,
            }),
            trendStat({
              title: 'Messages per conversation',
              description: 'Average non-private messages (customer, AI, agent, system) per conversation.',
              sql: s.messagesPerConversation,
              w: 5,
              h: 5,
              decimals: 1,
            }),
            trendStat({
              title: 'Response rate',
              description: 'Share of customer messages sent in the range that received an AI reply.',
              sql: s.responseRate,
              w: 5,
              h: 5,
              unit: 'percentunit',
              decimals: 1,
            }),
            trendStat({
              title: 'Average response time',
              description:
                'Mean over the AI replies in the range: first customer message of the turn → reply accepted by Chatwoot.',
              sql: s.averageResponseTime,
              w: 5,
              h: 5,
              unit: 's',
              decimals: 1,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Cost per conversation',
              description: 'Average total cost: model tokens, transcription, vision, WhatsApp fees.',
              sql: s.costPerConversation,
              w: 4,
              h: 5,
              unit: 'currencyUSD',
              decimals: 4,
              higherIsBetter: false,
            }),
          ],
        },
        {
          title: 'Volumes',
          panels: [
            timeSeries({
              title: 'Conversations started, by channel',
              description: 'New conversations per interval, stacked by channel type.',
              sql: s.conversationsByChannel,
              w: 12,
              h: 8,
              stacked: true,
              decimals: 0,
            }),
            timeSeries({
              title: 'Messages, by channel',
              description: 'Non-private messages (all authors) per interval, stacked by channel type.',
              sql: s.messagesByChannel,
              w: 12,
              h: 8,
              stacked: true,
              decimals: 0,
            }),
          ],
        },
        {
          title: 'Handoffs and resolution',
          panels: [
            trendStat({
              title: 'Handoff rate',
              description: 'Share of conversations handed to a human agent.',
              sql: s.handoffRate,
              w: 6,
              h: 8,
              unit: 'percentunit',
              decimals: 1,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'AI resolution rate',
              description: 'Share of conversations resolved with no handoff and no human-agent message.',
              sql: s.aiResolutionRate,
              w: 6,
              h: 8,
              unit: 'percentunit',
              decimals: 1,
            }),
            timeSeries({
              title: 'Handoff and AI resolution rate',
              description: 'Per interval, over the conversations started in it.',
              sql: s.handoffAndResolutionOverTime,
              w: 12,
              h: 8,
              unit: 'percentunit',
              interval: '1d',
            }),
          ],
        },
      ],
    },
    options,
  );
}
