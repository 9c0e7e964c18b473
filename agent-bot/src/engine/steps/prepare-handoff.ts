import type { AssistantConfig } from '@switchboard/core';
import type { AnalyticsEventInput } from '@switchboard/events';
import { BOT_WORDING, describeTeamBack } from '../../language/bot-wording.js';
import { detectCustomerLanguage, primaryLanguage } from '../../language/customer-language.js';
import { businessHours } from '../../policies/business-hours.js';
import type { CustomerProfile, HandoffRequest } from '../../responder/responder.js';
import { displayNumber, findCallbackNumber } from '../../tools/handoff/callback.js';
import type { Queryable } from '../../store/db.js';
import { loadTranscript } from '../../store/lane-snapshot.js';
import type { StoredMessage } from '../../store/messages.js';

export interface HandoffInput {
  assistant: AssistantConfig;
  handoff: HandoffRequest;
  /** What the customer wrote in this turn (text, voice transcripts), oldest first. */
  customerTexts: string[];
  customer: Omit<CustomerProfile, 'contactId'>;
  /** The turn's analytics events: its knowledge searches say what the assistant found. */
  events: readonly AnalyticsEventInput[];
  /** A human agent has written in this conversation (e.g. it was handed back to the bot). */
  humanWasHere: boolean;
  now: Date;
}

export interface PreparedHandoff {
  handoff: HandoffRequest;
  /** What the customer is told (null: silent handoff). */
  customerMessage: string | null;
  /** That message offers a call back (outside business hours, no number given yet). */
  callbackOffered: boolean;
}

/**
 * Words a decided handoff for both sides. The customer hears, in their language, that a person
 * takes over and when: "shortly" while the team is in, "Our team replies from 9:00 on Monday"
 * outside business hours, with a call back offered, or confirmed when they already gave a
 * number. The agents get a note that summarises the conversation: what the customer wants,
 * the facts collected, what the assistant tried and what knowledge it found.
 */
export function prepareHandoff(input: HandoffInput): PreparedHandoff {
  const { assistant, handoff, now } = input;
  const policy = assistant.conversation.handoff;
  const language = detectCustomerLanguage(input.customerTexts, assistant.language);
  const words = BOT_WORDING[language];
  const hours = businessHours(assistant, now);
  const nextOpen = hours.nextOpenAt ? new Date(hours.nextOpenAt) : null;
  const when = nextOpen ? describeTeamBack(language, nextOpen, now, assistant.timezone) : null;

  const offered = !hours.open && policy.offerCallback;
  const foundNumber =
    handoff.callback?.number ??
    (offered ? findCallbackNumber(input.customerTexts, input.customer.phone, assistant.language) : null);
  const callback = foundNumber
    ? {
        number: foundNumber,
        at: handoff.callback?.at ?? hours.nextOpenAt ?? null,
        followUpText: words.callbackDue(displayNumber(foundNumber)),
      }
    : undefined;

  // The model words its message in the customer's language; a configured one is in the
  // assistant's (or keyed by language); otherwise the bot's own wording.
  const byModel =
    handoff.reason === 'model_tool' &&
    handoff.customerMessage !== undefined &&
    handoff.customerMessage !== policy.customerMessage;
  const configured =
    policy.customerMessages[language] ??
    (primaryLanguage(assistant.language) === language ? policy.customerMessage : undefined);
  const lead = byModel ? handoff.customerMessage! : configured;
  // Back with the bot after a human, a question it cannot answer goes to that colleague again.
  const passOn =
    !lead && input.humanWasHere && handoff.reason !== 'customer_request' && handoff.reason !== 'keyword';
  const sentences: string[] = [lead ?? (passOn ? words.passingOn : words.handingOff)];
  if (hours.open) {
    if (!lead && !passOn) sentences.push(words.replySoon);
  } else {
    if (when && !callback) sentences.push(words.teamRepliesFrom(when));
    if (callback) sentences.push(words.callbackNoted(displayNumber(callback.number), when ?? '…'));
    else if (offered) sentences.push(words.offerCallback);
  }
  const customerMessage = policy.announce || byModel ? sentences.join(' ') : null;

  const note = handoffNote(input, { language, when, open: hours.open, callback, customerMessage });
  const { customerMessage: _ignored, ...rest } = handoff;
  return {
    handoff: {
      ...rest,
      ...(customerMessage ? { customerMessage } : {}),
      ...(callback ? { callback } : {}),
      note,
    },
    customerMessage,
    callbackOffered: customerMessage !== null && offered && !callback,
  };
}

function handoffNote(
  input: HandoffInput,
  told: {
    language: string;
    when: string | null;
    open: boolean;
    callback: { number: string; at: string | null } | undefined;
    customerMessage: string | null;
  },
): string {
  const { handoff } = input;
  const lines = [`Handoff to a human (${handoff.reason.replaceAll('_', ' ')}).`, ''];
  const asked = input.customerTexts.map((text) => text.trim()).filter(Boolean);
  if (handoff.reason === 'model_tool') lines.push(`Assistant's summary: ${handoff.summary}`);
  if (asked.length > 0)
    lines.push(
      `Customer wrote: ${asked
        .slice(-3)
        .map((t) => `"${clip(t, 300)}"`)
        .join(' / ')}`,
    );
  const facts = collectedFacts(input.customer);
  lines.push(`Facts collected: ${facts.length > 0 ? facts.join('; ') : 'none'}`);
  if (handoff.reason !== 'model_tool') lines.push(`What the assistant did: ${handoff.summary}`);
  lines.push(`Knowledge found: ${knowledgeFound(input.events)}`);
  if (told.callback) {
    lines.push(
      `Call back: ${displayNumber(told.callback.number)}${told.callback.at ? ` at ${told.callback.at}` : ''} (saved on the contact; a follow-up is scheduled).`,
    );
  }
  lines.push(
    told.customerMessage
      ? `Customer was told (${told.language}): "${told.customerMessage}"`
      : 'The customer was not told (silent handoff).',
  );
  if (!told.open) lines.push(`Outside business hours${told.when ? `; the team is back ${told.when}` : ''}.`);
  return lines.join('\n').slice(0, 4000);
}

function collectedFacts(customer: Omit<CustomerProfile, 'contactId'>): string[] {
  const facts: string[] = [];
  if (customer.name) facts.push(`name ${customer.name}`);
  if (customer.email) facts.push(`e-mail ${customer.email}`);
  if (customer.phone)
    facts.push(
      `phone ${displayNumber(customer.phone.startsWith('+') ? customer.phone : `+${customer.phone}`)}`,
    );
  for (const [key, value] of Object.entries(customer.attributes).slice(0, 12)) {
    if (value === null || value === undefined || String(value).trim() === '') continue;
    facts.push(`${key}: ${clip(typeof value === 'string' ? value : JSON.stringify(value), 80)}`);
  }
  return facts;
}

function knowledgeFound(events: readonly AnalyticsEventInput[]): string {
  const searches = events.filter((event) => event.type === 'knowledge_search');
  if (searches.length === 0) return 'not searched this turn';
  const found: string[] = [];
  for (const event of searches) {
    const payload = event.payload as {
      outcome?: string;
      passages?: Array<{ documentTitle: string; score: number }>;
    };
    if (payload.outcome === 'miss') continue;
    for (const passage of payload.passages ?? []) {
      const entry = `"${passage.documentTitle}" (${passage.score.toFixed(2)})`;
      if (!found.includes(entry)) found.push(entry);
    }
  }
  return found.length > 0 ? found.slice(0, 5).join(', ') : 'nothing relevant (searched, below the threshold)';
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** What a customer message says, a voice note's transcript included. */
export function customerMessageText(message: StoredMessage): string {
  return [message.content ?? '', message.enrichment ?? ''].join('\n').trim();
}

/**
 * The customer's recent messages, oldest first, ending with `pending` (which may not be in the
 * stored transcript yet): enough to tell the language of a message like "ok, 07911 123456".
 */
export async function recentCustomerTexts(
  db: Queryable,
  key: { accountId: number; conversationId: number },
  pending: readonly StoredMessage[],
  keep = 6,
): Promise<string[]> {
  const pendingIds = new Set(pending.map((m) => m.messageId));
  const earlier = (await loadTranscript(db, key.accountId, key.conversationId)).filter(
    (m) => m.author === 'customer' && !m.private && !pendingIds.has(m.messageId),
  );
  return [...earlier, ...pending].map(customerMessageText).filter(Boolean).slice(-keep);
}
