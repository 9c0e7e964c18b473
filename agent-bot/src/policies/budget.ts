import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { envelopeFor, type AnalyticsEventInput } from '@switchboard/events';
import type { AssistantConfig } from '@switchboard/core';

/**
 * What the budget reads of the spend ledger (assistant/budget/spend-ledger.ts): every kind of
 * spend, model calls (discarded and estimated aborted ones too), media work and WhatsApp fees.
 */
export interface SpendTotals {
  spentThisMonth(assistant: string, now: Date, timezone: string): Promise<string>;
  spentInConversation(accountId: number, conversationId: number): Promise<string>;
}

/** What the budget reads of a turn (the assistant's TurnContext has it). */
export interface BudgetTurn {
  accountId: number;
  conversationId: number;
  inboxId: number;
  assistant: string;
  channel: AnalyticsEventInput['channel'];
  now: Date;
  customer: { contactId: number | null; phone: string | null };
}

export interface BudgetVerdict {
  scope: 'assistant' | 'conversation';
  limitUsd: string;
  spentUsd: string;
  action: AssistantConfig['budget']['whenExhausted'];
}

/**
 * Checked before a turn calls a model: null while both budgets have room. A budget is
 * exhausted when what was spent reaches the limit (a turn in flight may overshoot it by one
 * turn's cost; budgets are checked, not reserved).
 */
export async function checkBudget(
  ledger: SpendTotals,
  assistant: AssistantConfig,
  turn: BudgetTurn,
): Promise<BudgetVerdict | null> {
  const { monthlyUsd, perConversationUsd, whenExhausted } = assistant.budget;
  if (monthlyUsd !== undefined) {
    const spent = await ledger.spentThisMonth(turn.assistant, turn.now, assistant.timezone);
    if (new Decimal(spent).greaterThanOrEqualTo(monthlyUsd)) {
      return { scope: 'assistant', limitUsd: monthlyUsd, spentUsd: normal(spent), action: whenExhausted };
    }
  }
  if (perConversationUsd !== undefined) {
    const spent = await ledger.spentInConversation(turn.accountId, turn.conversationId);
    if (new Decimal(spent).greaterThanOrEqualTo(perConversationUsd)) {
      return {
        scope: 'conversation',
        limitUsd: perConversationUsd,
        spentUsd: normal(spent),
        action: whenExhausted,
      };
    }
  }
  return null;
}

/** numeric(24,12) comes back with 12 decimals; the event schema wants at most 12: normalise. */
function normal(value: string): string {
  return new Decimal(value).toFixed();
}

export function budgetEvent(turn: BudgetTurn, verdict: BudgetVerdict): AnalyticsEventInput {
  return {
    id: randomUUID(),
    occurredAt: turn.now.toISOString(),
    type: 'budget',
    ...envelopeFor({
      accountId: turn.accountId,
      conversationId: turn.conversationId,
      inboxId: turn.inboxId,
      assistant: turn.assistant,
      channel: turn.channel,
      contact: { id: turn.customer.contactId, phone: turn.customer.phone },
    }),
    payload: {
      scope: verdict.scope,
      limitUsd: verdict.limitUsd,
      spentUsd: verdict.spentUsd,
      action: verdict.action,
    },
  };
}
