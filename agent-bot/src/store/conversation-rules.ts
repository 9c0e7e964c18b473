import sql, { raw, type Sql } from 'sql-template-tag';
import { dueAfter, laneDueIn } from './lanes.js';

/**
 * The domain rules the webhook's statements apply to a conversation row (`c`), named so the
 * statement reads as the rules it carries out. Each is a set of column changes: on the row's
 * first insert, and as SET items when it exists already.
 */
export interface ConversationChanges {
  onInsert: [column: string, value: Sql][];
  onUpdate: Sql[];
}

export const NO_CHANGES: ConversationChanges = { onInsert: [], onUpdate: [] };

/**
 * A customer wrote: the lane falls due when the burst window this message opens ends
 * (`quietMs` from now), not at once: the lane is then claimed when the burst is likely over, and
 * its claim's snapshot (with the transcript) is all the turn needs, instead of a claim now, a wait
 * and a second read. A due mark already earlier stays (a burst's first message keeps its window;
 * the lane extends it by the rule in policies/burst-wait.ts when it finds more). While a holder
 * has the lane, this is a knock before its lease's end that its release leaves (store/lanes.ts).
 * The lane, not the webhook, decides whether the bot answers (by the state it finds then), so
 * the webhook never waits on that decision.
 */
export function laneDueWhenCustomerWrites(writtenAt: string, quietMs: number): ConversationChanges {
  return {
    onInsert: [
      ['last_customer_message_at', sql`${writtenAt}::timestamptz`],
      ['work_due_at', raw(dueAfter(quietMs))],
    ],
    onUpdate: [
      sql`last_customer_message_at = GREATEST(c.last_customer_message_at, ${writtenAt}::timestamptz)`,
      raw(laneDueIn('c', quietMs)),
    ],
  };
}

/**
 * A human agent replied: the bot falls silent, because it never talks over a human (it resumes
 * by the rules in policies/answer-rules.ts, or when the conversation is handed back).
 */
export function silenceBotAfterHumanReply(repliedAt: string): ConversationChanges {
  return {
    onInsert: [
      ['last_human_message_at', sql`${repliedAt}::timestamptz`],
      ['bot_state', sql`'human_replied'`],
    ],
    onUpdate: [
      sql`last_human_message_at = ${repliedAt}::timestamptz`,
      sql`bot_state = CASE WHEN c.bot_state = 'active' THEN 'human_replied' ELSE c.bot_state END`,
    ],
  };
}

/**
 * Status order. Deliveries arrive out of order, and a message event's conversation snapshot can
 * carry a stale status with the newest `updated_at`: Chatwoot touches `updated_at` on the
 * in-memory conversation when it creates a message (message.rb), so a message created by a
 * process that loaded the conversation before a status change reports the old status, later.
 * Since 4.13 every status change also sends a conversation event (conversation_status_changed),
 * so the rule is:
 * - a conversation event's status counts when no conversation event is known yet or its
 *   `updated_at` is newer than or equal to the newest one applied (`status_event_version`);
 * - a message event's status counts only while no conversation event is known for the
 *   conversation (first contact, or Chatwoot sending none), newest `updated_at` first;
 * so a message event never overrides a conversation event's status, whichever arrives first.
 * `status_version` stays the newest `updated_at` any delivery showed: it orders the contact.
 * The upsert's proposed row (`excluded`) carries `status_event_version` only for a conversation event.
 */
const statusTaken = sql`(CASE WHEN excluded.status_event_version IS NOT NULL
                              THEN c.status_event_version IS NULL OR excluded.status_event_version >= c.status_event_version
                              ELSE c.status_event_version IS NULL AND excluded.status_version >= c.status_version END)`;
const newStatus = sql`CASE WHEN ${statusTaken} THEN excluded.status ELSE c.status END`;

/** The SET items that apply the status order (and the contact's) to an existing conversation row. */
export const statusInOrder: readonly Sql[] = [
  sql`status = ${newStatus}`,
  sql`status_event_version = GREATEST(c.status_event_version, excluded.status_event_version)`,
  sql`status_version = GREATEST(excluded.status_version, c.status_version)`,
  sql`contact = CASE WHEN excluded.status_version >= c.status_version THEN excluded.contact ELSE c.contact END`,
];

/**
 * The status change gives the conversation back to the bot: to pending (a human handed it
 * back) or resolved (the next customer message is the bot's again).
 */
const resumes = sql`(c.bot_state <> 'active' AND c.status IS DISTINCT FROM ${newStatus} AND ${newStatus} IN ('pending', 'resolved'))`;
const handedBack = sql`(${resumes} AND ${newStatus} = 'pending')`;

/**
 * Resume on hand-back: the bot is active again; handed back to pending, it also marks the
 * moment (`bot_resumed_at`, which the backlog rule below keys on) and makes the lane due, since
 * what the customer asked meanwhile is the bot's to answer now.
 */
export function resumeWhenHandedBack(): ConversationChanges {
  return {
    onInsert: [],
    onUpdate: [
      sql`bot_state = CASE WHEN ${resumes} THEN 'active' ELSE c.bot_state END`,
      sql`handed_off_at = CASE WHEN ${resumes} THEN NULL ELSE c.handed_off_at END`,
      sql`handoff_reason = CASE WHEN ${resumes} THEN NULL ELSE c.handoff_reason END`,
      sql`bot_resumed_at = CASE WHEN ${handedBack} THEN now() ELSE c.bot_resumed_at END`,
      sql`work_due_at = CASE WHEN ${handedBack} THEN LEAST(COALESCE(c.work_due_at, 'infinity'::timestamptz), now())
                             ELSE c.work_due_at END`,
    ],
  };
}

/**
 * Backlog on hand-back to pending (a CTE body over the upserted row `u`): what the customer
 * asked after the last reply that reached them is un-ignored for the bot. A failed reply (e.g.
 * free-form outside the window) did not reach them; outside the window the answer goes out as
 * the re-engagement template.
 */
export function reopenBacklogWhenHandedBack(accountId: number, conversationId: number): Sql {
  return sql`UPDATE engine_messages m SET ignored = false
               FROM upserted u
              WHERE u.bot_resumed_at = now() AND m.account_id = ${accountId} AND m.conversation_id = ${conversationId}
                AND m.author = 'customer' AND NOT m.private AND m.ignored AND m.turn_id IS NULL
                -- Chatwoot's message ids grow in creation order; timestamps can tie within a millisecond.
                AND m.message_id > COALESCE(
                  (SELECT max(o.message_id) FROM engine_messages o
                    WHERE o.account_id = ${accountId} AND o.conversation_id = ${conversationId}
                      AND o.author IN ('ai', 'human_agent') AND NOT o.private AND o.external_error IS NULL),
                  0)
             RETURNING 1`;
}
