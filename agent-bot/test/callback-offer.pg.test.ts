import { describe, expect, it } from 'vitest';
import { BOT_WORDING } from '../src/language/bot-wording.js';
import { botMessages, harnessPerTest, type Harness } from './harness.js';

/**
 * The call back is captured only as the answer to an offer: the after-hours handoff message
 * offered one and the customer has not answered it yet. Before, any number a handed-off
 * customer wrote after hours was taken for a call-back number, so a customer who wrote their
 * order number was told "A colleague will call you on +44 20 7946 0958", and every further
 * number was confirmed again.
 */
const startTestHarness = harnessPerTest();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Closed now, whenever the test runs: the team works one day, the day after tomorrow (UTC).
const OPEN_AT = (() => {
  const day = new Date(Date.now() + 2 * 24 * 60 * 60_000);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9));
})();
const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][OPEN_AT.getUTCDay()]!;
const CLOSED = { timezone: 'UTC', businessHours: [{ days: [WEEKDAY], open: '09:00', close: '18:00' }] };
// A UK customer's order number that libphonenumber also reads as a London number.
const ORDER_NUMBER = 'my order number is 2079460958, where is it?';

const tom = (h: Harness) => ({ inboxId: h.inboxId, phone: '+447700900123', name: 'Tom' });
const publicMessages = (h: Harness, displayId: number) =>
  botMessages(h, displayId)
    .filter((m) => !m.private)
    .map((m) => m.content);
const notes = (h: Harness, displayId: number) =>
  botMessages(h, displayId)
    .filter((m) => m.private)
    .map((m) => m.content ?? '');
const contactOf = (h: Harness, displayId: number) => {
  const conversation = h.sim.conversation({ accountId: h.accountId, displayId });
  return h.sim.store.contacts.get(conversation.contactId)!;
};
const callbackOffer = async (h: Harness, displayId: number) =>
  (
    await h.query<{ callback_offer: string | null }>(
      'SELECT callback_offer FROM engine_conversations WHERE conversation_id = $1',
      [displayId],
    )
  )[0]?.callback_offer;

/** Sends as Tom and waits until the engine has dealt with the message (it is the human's: ignored). */
async function sendWhileHandedOff(h: Harness, displayId: number, text: string): Promise<void> {
  const sent = h.sim.customer.sendText(tom(h), text);
  for (let tries = 0; tries < 150; tries++) {
    const rows = await h.query<{ ignored: boolean }>(
      'SELECT ignored FROM engine_messages WHERE message_id = $1',
      [sent.message.id],
    );
    if (rows[0]?.ignored) break;
    await pause(100);
  }
  await pause(300); // anything it triggered is posted by now
}

async function handOff(h: Harness, text: string): Promise<number> {
  const first = h.sim.customer.sendText(tom(h), text);
  const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
  await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 15_000 });
  // The handoff's own state commits right after the status call.
  for (let tries = 0; tries < 50; tries++) {
    const rows = await h.query<{ bot_state: string }>(
      'SELECT bot_state FROM engine_conversations WHERE conversation_id = $1',
      [ref.displayId],
    );
    if (rows[0]?.bot_state === 'handed_off') break;
    await pause(100);
  }
  return ref.displayId;
}

describe('no call back offered: a number the customer writes after hours is the human’s', () => {
  it('a silent handoff offered nothing: an order number gets no call-back confirmation', async () => {
    const h = await startTestHarness({
      assistant: CLOSED,
      conversation: { handoff: { announce: false } },
    });
    const displayId = await handOff(h, 'I want to talk to a human');
    expect(publicMessages(h, displayId)).toEqual([]);
    expect(await callbackOffer(h, displayId)).toBeNull();

    await sendWhileHandedOff(h, displayId, ORDER_NUMBER);
    expect(publicMessages(h, displayId)).toEqual([]);
    expect(notes(h, displayId)).toHaveLength(1); // the handoff note only
    expect(contactOf(h, displayId).customAttributes.callback_number).toBeUndefined();
    expect(await h.query('SELECT 1 FROM engine_follow_ups')).toEqual([]);
  });

  it('a number given with the request answered the offer already: a later order number is not confirmed as another', async () => {
    const h = await startTestHarness({ assistant: CLOSED });
    const displayId = await handOff(h, 'I want to talk to a person, call me back on 07911 123456');
    expect(publicMessages(h, displayId)).toHaveLength(1);
    expect(publicMessages(h, displayId)[0]).toContain('A colleague will call you on +44 7911 123456');
    expect(await callbackOffer(h, displayId)).toBeNull();

    await sendWhileHandedOff(h, displayId, ORDER_NUMBER);
    expect(publicMessages(h, displayId)).toHaveLength(1);
    expect(contactOf(h, displayId).customAttributes.callback_number).toBe('+447911123456');
  });
});

describe('a call back offered at the handoff', () => {
  it('is taken once: the first number is confirmed, a later one is left to the human', async () => {
    const h = await startTestHarness({ assistant: CLOSED });
    const displayId = await handOff(h, 'Can I talk to a person?');
    expect(publicMessages(h, displayId)[0]).toContain(BOT_WORDING.en.offerCallback);
    expect(await callbackOffer(h, displayId)).toBe('offered');

    await sendWhileHandedOff(h, displayId, 'ok, 07911 123456');
    expect(publicMessages(h, displayId)).toHaveLength(2);
    expect(publicMessages(h, displayId)[1]).toContain('A colleague will call you on +44 7911 123456');
    expect(await callbackOffer(h, displayId)).toBe('answered');

    await sendWhileHandedOff(h, displayId, ORDER_NUMBER);
    expect(publicMessages(h, displayId)).toHaveLength(2);
    expect(contactOf(h, displayId).customAttributes.callback_number).toBe('+447911123456');
    expect(notes(h, displayId).filter((n) => n.startsWith('Call back requested'))).toHaveLength(1);
    expect(await h.query('SELECT 1 FROM engine_follow_ups')).toHaveLength(1);
  });

  it('digits that are no number are asked for again once, not on every message with digits', async () => {
    const h = await startTestHarness({ assistant: CLOSED });
    const displayId = await handOff(h, 'Can I talk to a person?');
    await sendWhileHandedOff(h, displayId, 'my number: 0791 12345');
    expect(publicMessages(h, displayId)).toEqual([expect.any(String), BOT_WORDING.en.callbackInvalid]);
    expect(await callbackOffer(h, displayId)).toBe('asked_again');

    await sendWhileHandedOff(h, displayId, 'ref 1002345 from the invoice');
    expect(publicMessages(h, displayId)).toHaveLength(2);

    // The offer still stands: a valid number now is taken.
    await sendWhileHandedOff(h, displayId, '07911 123456');
    expect(publicMessages(h, displayId)).toHaveLength(3);
    expect(publicMessages(h, displayId)[2]).toContain('+44 7911 123456');
  });
});
