import type { SimulatorContext } from '../context.js';
import type { Actor } from '../events/simulator-events.js';
import type { ConversationRecord, ConversationStatus } from '../state/records.js';
import { createActivityMessage } from './create-message.js';
import { updateConversation } from './update-conversation.js';

export const BOT_FAILURE_ACTIVITY =
  'Conversation was marked open by system due to an error with the agent bot.';

/**
 * Change a conversation's status the way `Conversation#update` + `notify_status_change` do:
 * `conversation_opened`/`conversation_resolved`, then `conversation_status_changed`, then the activity
 * message, then `conversation_updated` with the previous status. Also writes Chatwoot's reporting events.
 */
export function changeStatus(
  context: SimulatorContext,
  conversation: ConversationRecord,
  status: ConversationStatus,
  options: { actor: Actor; snoozedUntil?: number | null; activity?: string | null } = {
    actor: { type: 'system' },
  },
): boolean {
  if (conversation.status === status && (status !== 'snoozed' || options.snoozedUntil === undefined))
    return false;
  const previous = conversation.status;
  const now = context.clock.nowMs();
  // Apply silently first so the events below see the new state; conversation_updated goes out last.
  conversation.status = status;
  const snoozedUntil = status === 'snoozed' ? (options.snoozedUntil ?? null) : null;
  if (status === 'open' && previous !== 'open') {
    conversation.reportingEvents.push({ name: 'conversation_opened', at: now });
  }
  if (status === 'resolved') {
    conversation.reportingEvents.push({ name: 'conversation_resolved', at: now });
  }
  if (status !== previous) {
    if (status === 'open') context.dispatch({ name: 'conversation_opened', conversationId: conversation.id });
    if (status === 'resolved')
      context.dispatch({ name: 'conversation_resolved', conversationId: conversation.id });
    context.dispatch({ name: 'conversation_status_changed', conversationId: conversation.id });
  }
  const activity =
    options.activity === undefined ? statusActivity(context, status, options.actor) : options.activity;
  if (activity) createActivityMessage(context, conversation, activity);
  conversation.status = previous;
  updateConversation(context, conversation, { status, snoozedUntil });
  return true;
}

/**
 * `bot_handoff!`: a bot moving a pending conversation to open. Sets `waiting_since` when blank, opens the
 * conversation and records the `conversation_bot_handoff` reporting event (at most once per conversation).
 */
export function botHandoff(context: SimulatorContext, conversation: ConversationRecord, actor: Actor): void {
  if (conversation.waitingSince === null) {
    updateConversation(context, conversation, { waitingSince: context.clock.nowMs() });
  }
  changeStatus(context, conversation, 'open', { actor });
  if (!conversation.reportingEvents.some((event) => event.name === 'conversation_bot_handoff')) {
    conversation.reportingEvents.push({ name: 'conversation_bot_handoff', at: context.clock.nowMs() });
  }
  context.dispatch({ name: 'conversation_bot_handoff', conversationId: conversation.id });
}

function actorName(context: SimulatorContext, actor: Actor): string | null {
  if (actor.type === 'user') return context.store.users.get(actor.id)?.name ?? null;
  if (actor.type === 'agent_bot') return context.store.agentBots.get(actor.id)?.name ?? null;
  return null;
}

/** config/locales/en.yml `conversations.activity.status.*`. */
function statusActivity(context: SimulatorContext, status: ConversationStatus, actor: Actor): string | null {
  const name = actorName(context, actor);
  if (name === null) {
    if (status === 'resolved')
      return 'Conversation was marked resolved by system due to 24 hours of inactivity';
    if (status === 'open') return 'System reopened the conversation due to a new incoming message.';
    return null;
  }
  switch (status) {
    case 'resolved':
      return `Conversation was marked resolved by ${name}`;
    case 'open':
      return `Conversation was reopened by ${name}`;
    case 'pending':
      return `Conversation was marked as pending by ${name}`;
    case 'snoozed':
      return `Conversation was snoozed by ${name}`;
  }
}
