import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';

let f: SimulatorFixture;
beforeEach(async () => {
  f = await startSimulatorFixture();
});
afterEach(async () => {
  await f.close();
});

describe('/_simulator playground controls', () => {
  it('sends customer messages of every kind over HTTP', async () => {
    const text = await f.api('POST', '/_simulator/customer/messages', null, {
      inboxId: f.inbox.id,
      phone: '+5511987654321',
      name: 'Maria',
      kind: 'text',
      text: 'Oi',
    });
    expect(text).toEqual({
      status: 200,
      body: { messageId: expect.any(Number), conversation: { accountId: f.account.id, displayId: 1 } },
    });
    const voice = await f.api('POST', '/_simulator/customer/messages', null, {
      inboxId: f.inbox.id,
      phone: '+5511987654321',
      kind: 'voice',
      data: Buffer.from('OggS').toString('base64'),
    });
    expect(voice.status).toBe(200);
    const location = await f.api('POST', '/_simulator/customer/messages', null, {
      inboxId: f.inbox.id,
      phone: '+5511987654321',
      kind: 'location',
      latitude: 1,
      longitude: 2,
    });
    expect(location.status).toBe(200);
    const messages = f.sim.messages({ accountId: f.account.id, displayId: 1 });
    expect(messages.map((message) => message.content)).toEqual(['Oi', null, null]);
    const blob = f.sim.store.attachments.get(messages[1]!.attachmentIds[0]!)!;
    expect(f.sim.store.blobs.get(blob.blobKey!)!.bytes.toString()).toBe('OggS');
  });

  it('validates control bodies with 422', async () => {
    const missing = await f.api('POST', '/_simulator/customer/messages', null, {
      inboxId: f.inbox.id,
      phone: '+5511987654321',
      kind: 'text',
    });
    expect(missing).toEqual({ status: 422, body: { error: 'text is required for text' } });
    const badPhone = await f.api('POST', '/_simulator/customer/messages', null, {
      inboxId: f.inbox.id,
      phone: 'abc',
      kind: 'text',
      text: 'x',
    });
    expect(badPhone.status).toBe(422);
    expect((await f.api('POST', '/_simulator/clock/advance', null, { ms: -5 })).status).toBe(422);
  });

  it('replies as an agent, plays receipts, advances the clock and shows state', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const reply = await f.api('POST', '/_simulator/agent/messages', null, {
      userId: f.agent.id,
      accountId: f.account.id,
      displayId: 1,
      content: 'Olá',
    });
    expect(reply.body).toMatchObject({ content: 'Olá', sender_type: 'User' });
    await f.sim.waitForIdle();
    const receipt = await f.api('POST', '/_simulator/receipts', null, {
      messageId: (reply.body as { id: number }).id,
      status: 'delivered',
    });
    expect(receipt.body).toEqual({ applied: true });
    const clock = await f.api('POST', '/_simulator/clock/advance', null, { ms: 3_600_000 });
    expect(clock.body).toEqual({ now: '2026-06-20T15:00:00.000Z' });
    const conversation = await f.api('GET', `/_simulator/conversations/${f.account.id}/1`, null);
    expect(conversation.body).toMatchObject({
      conversation: { id: 1, status: 'pending' },
      messages: [{}, {}],
    });
    const state = await f.api('GET', '/_simulator/state', null);
    expect(state.body).toMatchObject({ conversations: [{ displayId: 1, status: 'pending' }] });
    const webhooks = await f.api('GET', '/_simulator/webhooks', null);
    expect((webhooks.body as unknown[]).length).toBeGreaterThan(0);
    // Control calls are not recorded as Chatwoot API calls.
    expect(f.sim.recorder.apiCalls.filter((call) => call.path.startsWith('/_simulator'))).toHaveLength(0);
  });
});
