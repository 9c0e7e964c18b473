import { BOT_WORDING, describeTeamBack } from '../../language/bot-wording.js';
import { detectCustomerLanguage } from '../../language/customer-language.js';
import { businessHours } from '../../policies/business-hours.js';
import { advanceCallbackOffer, type ConversationState } from '../../store/conversations.js';
import type { StoredMessage } from '../../store/messages.js';
import { displayNumber, findCallbackNumber } from '../../tools/handoff/callback.js';
import { conversationActions } from '../conversation-actions.js';
import { recentCustomerTexts } from './prepare-handoff.js';
import type { EngineContext, InboxBinding } from '../engine-context.js';
import { postOnce } from '../post-once.js';

/** Enough digits to be meant as a phone number ("07911 12345" with one missing). */
const LOOKS_LIKE_A_NUMBER = /(?:\+|\b)\d[\d\s().-]{5,}\d\b/;

/**
 * The answer to the call back offered at a handoff outside business hours: while the offer
 * stands (the handoff message offered it, no number was taken since: `callbackOffer`) and
 * nobody has taken the conversation yet (handed off, no human reply since), a message with a
 * phone number is the customer's call-back number. Valid: written to the contact
 * (callback_number, callback_at), noted for the team, scheduled as a follow-up for when the
 * team is back, confirmed to the customer in their language, and the offer is answered: later
 * numbers are the human's. Digits that are no valid number are asked for again, once. Without
 * an offer (a handoff in business hours, a silent one, one whose number came with the request)
 * nothing here reacts: an order number written after hours must not be taken for a phone
 * number. Anything else stays the human's. Returns true when it said something.
 *
 * The confirmation is posted directly rather than through the turn's reply plan: the bot does
 * not own the conversation, and the customer has just written (the 24-hour window is open).
 * Everything it posts or schedules is keyed by the customer's message, so a retried lane adds
 * nothing twice (postOnce, keyed follow-ups).
 */
export async function captureCallbackWhileAway(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  pending: StoredMessage[],
): Promise<boolean> {
  const assistant = binding.assistant;
  const offer = conversation.callbackOffer;
  if ((offer !== 'offered' && offer !== 'asked_again') || conversation.botState !== 'handed_off') {
    return false;
  }
  if (
    conversation.lastHumanMessageAt &&
    conversation.handedOffAt &&
    conversation.lastHumanMessageAt >= conversation.handedOffAt
  ) {
    return false;
  }
  const now = engine.clock.now();
  const hours = businessHours(assistant, now);
  if (hours.open) return false;
  const texts = pending.map((m) => m.content ?? '').filter((text) => text.trim() !== '');
  if (texts.length === 0) return false;
  const language = detectCustomerLanguage(
    await recentCustomerTexts(engine.db.pool, conversation, pending),
    assistant.language,
  );
  const words = BOT_WORDING[language];
  const key = `callback:${conversation.accountId}:${pending.at(-1)!.messageId}`;
  const number = findCallbackNumber(texts, conversation.contact.phone, assistant.language);
  if (!number) {
    // Asked again once: a second miss may be no phone number at all (an order number).
    if (offer !== 'offered' || !texts.some((text) => LOOKS_LIKE_A_NUMBER.test(text))) return false;
    await postOnce(engine, conversation, `${key}:invalid`, {
      content: words.callbackInvalid,
      message_type: 'outgoing',
    });
    await advanceCallbackOffer(engine.db.pool, conversation, ['offered'], 'asked_again');
    return true;
  }
  const when = hours.nextOpenAt
    ? describeTeamBack(language, new Date(hours.nextOpenAt), now, assistant.timezone)
    : null;
  const actions = conversationActions(engine, conversation);
  if (conversation.contact.id !== null) {
    await actions.updateContact({
      customAttributes: { callback_number: number, callback_at: hours.nextOpenAt ?? 'as soon as possible' },
    });
  }
  await actions.addPrivateNote(
    `Call back requested: ${displayNumber(number)}${when ? `, the team is back ${when}` : ''} (saved on the contact${hours.nextOpenAt ? '; a follow-up is scheduled' : ''}).`,
    { key: `${key}:note` },
  );
  if (hours.nextOpenAt) {
    await actions.scheduleFollowUp({
      at: new Date(hours.nextOpenAt),
      text: words.callbackDue(displayNumber(number)),
      cancelOnCustomerMessage: false,
      key: `${key}:follow-up`,
    });
  }
  await postOnce(engine, conversation, `${key}:confirm`, {
    content: words.callbackNoted(displayNumber(number), when ?? '…'),
    message_type: 'outgoing',
  });
  // Marked after the keyed steps: a lane retried half-way redoes them without doubles.
  await advanceCallbackOffer(engine.db.pool, conversation, ['offered', 'asked_again'], 'answered');
  engine.logger.info({ conversation: conversation.conversationId }, 'call back recorded while handed off');
  return true;
}
