import type { ClickHouse } from '@switchboard/core';

/** How analytics (ClickHouse) files this conversation: what a manager's dashboard will count. */
export interface AnalyticsView {
  channel: string;
  customerId: number;
  /** The last four digits only: the page never needs the whole number. */
  customerPhoneEnding: string | null;
  customerMessages: number;
}

export async function loadAnalyticsView(
  clickhouse: Pick<ClickHouse, 'client'>,
  accountId: number,
  conversationId: number,
): Promise<AnalyticsView | null> {
  const rows = await clickhouse.client
    .query({
      query: `SELECT max(channel) AS channel, max(customer_id) AS customer_id, max(customer_phone) AS phone,
                     sum(messages_customer) AS customer_messages
                FROM conversations_summary
               WHERE account_id = {account:Int64} AND conversation_id = {conversation:Int64}
              HAVING count() > 0`,
      query_params: { account: accountId, conversation: conversationId },
      format: 'JSONEachRow',
    })
    .then((result) =>
      result.json<{
        channel: string;
        customer_id: string | number;
        phone: string;
        customer_messages: string | number;
      }>(),
    );
  const row = rows[0];
  if (!row) return null;
  return {
    channel: row.channel,
    customerId: Number(row.customer_id),
    customerPhoneEnding: row.phone ? row.phone.slice(-4) : null,
    customerMessages: Number(row.customer_messages),
  };
}
