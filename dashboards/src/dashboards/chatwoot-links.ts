import type { ColumnLink } from '../grafana/panels.js';

/**
 * A table column whose cells open the conversation in Chatwoot. Chatwoot's conversation page
 * is /app/accounts/{account}/conversations/{id}; the row must carry an `account_id` column.
 */
export function conversationLink(column: string): ColumnLink {
  return {
    column,
    title: 'Open in Chatwoot',
    url: '${chatwoot_url}/app/accounts/${__data.fields.account_id}/conversations/${__value.raw}',
  };
}
