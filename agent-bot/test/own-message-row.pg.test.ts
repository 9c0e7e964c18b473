import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

/**
 * The reply sender stores the bot's own message row and its `message` event in the statement
 * that marks the part sent (engine/steps/reply-sender-own-row.ts), so Chatwoot's echo of it
 * (message_created) and its status receipts need no statement in this process, and the row and
 * event exist once whichever of the two comes first.
 */
const startTestHarness = harnessPerTest();

describe("the bot's own message row, written when its part is marked sent", () => {
  it('stores the reply once with one message event; its echo runs no statement', async () => {
    const h = await startTestHarness();
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text: 'Olá, Maria!\n' }] }));
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reply = botMessages(h, displayId)[0]!;

    // Only the customer's message_created was stored as a delivery: the echo found its row.
    const deliveries = await h.query<{ event: string }>(
      `SELECT event FROM engine_webhook_deliveries WHERE event = 'message_created'`,
    );
    expect(deliveries).toEqual([{ event: 'message_created' }]);

    const rows = await h.query<Record<string, unknown>>(
      `SELECT message_type, author, sender_type, sender_id, private, content_type, content, content_attributes,
              created_at FROM engine_messages WHERE message_id = $1`,
      [reply.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      message_type: 'outgoing',
      author: 'ai',
      sender_type: 'agent_bot',
      sender_id: String(h.botId),
      private: false,
      content_type: 'text',
      // As the webhook carries it: trailing newline stripped.
      content: 'Olá, Maria!',
    });
    expect(Object.keys(rows[0]!.content_attributes as object)).toContain('switchboard_reply_key');
    // Chatwoot's REST answer has whole seconds: the row's time is within that second of the real one.
    const stored = new Date(rows[0]!.created_at as string).getTime();
    expect(Math.abs(stored - h.sim.store.messages.get(reply.id)!.createdAt)).toBeLessThan(1000);
    expect(stored).toBeGreaterThan(first.message.createdAt);

    const events = await h.events('message');
    const ofReply = events.filter((e) => e.messageId === reply.id);
    expect(ofReply).toHaveLength(1);
    expect(ofReply[0]).toMatchObject({
      direction: 'outbound',
      author: 'ai',
      text: 'Olá, Maria!',
      private: false,
    });
    expect(events).toHaveLength(2);
  });

  it('keeps the transcript in order across bursts (customer, ai, customer, ai)', async () => {
    const h = await startTestHarness();
    h.responder.setScript((context) => ({
      messages: [{ kind: 'text', text: `r ${context.pending.at(-1)?.text ?? ''}` }],
    }));
    const first = h.sim.customer.sendText(maria(h), 'um');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    h.sim.customer.sendText(maria(h), 'dois');
    await h.sim.waitFor(() => botMessages(h, displayId).length === 2, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    expect(botMessages(h, displayId).map((m) => m.content)).toEqual(['r um', 'r dois']);
    const ai = await h.query<{ content: string }>(
      `SELECT content FROM engine_messages WHERE author = 'ai' ORDER BY created_at, message_id`,
    );
    expect(ai).toEqual([{ content: 'r um' }, { content: 'r dois' }]);
    const transcriptOrder = await h.query<{ author: string }>(
      `SELECT author FROM engine_messages ORDER BY created_at, message_id`,
    );
    expect(transcriptOrder.map((r) => r.author)).toEqual(['customer', 'ai', 'customer', 'ai']);
  });
});
