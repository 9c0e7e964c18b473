import sql, { type Sql } from 'sql-template-tag';
import { run, type Queryable } from './db.js';

/** The statements on `engine_follow_ups`: messages scheduled to chase a customer, or reminders. */

export interface FollowUpToStore {
  id: string;
  accountId: number;
  conversationId: number;
  at: Date;
  text: string;
  template: string | null;
  templateParams: Record<string, string>;
  cancelOnCustomerMessage: boolean;
}

/** Inserts a follow-up; false when one with this id exists already (a retried step's). */
export async function insertFollowUp(db: Queryable, followUp: FollowUpToStore): Promise<boolean> {
  const result = await run(
    db,
    sql`INSERT INTO engine_follow_ups (id, account_id, conversation_id, due_at, text, template, template_params,
                                       cancel_on_customer_message)
        VALUES (${followUp.id}, ${followUp.accountId}, ${followUp.conversationId}, ${followUp.at}, ${followUp.text},
                ${followUp.template}, ${JSON.stringify(followUp.templateParams)}, ${followUp.cancelOnCustomerMessage})
        ON CONFLICT (id) DO NOTHING`,
  );
  return (result.rowCount ?? 0) > 0;
}

export async function cancelFollowUpByAssistant(db: Queryable, id: string, accountId: number): Promise<void> {
  await run(
    db,
    sql`UPDATE engine_follow_ups SET state = 'cancelled', detail = 'cancelled by the assistant'
         WHERE id = ${id} AND account_id = ${accountId} AND state = 'scheduled'`,
  );
}

/**
 * Follow-up rule: a customer writing first cancels what was scheduled to chase them (a reminder
 * of a booking is kept: it is not `cancel_on_customer_message`), since chasing someone who just
 * wrote reads as a bot not listening. A CTE body for the webhook's statement; `when` is its
 * condition that the customer's message was new.
 */
export function cancelFollowUpsWhenCustomerWrites(accountId: number, conversationId: number, when: Sql): Sql {
  return sql`UPDATE engine_follow_ups SET state = 'cancelled', detail = 'customer wrote first'
              WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND state = 'scheduled'
                AND cancel_on_customer_message AND ${when}`;
}

export interface StoredFollowUp {
  account_id: string;
  conversation_id: string;
  text: string;
  template: string | null;
  template_params: Record<string, string>;
  state: string;
}

export async function loadFollowUp(db: Queryable, id: string): Promise<StoredFollowUp | undefined> {
  const result = await run<StoredFollowUp>(
    db,
    sql`SELECT account_id, conversation_id, text, template, template_params, state FROM engine_follow_ups
         WHERE id = ${id}`,
  );
  return result.rows[0];
}

/** Settles a scheduled follow-up as sent or skipped: false when someone settled it already. */
export async function settleFollowUp(
  db: Queryable,
  id: string,
  state: 'sent' | 'skipped',
  detail: string | null,
): Promise<boolean> {
  const claimed = await run(
    db,
    sql`UPDATE engine_follow_ups SET state = ${state}, detail = ${detail}
         WHERE id = ${id} AND state = 'scheduled' RETURNING 1`,
  );
  return (claimed.rowCount ?? 0) > 0;
}
