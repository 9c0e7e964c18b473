import type { ClickHouse } from '@switchboard/core';
import { REFRESH_ALL_EVENT_DAYS } from '../metrics/definitions/storage.js';

type Client = Pick<ClickHouse, 'client'>['client'];

/**
 * The (account, UTC day) pairs of a JSONEachRow body as toInsertRow writes it (occurred_at then
 * account_id, adjacent), without parsing every line.
 */
export function daysInLines(body: string): Map<number, Set<string>> {
  const byAccount = new Map<number, Set<string>>();
  for (const match of body.matchAll(/"occurred_at":"(\d{4}-\d{2}-\d{2})[^"]*","account_id":(\d+)/g)) {
    const account = Number(match[2]);
    let set = byAccount.get(account);
    if (!set) byAccount.set(account, (set = new Set()));
    set.add(match[1]!);
  }
  return byAccount;
}

/** The pairs of a list of events (tests and bulk loads that insert without a body). */
export function daysOf(
  events: readonly { accountId: number; occurredAt: string }[],
): Map<number, Set<string>> {
  const byAccount = new Map<number, Set<string>>();
  for (const e of events) {
    const day = new Date(e.occurredAt).toISOString().slice(0, 10);
    let set = byAccount.get(e.accountId);
    if (!set) byAccount.set(e.accountId, (set = new Set()));
    set.add(day);
  }
  return byAccount;
}

/**
 * Recomputes event_days for the given accounts' days from their deduplicated events and appends
 * the rows, where the newest computation of each key wins. Idempotent, like the conversation
 * totals: call it after every insert into `events` (also one dropped as a duplicate, so that a
 * crash between the insert and this refresh is repaired when the batch is re-sent).
 */
export async function refreshEventDays(
  client: Client,
  days: Map<number, Set<string>> | 'all',
): Promise<void> {
  if (days === 'all') {
    await client.command({ query: REFRESH_ALL_EVENT_DAYS });
    return;
  }
  for (const [account, set] of days) {
    if (set.size === 0) continue;
    await client.command({
      query: `${REFRESH_ALL_EVENT_DAYS} WHERE account_id = {account:Int64} AND day IN {days:Array(Date)}`,
      query_params: { account, days: [...set] },
    });
  }
}
