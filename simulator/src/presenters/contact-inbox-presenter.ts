import type { SimulatorContext } from '../context.js';
import type { ContactInboxRecord } from '../state/records.js';
import { conversationsOfContactInbox, requireRecord } from '../state/store.js';
import { accountWebhookData, contactWebhookData } from './actor-presenter.js';
import { conversationWebhookData } from './conversation-presenter.js';

/**
 * `ContactInbox#webhook_data` (app/models/contact_inbox.rb), the body of `webwidget_triggered`:
 * the contact, the inbox and account as `{id, name}`, the visitor's latest conversation (null
 * before their first message) and the widget's source id (a UUID).
 */
export function contactInboxWebhookData(
  context: SimulatorContext,
  contactInbox: ContactInboxRecord,
): Record<string, unknown> {
  const { store } = context;
  const contact = requireRecord(store.contacts, contactInbox.contactId, 'contact');
  const inbox = requireRecord(store.inboxes, contactInbox.inboxId, 'inbox');
  const account = requireRecord(store.accounts, inbox.accountId, 'account');
  const current = conversationsOfContactInbox(store, contactInbox.id).at(-1);
  return {
    id: contactInbox.id,
    contact: contactWebhookData(store, contact),
    inbox: { id: inbox.id, name: inbox.name },
    account: accountWebhookData(account),
    current_conversation: current ? conversationWebhookData(context, current) : null,
    source_id: contactInbox.sourceId,
  };
}
