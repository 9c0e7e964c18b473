import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { assembleDashboard } from '../grafana/dashboard-assembly.js';
import { stat, table } from '../grafana/panels.js';
import type { VariableOptions } from '../grafana/variables.js';
import { conversationCohort } from '../sql/conversation-cohort.js';
import { ConversationMetric as M, type CohortMetric } from '../sql/conversation-metrics.js';
import { dashboardFilters, inRange } from '../sql/filters.js';
import { conversationLink } from './chatwoot-links.js';
import { EVENTS } from '@switchboard/analytics/metric-definitions';

export const EXPLORER_UID = 'switchboard-explorer';

const filters = dashboardFilters();
const matching = (metric: CohortMetric) => `
    SELECT ${metric.sql} AS value
    FROM ${conversationCohort([...metric.columns])}
    WHERE ${inRange('started_at')}
      AND ${filters}`;

export const explorerSql = {
  conversations: matching(M.conversations),
  customerMessages: matching({ sql: 'sum(messages_customer)', columns: ['messages_customer'] }),
  cost: matching(M.totalCost),
  handedOff: matching(M.handedOff),
  // One row per conversation started in the range: the rows the overview counts, and what
  // Inspect → Data → Download CSV exports. The page (newest 5,000) is chosen on the narrow merge;
  // only those conversations go through the full conversations_summary merge.
  conversationsTable: `
    SELECT
      conversation_id,
      account_id,
      started_at,
      last_event_at AS last_activity,
      channel,
      assistant,
      customer_phone,
      messages_customer AS customer_messages,
      messages_ai AS ai_messages,
      messages_human AS agent_messages,
      ai_replies,
      round(response_ms_avg / 1000, 1) AS avg_response_s,
      toFloat64(cost_usd) AS cost_total_usd,
      if(handoffs > 0, 'yes', 'no') AS handed_off,
      arrayStringConcat(arraySort(handoff_reasons), ', ') AS reasons,
      status,
      if(ai_resolved, 'yes', 'no') AS resolved_by_ai
    FROM conversations_summary
    WHERE (account_id, conversation_id) IN (
      SELECT account_id, conversation_id
      FROM ${conversationCohort()}
      WHERE ${inRange('started_at')}
        AND ${dashboardFilters(undefined, '        ')}
      ORDER BY started_at DESC, conversation_id DESC
      LIMIT 5000
    )
    ORDER BY started_at DESC, conversation_id DESC`,
  // Read one customer's history: type part of the phone number and the range.
  messages: `
    SELECT
      occurred_at AS sent_at,
      conversation_id,
      account_id,
      author,
      channel,
      assistant,
      customer_phone,
      text,
      attachments
    FROM ${EVENTS}
    WHERE ${inRange('occurred_at')}
      AND type = 'message' AND NOT is_private
      AND ${filters}
    ORDER BY occurred_at DESC, message_id DESC
    LIMIT 2000`,
};

export function explorerDashboard(options: VariableOptions = {}): Dashboard {
  const s = explorerSql;
  return assembleDashboard(
    {
      uid: EXPLORER_UID,
      title: 'Switchboard · Conversations explorer',
      description:
        'Every conversation for the filters (type part of a phone number to find a customer), with a link to Chatwoot. Export: panel menu → Inspect → Data → Download CSV.',
      sections: [
        {
          panels: [
            stat({
              title: 'Matching conversations',
              description: 'Started in the range.',
              sql: s.conversations,
              w: 6,
              h: 4,
              decimals: 0,
            }),
            stat({
              title: 'Customer messages',
              description: 'In the matching conversations.',
              sql: s.customerMessages,
              w: 6,
              h: 4,
              decimals: 0,
            }),
            stat({
              title: 'Cost of the matching conversations',
              description: 'All kinds of cost.',
              sql: s.cost,
              w: 6,
              h: 4,
              unit: 'currencyUSD',
              decimals: 4,
            }),
            stat({
              title: 'Handed off',
              description: 'Matching conversations handed to a human agent.',
              sql: s.handedOff,
              w: 6,
              h: 4,
              decimals: 0,
            }),
          ],
        },
        {
          title: 'Conversations',
          panels: [
            table({
              title: 'Conversations',
              description:
                'Newest first (up to 5,000). Click a conversation id to open it in Chatwoot; Inspect → Data → Download CSV exports the table.',
              sql: s.conversationsTable,
              w: 24,
              h: 18,
              links: [conversationLink('conversation_id')],
              units: { cost_total_usd: 'currencyUSD', avg_response_s: 's' },
            }),
            table({
              title: 'Messages',
              description:
                "Messages sent in the range for the filters, newest first (up to 2,000; private notes excluded). Type part of a phone number to read one customer's history.",
              sql: s.messages,
              w: 24,
              h: 14,
              links: [conversationLink('conversation_id')],
            }),
          ],
        },
      ],
    },
    options,
  );
}
