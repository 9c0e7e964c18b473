import type { SimulatorStore } from '../state/store.js';
import type { AccountRecord, AgentBotRecord, ContactRecord, UserRecord } from '../state/records.js';

/** `Account#webhook_data` and `Inbox#webhook_data`: just id and name. */
export function accountWebhookData(account: AccountRecord): { id: number; name: string } {
  return { id: account.id, name: account.name };
}

/** `Contact#webhook_data`: the top-level `sender` of an incoming message. No `type` key, by design. */
export function contactWebhookData(store: SimulatorStore, contact: ContactRecord): Record<string, unknown> {
  const account = store.accounts.get(contact.accountId);
  return {
    account: account ? accountWebhookData(account) : null,
    additional_attributes: contact.additionalAttributes,
    avatar: '',
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: '',
    blocked: contact.blocked,
  };
}

/** `Contact#push_event_data`: used in `meta.sender` and nested messages; this one has `type: "contact"`. */
export function contactPushEventData(contact: ContactRecord): Record<string, unknown> {
  return {
    additional_attributes: contact.additionalAttributes,
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: '',
    blocked: contact.blocked,
    type: 'contact',
  };
}

export function userWebhookData(user: UserRecord): Record<string, unknown> {
  return { id: user.id, name: user.name, email: user.email, type: 'user' };
}

export function userPushEventData(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    available_name: user.name,
    avatar_url: '',
    type: 'user',
    availability_status: user.availabilityStatus,
    thumbnail: '',
  };
}

export function agentBotWebhookData(bot: AgentBotRecord): Record<string, unknown> {
  return { id: bot.id, name: bot.name, type: 'agent_bot' };
}

export function agentBotPushEventData(bot: AgentBotRecord): Record<string, unknown> {
  return { id: bot.id, name: bot.name, avatar_url: '', type: 'agent_bot' };
}

export type SenderRef = { senderType: 'Contact' | 'User' | 'AgentBot' | null; senderId: number | null };

/** Look up the message's polymorphic sender and present it with the matching presenter. */
function presentSender(
  store: SimulatorStore,
  ref: SenderRef,
  presenters: {
    contact: (contact: ContactRecord) => Record<string, unknown>;
    user: (user: UserRecord) => Record<string, unknown>;
    bot: (bot: AgentBotRecord) => Record<string, unknown>;
  },
): Record<string, unknown> | null {
  if (ref.senderId === null) return null;
  if (ref.senderType === 'Contact') {
    const contact = store.contacts.get(ref.senderId);
    return contact ? presenters.contact(contact) : null;
  }
  if (ref.senderType === 'User') {
    const user = store.users.get(ref.senderId);
    return user ? presenters.user(user) : null;
  }
  if (ref.senderType === 'AgentBot') {
    const bot = store.agentBots.get(ref.senderId);
    return bot ? presenters.bot(bot) : null;
  }
  return null;
}

/** `sender.try(:webhook_data)`: the top-level `sender` of message webhooks. */
export function senderWebhookData(store: SimulatorStore, ref: SenderRef): Record<string, unknown> | null {
  return presentSender(store, ref, {
    contact: (contact) => contactWebhookData(store, contact),
    user: userWebhookData,
    bot: agentBotWebhookData,
  });
}

/** `sender.push_event_data`: nested messages and `meta.assignee`. */
export function senderPushEventData(store: SimulatorStore, ref: SenderRef): Record<string, unknown> | null {
  return presentSender(store, ref, {
    contact: contactPushEventData,
    user: userPushEventData,
    bot: agentBotPushEventData,
  });
}
