import { describe, expect, it } from 'vitest';
import { BOT_WORDING } from '../src/language/bot-wording.js';
import { botMessages, harnessPerTest, type Harness } from './harness.js';

/**
 * Issue 21, the customer's side of a handoff, through the simulator: what the customer is told
 * (and when the team replies), the call back when nobody is in, and the agents' note.
 */
const startTestHarness = harnessPerTest();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The team works one day a week, the day after tomorrow (UTC), 9:00–18:00: closed now, whenever
// the test runs. (The engine and the simulator share the wall clock here: lane timing reads the
// database's clock too, so the simulated clock is not moved days ahead.)
const OPEN_AT = (() => {
  const day = new Date(Date.now() + 2 * 24 * 60 * 60_000);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 9));
})();
const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][OPEN_AT.getUTCDay()]!;
const dayName = (language: string) =>
  new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(OPEN_AT);
const SHOP = {
  language: 'pt-BR',
  timezone: 'UTC',
  businessHours: [{ days: [WEEKDAY], open: '09:00', close: '18:00' }],
};
const tom = (h: Harness) => ({ inboxId: h.inboxId, phone: '+447700900123', name: 'Tom' });
const publicMessages = (h: Harness, displayId: number) =>
  botMessages(h, displayId)
    .filter((m) => !m.private)
    .map((m) => m.content);
const note = (h: Harness, displayId: number) =>
  botMessages(h, displayId).find((m) => m.private)?.content ?? '';
const contactOf = (h: Harness, displayId: number) => {
  const conversation = h.sim.conversation({ accountId: h.accountId, displayId });
  return h.sim.store.contacts.get(conversation.contactId)!;
};

describe('handoff outside business hours (through the simulator)', () => {
  it('tells the customer, in their language, when the team replies, and offers a call back; the number they send is saved, noted and scheduled', async () => {
    const h = await startTestHarness({ assistant: SHOP });
    const first = h.sim.customer.sendText(tom(h), 'Can I talk to a person about my order?');
    const displayId = first.conversation.displayId;
    const ref = { accountId: h.accountId, displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 15_000 });
    expect(publicMessages(h, displayId)).toEqual([
      `Thanks, I'm passing you to a colleague. Our team replies from 9:00 on ${dayName('en')}. If you'd like us to call you back instead, send me your phone number.`,
    ]);
    expect(note(h, displayId)).toContain('Customer wrote: "Can I talk to a person about my order?"');
    expect(note(h, displayId)).toContain(
      `Outside business hours; the team is back 9:00 on ${dayName('en')}.`,
    );

    // The number in national format, from a +44 customer: the UK is its region.
    h.sim.customer.sendText(tom(h), 'ok, 07911 123456');
    await h.sim.waitFor(() => publicMessages(h, displayId).length === 2, { timeoutMs: 15_000 });
    expect(publicMessages(h, displayId)[1]).toBe(
      `A colleague will call you on +44 7911 123456 from 9:00 on ${dayName('en')}.`,
    );
    expect(contactOf(h, displayId).customAttributes).toMatchObject({
      callback_number: '+447911123456',
      callback_at: OPEN_AT.toISOString(),
    });
    await h.sim.waitFor(() => botMessages(h, displayId).filter((m) => m.private).length === 2, {
      timeoutMs: 5000,
    });
    expect(botMessages(h, displayId).filter((m) => m.private)[1]!.content).toContain(
      `Call back requested: +44 7911 123456, the team is back 9:00 on ${dayName('en')}`,
    );
    const followUps = await h.query<{ due_at: Date; text: string; cancel_on_customer_message: boolean }>(
      'SELECT due_at, text, cancel_on_customer_message FROM engine_follow_ups',
    );
    expect(followUps).toEqual([
      {
        due_at: OPEN_AT,
        text: 'Good morning! As promised, a colleague will call you on +44 7911 123456 shortly.',
        cancel_on_customer_message: false,
      },
    ]);
    // Still the human's conversation: the bot answered only the call back.
    expect(h.sim.conversation(ref).status).toBe('open');
    expect(h.responder.calls).toHaveLength(0);
  });

  it('a number given with the request is confirmed at once; digits that are no number are asked again', async () => {
    const h = await startTestHarness({ assistant: SHOP });
    const first = h.sim.customer.sendText(
      tom(h),
      'Ich möchte mit einem Mitarbeiter sprechen, Rückruf unter 07911 123456',
    );
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => publicMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    expect(publicMessages(h, displayId)[0]).toBe(
      `Danke, ich gebe Sie an einen Kollegen weiter. Ein Kollege ruft Sie ab ${dayName('de')} 9:00 Uhr unter +44 7911 123456 an.`,
    );
    await h.sim.waitFor(() => contactOf(h, displayId).customAttributes.callback_number !== undefined, {
      timeoutMs: 10_000,
    });
    expect(contactOf(h, displayId).customAttributes.callback_number).toBe('+447911123456');
    expect(note(h, displayId)).toContain(`Call back: +44 7911 123456 at ${OPEN_AT.toISOString()}`);

    // A second conversation's customer sends a number with a digit missing.
    const other = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+34612345678', name: 'Lucía' },
      'Quiero hablar con una persona',
    );
    const otherId = other.conversation.displayId;
    await h.sim.waitFor(
      () => h.sim.conversation({ accountId: h.accountId, displayId: otherId }).status === 'open',
      {
        timeoutMs: 15_000,
      },
    );
    expect(publicMessages(h, otherId)[0]).toContain(
      `Nuestro equipo responde a partir del ${dayName('es')} a las 9:00.`,
    );
    h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+34612345678', name: 'Lucía' },
      'mi número: 612 345 67',
    );
    await h.sim.waitFor(() => publicMessages(h, otherId).length === 2, { timeoutMs: 15_000 });
    expect(publicMessages(h, otherId)[1]).toBe(BOT_WORDING.es.callbackInvalid);
  });
});

describe('handoff while the team is in', () => {
  it('says a colleague replies shortly, in the customer’s language, and the note summarises the conversation', async () => {
    const h = await startTestHarness({ assistant: { language: 'fr' } });
    h.responder.setScript(() => ({
      messages: [],
      handoff: { reason: 'repeated_failures', summary: 'Three lookups of the order failed.' },
    }));
    const sent = h.sim.customer.sendText(
      { inboxId: h.inboxId, phone: '+351912345678', name: 'Rita' },
      'A minha encomenda ainda não chegou, o que aconteceu?',
    );
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).some((m) => m.private), { timeoutMs: 15_000 });
    expect(publicMessages(h, displayId)).toEqual([
      'Obrigado, vou passar você para um colega. Ele vai responder aqui em breve.',
    ]);
    const text = note(h, displayId);
    expect(text).toContain('Handoff to a human (repeated failures).');
    expect(text).toContain('Customer wrote: "A minha encomenda ainda não chegou, o que aconteceu?"');
    expect(text).toContain('Facts collected: name Rita; phone +351 912 345 678');
    expect(text).toContain('What the assistant did: Three lookups of the order failed.');
    expect(text).toContain('Knowledge found: not searched this turn');
    expect(text).toContain('Customer was told (pt)');
  });

  it('announce: false hands off silently', async () => {
    const h = await startTestHarness({ conversation: { handoff: { announce: false } } });
    const sent = h.sim.customer.sendText(tom(h), 'I want to talk to a human');
    const displayId = sent.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).some((m) => m.private), { timeoutMs: 15_000 });
    await pause(300);
    expect(publicMessages(h, displayId)).toEqual([]);
    expect(note(h, displayId)).toContain('The customer was not told (silent handoff).');
  });
});
