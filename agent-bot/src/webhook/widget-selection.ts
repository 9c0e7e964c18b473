import type { InboxBinding } from '../inboxes/inbox-binding.js';
import type { MessageEvent } from './chatwoot-payloads.js';
import { messageAuthor } from './message-author.js';

/**
 * A website visitor clicking an option of our `input_select` creates no message in Chatwoot:
 * the widget PATCHes our message, and the bot receives `message_updated` with
 * `content_attributes.submitted_values: [{title, value}]` (Chatwoot's own bot processor reads
 * `submitted_values.first.value` from exactly this event). For the engine it is the customer's
 * answer, so it is ingested as one: an incoming message whose id is the negated id of the
 * message it answers (unique, stable across redeliveries, never a Chatwoot id) and whose text
 * is the option's title (what the visitor saw and what the choice matching compares).
 */
export function widgetSelectionAsCustomerMessage(
  binding: InboxBinding,
  event: MessageEvent,
): MessageEvent | null {
  if (binding.channel !== 'web' || event.event !== 'message_updated') return null;
  if (event.content_type !== 'input_select' || event.private) return null;
  if (messageAuthor(event, binding.account.bot.id) !== 'ai') return null;
  const submitted = event.content_attributes?.submitted_values;
  const first = Array.isArray(submitted) ? (submitted[0] as { title?: unknown; value?: unknown }) : null;
  const title =
    typeof first?.title === 'string' ? first.title : typeof first?.value === 'string' ? first.value : null;
  if (!first || !title) return null;
  const contact = event.conversation.meta?.sender;
  return {
    ...event,
    event: 'message_created',
    id: -event.id,
    message_type: 'incoming',
    content: title,
    content_type: 'text',
    content_attributes: { submitted_values: [first], in_reply_to: event.id },
    private: false,
    source_id: null,
    // Its time is when the click reached us (after our question), not our message's.
    created_at: null,
    sender: contact ? { id: contact.id, name: contact.name ?? null, email: contact.email ?? null } : null,
    attachments: [],
  } as MessageEvent;
}
