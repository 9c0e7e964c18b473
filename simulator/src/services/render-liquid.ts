import { Liquid } from 'liquidjs';
import type { SimulatorContext } from '../context.js';
import type { ConversationRecord, MessageType } from '../state/records.js';

/**
 * `Liquidable` (app/models/concerns/liquidable.rb, a `before_create` of Message): an outgoing or
 * template message's content, private notes included, and each string of
 * `template_params.processed_params` are rendered as Liquid with contact, agent, conversation,
 * inbox and account drops. Code spans (`…`) in the content are wrapped in raw first; a template
 * that does not parse is kept as written (Chatwoot rescues Liquid errors).
 */
const liquid = new Liquid({ ownPropertyOnly: true });

export interface LiquidInput {
  messageType: MessageType;
  content: string | null;
  additionalAttributes: Record<string, unknown>;
  sender: { type: 'Contact' | 'User' | 'AgentBot'; id: number } | null;
}

export function renderMessageLiquid(
  context: SimulatorContext,
  conversation: ConversationRecord,
  input: LiquidInput,
): { content: string | null; additionalAttributes: Record<string, unknown> } {
  const { content, additionalAttributes } = input;
  if (input.messageType !== 'outgoing' && input.messageType !== 'template') {
    return { content, additionalAttributes };
  }
  const drops = messageDrops(context, conversation, input.sender);
  // `content.present?`: blank content is left alone.
  const renderedContent =
    content !== null && content.trim() !== '' ? renderLiquidContent(content, drops) : content;
  const templateParams = additionalAttributes.template_params as Record<string, unknown> | undefined;
  const processed = templateParams?.processed_params;
  if (!templateParams || !isPresent(processed)) {
    return { content: renderedContent, additionalAttributes };
  }
  return {
    content: renderedContent,
    additionalAttributes: {
      ...additionalAttributes,
      template_params: { ...templateParams, processed_params: renderValues(processed, drops) },
    },
  };
}

export type Drops = Record<string, Record<string, unknown>>;

/** `modified_liquid_content` then render: code spans are wrapped in raw first. */
export function renderLiquidContent(content: string, drops: Drops): string {
  return render(content.replace(/`([\s\S]*?)`/g, '{% raw %}`$1`{% endraw %}'), drops, content);
}

function render(template: string, drops: Drops, fallback: string): string {
  try {
    return liquid.parseAndRenderSync(template, drops) as string;
  } catch {
    return fallback;
  }
}

function renderValues(value: unknown, drops: Drops): unknown {
  if (typeof value === 'string') return value.trim() === '' ? value : render(value, drops, value);
  if (Array.isArray(value)) return value.map((item) => renderValues(item, drops));
  // process_liquid_in_hash: a Hash's values; anything else as it is.
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValues(item, drops)]));
  }
  return value;
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** ContactDrop, UserDrop (the sender: a user or the agent bot), ConversationDrop, InboxDrop, AccountDrop. */
function messageDrops(
  context: SimulatorContext,
  conversation: ConversationRecord,
  sender: LiquidInput['sender'],
): Drops {
  const { store } = context;
  const contact = store.contacts.get(conversation.contactId);
  const words = contact?.name.split(/\s+/).filter(Boolean) ?? [];
  const agent =
    sender?.type === 'User'
      ? store.users.get(sender.id)
      : sender?.type === 'AgentBot'
        ? store.agentBots.get(sender.id)
        : undefined;
  const inbox = store.inboxes.get(conversation.inboxId);
  const account = store.accounts.get(conversation.accountId);
  return {
    contact: {
      id: contact?.id,
      name: contact?.name,
      email: contact?.email,
      phone_number: contact?.phoneNumber,
      first_name: words[0],
      last_name: words.length > 1 ? words[words.length - 1] : undefined,
    },
    agent: { id: agent?.id, name: agent?.name },
    conversation: {
      id: conversation.id,
      display_id: conversation.displayId,
      contact_name: contact?.name ? capitalize(contact.name) : 'Customer',
      custom_attribute: conversation.customAttributes,
    },
    inbox: { id: inbox?.id, name: inbox?.name },
    account: { id: account?.id, name: account?.name },
  };
}

/** Ruby's String#capitalize: the first letter up, the rest down. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}
