import { TextBoxVariableBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assembleDashboard } from '../grafana/dashboard-assembly.js';
import { barChart, table, timeSeries, trendStat } from '../grafana/panels.js';
import type { VariableOptions } from '../grafana/variables.js';
import { DEFAULT_SETTINGS } from '../settings.js';
import { ConversationMetric as M } from '../sql/conversation-metrics.js';
import { dashboardFilters, inRange } from '../sql/filters.js';
import { startOfLocalDay, TIME_ZONE, zonedBucket } from '../sql/time-zone.js';
import { conversationCohort } from '../sql/conversation-cohort.js';
import { conversationTrendSql } from '../sql/periods.js';
import { conversationLink } from './chatwoot-links.js';
import { EVENTS } from '@switchboard/analytics/metric-definitions';

export const COST_UID = 'switchboard-cost';

const filters = dashboardFilters();
/** Typed by a person: read through percentencode like the phone box, then parsed as a number. */
const DAILY_BUDGET = `toFloat64OrZero(decodeURLComponent('\${daily_budget:percentencode}'))`;

export const costSql = {
  totalCost: conversationTrendSql(M.totalCost, filters, { empty: 'zero' }),
  costPerConversation: conversationTrendSql(M.costPerConversation, filters, { empty: 'none' }),
  // Costs counted when they were incurred (events), so spend shows on the day it happened.
  costByKind: `
    SELECT
      ${zonedBucket('occurred_at')} AS time,
      cost_kind,
      toFloat64(sum(cost_usd)) AS spent_usd
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND cost_kind != ''
      AND ${filters}
    GROUP BY time, cost_kind
    ORDER BY time, cost_kind`,
  // Model calls only, as /api/metrics cost.byModel; transcription and vision are under "by kind".
  costByModel: `
    SELECT
      model,
      toFloat64(sum(cost_usd)) AS spent_usd
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'model_call'
      AND ${filters}
    GROUP BY model
    ORDER BY spent_usd DESC, model
    LIMIT 20`,
  costByAssistant: `
    SELECT
      if(assistant = '', '(none)', assistant) AS assistant,
      toFloat64(sum(cost_usd)) AS spent_usd
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND cost_usd != 0
      AND ${filters}
    GROUP BY assistant
    ORDER BY spent_usd DESC, assistant`,
  costPerConversationDistribution: `
    SELECT
      multiIf(cost_usd < 0.01, '< 0.01', cost_usd < 0.05, '0.01–0.05', cost_usd < 0.10, '0.05–0.10',
              cost_usd < 0.50, '0.10–0.50', '≥ 0.50') AS cost_band_usd,
      count() AS conversations
    FROM ${conversationCohort(['cost_usd'])}
    WHERE ${inRange('started_at')}
      AND ${filters}
    GROUP BY cost_band_usd
    ORDER BY min(cost_usd)`,
  // Spend accumulated day by day (days of the Time zone variable, 23 or 25 hours long across a
  // daylight-saving change) against the daily budget accumulated the same way.
  budgetBurn: `
    SELECT
      ${startOfLocalDay('occurred_at')} AS time,
      sum(toFloat64(sum(cost_usd))) OVER (ORDER BY time) AS spent_usd,
      (dateDiff('day', ${startOfLocalDay('$__fromTime_ms')}, time, ${TIME_ZONE}) + 1) * ${DAILY_BUDGET} AS budget_usd
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND ${filters}
    GROUP BY time
    ORDER BY time`,
  mostExpensiveConversations: `
    SELECT
      conversation_id,
      account_id,
      started_at,
      channel,
      assistant,
      customer_phone,
      messages_total AS messages,
      toFloat64(cost_model_usd) AS model_usd,
      toFloat64(cost_transcription_usd) AS transcription_usd,
      toFloat64(cost_vision_usd) AS vision_usd,
      toFloat64(cost_whatsapp_usd) AS whatsapp_usd,
      toFloat64(cost_usd) AS total_usd
    FROM ${conversationCohort([
      'messages_total',
      'cost_usd',
      'cost_model_usd',
      'cost_transcription_usd',
      'cost_vision_usd',
      'cost_whatsapp_usd',
    ])}
    WHERE ${inRange('started_at')}
      AND ${filters}
    ORDER BY cost_usd DESC, conversation_id
    LIMIT 25`,
};

export function costDashboard(options: VariableOptions & { dailyBudgetUsd?: number } = {}): Dashboard {
  // The box starts at the budget the alert uses, so the burn line and the alert agree.
  const budget = String(options.dailyBudgetUsd ?? DEFAULT_SETTINGS.alerts.dailyBudgetUsd);
  const s = costSql;
  const usd = 'currencyUSD';
  return assembleDashboard(
    {
      uid: COST_UID,
      title: 'Switchboard · Cost',
      description: 'What the AI costs: by kind, model and assistant, per conversation, against the budget.',
      extraVariables: [
        new TextBoxVariableBuilder('daily_budget')
          .label('Daily budget (USD)')
          .description('For the budget burn panel; starts at the daily budget of the alert (settings.ts).')
          .defaultValue(budget)
          .current({ text: budget, value: budget }),
      ],
      sections: [
        {
          panels: [
            trendStat({
              title: 'Total cost',
              description: 'Cost of the conversations started in the range, against the previous period.',
              sql: s.totalCost,
              w: 6,
              h: 5,
              unit: usd,
              decimals: 2,
              higherIsBetter: false,
            }),
            trendStat({
              title: 'Cost per conversation',
              description: 'Average total cost of a conversation started in the range.',
              sql: s.costPerConversation,
              w: 6,
              h: 5,
              unit: usd,
              decimals: 4,
              higherIsBetter: false,
            }),
            timeSeries({
              title: 'Budget burn',
              description:
                'Spend accumulated day by day (days of the Time zone variable) against the daily budget accumulated the same way.',
              sql: s.budgetBurn,
              w: 12,
              h: 5,
              unit: usd,
              interval: '1d',
            }),
          ],
        },
        {
          title: 'Where the money goes',
          panels: [
            timeSeries({
              title: 'Cost by kind',
              description: 'Model tokens, transcription, vision, WhatsApp template fees, embeddings.',
              sql: s.costByKind,
              w: 12,
              h: 8,
              unit: usd,
              stacked: true,
            }),
            barChart({
              title: 'Cost by model',
              description:
                'Model calls (replies, summaries), over the range (top 20); transcription and vision are in Cost by kind.',
              sql: s.costByModel,
              w: 6,
              h: 8,
              unit: usd,
            }),
            barChart({
              title: 'Cost by assistant',
              description: 'All kinds of cost, by the assistant that served the conversation.',
              sql: s.costByAssistant,
              w: 6,
              h: 8,
              unit: usd,
            }),
          ],
        },
        {
          title: 'Conversations',
          panels: [
            barChart({
              title: 'Cost per conversation distribution',
              description: 'How many conversations started in the range fall in each cost band (USD).',
              sql: s.costPerConversationDistribution,
              w: 8,
              h: 10,
              decimals: 0,
            }),
            table({
              title: 'Most expensive conversations',
              description: 'Top 25 by total cost; the conversation id opens it in Chatwoot.',
              sql: s.mostExpensiveConversations,
              w: 16,
              h: 10,
              links: [conversationLink('conversation_id')],
              units: {
                model_usd: usd,
                transcription_usd: usd,
                vision_usd: usd,
                whatsapp_usd: usd,
                total_usd: usd,
              },
            }),
          ],
        },
      ],
    },
    options,
  );
}
