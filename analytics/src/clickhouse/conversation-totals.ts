import type { ClickHouse } from '@switchboard/core';
import { REFRESH_ALL_CONVERSATION_TOTALS } from '../metrics/definitions/storage.js';

type Client = Pick<ClickHouse, 'client'>['client'];

/** Conversations per query: the id list is a query parameter, not SQL text. */
const CHUNK = 5_000;

/**
 * The (account, conversation) pairs of a JSONEachRow body as toInsertRow writes it (account_id
 * then conversation_id, adjacent), without parsing every line. Account-level events (0) are left out.
 */
export function conversationsInLines(body: string): Map<number, Set<number>> {
  const byAccount = new Map<number, Set<number>>();
  for (const match of body.matchAll(/"account_id":(\d+),"conversation_id":(\d+)/g)) {
    const conversation = Number(match[2]);
    if (conversation === 0) continue;
    const account = Number(match[1]);
    let set = byAccount.get(account);
    if (!set) byAccount.set(account, (set = new Set()));
    set.add(conversation);
  }
  return byAccount;
}

/**
 * Recomputes the totals of the given conversations from their events deduplicated by id
 * (conversation_totals_source) and appends them to conversation_totals, where the newest
 * computation of each conversation wins. Idempotent: running it twice, or after a duplicate
 * insert, writes the same figures. Call it after every insert into `events`.
 */
export async function refreshConversationTotals(
  client: Client,
  conversations: Map<number, Set<number>> | 'all',
): Promise<void> {
  if (conversations === 'all') {
    await client.command({ query: REFRESH_ALL_CONVERSATION_TOTALS });
    return;
  }
  for (const [account, ids] of conversations) {
    const list = [...ids];
    for (let i = 0; i < list.length; i += CHUNK) {
      await client.command({
        query: `${REFRESH_ALL_CONVERSATION_TOTALS}
                 WHERE account_id = {account:Int64} AND conversation_id IN {ids:Array(Int64)}`,
        query_params: { account, ids: list.slice(i, i + CHUNK) },
      });
    }
  }
}
