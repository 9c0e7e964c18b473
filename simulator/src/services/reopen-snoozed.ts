import type { SimulatorContext } from '../context.js';
import { changeStatus } from './conversation-status.js';

/**
 * `Conversations::ReopenSnoozedConversationsJob`: snoozed conversations whose `snoozed_until` has passed
 * are opened (Chatwoot runs it from the scheduler; the simulator runs it when asked, after the clock
 * moved). Returns how many were reopened.
 */
export function reopenSnoozedConversations(context: SimulatorContext): number {
  const now = context.clock.nowMs();
  let reopened = 0;
  for (const conversation of context.store.conversations.values()) {
    if (
      conversation.status !== 'snoozed' ||
      conversation.snoozedUntil === null ||
      conversation.snoozedUntil > now
    )
      continue;
    changeStatus(context, conversation, 'open', { actor: { type: 'system' }, activity: null });
    reopened += 1;
  }
  return reopened;
}
