import type { SimulatorContext } from '../context.js';
import { contactWebhookData, senderPushEventData } from '../presenters/actor-presenter.js';
import { conversationWebhookData } from '../presenters/conversation-presenter.js';
import { messageWebhookData } from '../presenters/message-presenter.js';
import type { WebhookDelivery } from '../webhooks/webhook-delivery.js';
import { isWebhookSendable } from './agent-bot-listener.js';
import type { SimulatorEvent } from './simulator-events.js';

/** `Webhook::ALLOWED_WEBHOOK_EVENTS` the simulator produces (no opened/resolved: those are bot-only). */
export const ACCOUNT_WEBHOOK_EVENTS = [
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;

/**
 * `WebhookListener`: account webhooks (analytics listens here) get every allowed event they subscribe
 * to, once, with no retry and no open-on-failure; signed when the webhook has a secret (≥ 4.12).
 */
export function createAccountWebhookListener(context: SimulatorContext, delivery: WebhookDelivery) {
  return (event: SimulatorEvent): void => {
    const { store } = context;
    // Building a payload costs as much as delivering it: skip it when nobody listens to this event.
    const listening = [...store.accountWebhooks.values()].filter(
      (webhook) => webhook.subscriptions.length === 0 || webhook.subscriptions.includes(event.name),
    );
    if (listening.length === 0) return;
    const payload = buildPayload(context, event);
    if (!payload) return;
    for (const webhook of listening) {
      if (webhook.accountId !== payload.accountId) continue;
      delivery.enqueue({
        kind: 'account_webhook',
        targetId: webhook.id,
        url: webhook.url,
        secret: context.behaviour.signWebhooks ? webhook.secret : null,
        payload: payload.body,
      });
    }
  };
}

function buildPayload(
  context: SimulatorContext,
  event: SimulatorEvent,
): { accountId: number; body: Record<string, unknown> } | null {
  const { store } = context;
  switch (event.name) {
    case 'message_created':
    case 'message_updated': {
      const message = store.messages.get(event.messageId);
      if (!message || !isWebhookSendable(message)) return null;
      return { accountId: message.accountId, body: messageWebhookData(context, message, event.name) };
    }
    case 'conversation_created':
    case 'conversation_status_changed':
    case 'conversation_updated': {
      const conversation = store.conversations.get(event.conversationId);
      if (!conversation) return null;
      const body: Record<string, unknown> = {
        ...conversationWebhookData(context, conversation),
        event: event.name,
      };
      if (event.name === 'conversation_status_changed') body.changed_attributes = null;
      if (event.name === 'conversation_updated') body.changed_attributes = event.changedAttributes;
      return { accountId: conversation.accountId, body };
    }
    case 'contact_created':
    case 'contact_updated': {
      const contact = store.contacts.get(event.contactId);
      if (!contact) return null;
      const body: Record<string, unknown> = { ...contactWebhookData(store, contact), event: event.name };
      if (event.name === 'contact_updated') body.changed_attributes = event.changedAttributes;
      return { accountId: contact.accountId, body };
    }
    case 'conversation_typing_on':
    case 'conversation_typing_off': {
      const conversation = store.conversations.get(event.conversationId);
      if (!conversation) return null;
      const actor = event.actor;
      const user =
        actor.type === 'user'
          ? senderPushEventData(store, { senderType: 'User', senderId: actor.id })
          : actor.type === 'agent_bot'
            ? senderPushEventData(store, { senderType: 'AgentBot', senderId: actor.id })
            : null;
      return {
        accountId: conversation.accountId,
        body: {
          event: event.name,
          user,
          conversation: conversationWebhookData(context, conversation),
          is_private: event.isPrivate,
        },
      };
    }
    default:
      return null;
  }
}
