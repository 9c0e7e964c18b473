import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { FIXTURE, fixturePayload, postSigned } from './signed-webhooks.js';

/**
 * The status order (store/conversation-rules.ts): a message event can carry a stale status with
 * the newest updated_at (Chatwoot touches updated_at when it creates a message, contract errata
 * 8), so it never overrides a conversation event's status, whichever arrives first.
 */
let h: Harness;
let nextConversation = 7000;
let nextMessage = 90_000;
let nextDelivery = 0;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const T1 = 1_781_964_400.1; // the status change
const T2 = 1_781_964_460.9; // a minute later: the message that touched updated_at

/** A human agent's reply (outgoing, sender user): no lane work, only the conversation snapshot. */
function messageEvent(conversationId: number, status: string, updatedAt: number): string {
  return JSON.stringify(
    fixturePayload(h, FIXTURE.text, (p) => {
      p.id = ++nextMessage;
      p.message_type = 'outgoing';
      p.sender = { id: h.agentId, name: 'Ana', type: 'user' };
      p.conversation.id = conversationId;
      p.conversation.status = status;
      p.conversation.updated_at = updatedAt;
    }),
  );
}

function conversationEvent(conversationId: number, status: string, updatedAt: number): string {
  return JSON.stringify(
    fixturePayload(h, FIXTURE.statusChanged, (p) => {
      p.id = conversationId;
      p.status = status;
      p.updated_at = updatedAt;
    }),
  );
}

const deliver = async (body: string) => {
  const answer = await postSigned(h, body, { 'x-chatwoot-delivery': `order-${++nextDelivery}` });
  expect(answer).toMatchObject({ status: 200, body: { status: 'stored' } });
};
const statusOf = async (conversationId: number) =>
  (
    await h.query<{ status: string }>(`SELECT status FROM engine_conversations WHERE conversation_id = $1`, [
      conversationId,
    ])
  )[0]!.status;

describe('conversation status order', () => {
  it('keeps the conversation event status when a stale message event with a newer updated_at follows it', async () => {
    const id = ++nextConversation;
    await deliver(conversationEvent(id, 'open', T1));
    await deliver(messageEvent(id, 'pending', T2));
    expect(await statusOf(id)).toBe('open');
  });

  it('takes the conversation event status when it arrives after a stale message event with a newer updated_at', async () => {
    const id = ++nextConversation;
    await deliver(messageEvent(id, 'pending', T2));
    expect(await statusOf(id)).toBe('pending'); // nothing better known yet
    await deliver(conversationEvent(id, 'open', T1));
    expect(await statusOf(id)).toBe('open');
  });

  it('ends with the conversation event status whichever of the two lands first, run concurrently', async () => {
    const ids = Array.from({ length: 20 }, () => ++nextConversation);
    await Promise.all(
      ids.map((id, i) => {
        const both = [conversationEvent(id, 'open', T1), messageEvent(id, 'pending', T2)];
        return Promise.all((i % 2 ? both.reverse() : both).map(deliver));
      }),
    );
    for (const id of ids) expect(await statusOf(id)).toBe('open');
  });

  it('still orders conversation events among themselves by updated_at', async () => {
    const id = ++nextConversation;
    await deliver(conversationEvent(id, 'resolved', T2));
    await deliver(conversationEvent(id, 'open', T1));
    expect(await statusOf(id)).toBe('resolved');
    await deliver(conversationEvent(id, 'pending', T2)); // equal: the later delivery counts
    expect(await statusOf(id)).toBe('pending');
  });

  it('follows message events by updated_at while no conversation event is known', async () => {
    const id = ++nextConversation;
    await deliver(messageEvent(id, 'pending', T1));
    await deliver(messageEvent(id, 'open', T2));
    expect(await statusOf(id)).toBe('open');
    await deliver(messageEvent(id, 'pending', T1)); // older snapshot
    expect(await statusOf(id)).toBe('open');
  });

  it('still updates the contact from a newer message event after a conversation event', async () => {
    const id = ++nextConversation;
    await deliver(conversationEvent(id, 'open', T1));
    const renamed = JSON.parse(messageEvent(id, 'pending', T2)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    renamed.conversation.meta.sender.name = 'Maria Renamed';
    await deliver(JSON.stringify(renamed));
    const [row] = await h.query<{ status: string; name: string }>(
      `SELECT status, contact->>'name' AS name FROM engine_conversations WHERE conversation_id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'open', name: 'Maria Renamed' });
  });
});
