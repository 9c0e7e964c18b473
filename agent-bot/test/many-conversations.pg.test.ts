import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, dropTestDatabase } from './harness.js';

const CONVERSATIONS = 200;
let db: TestDatabase;
let h: Harness;
beforeAll(async () => {
  db = await createTestDatabase();
  h = await startHarness({
    db,
    simulator: { behaviour: { webhookConcurrency: 32, webhookRetryDelayMs: 50 } },
  });
});
afterAll(async () => {
  await h?.close();
  await (db && dropTestDatabase(db));
});

describe('many conversations at once', () => {
  it('answers 200 conversations, each in order, one reply per burst', { timeout: 320_000 }, async () => {
    const customers = Array.from({ length: CONVERSATIONS }, (_, i) => ({
      inboxId: h.inboxId,
      phone: `+55119${String(20_000_000 + i)}`,
      name: `C${i}`,
    }));
    // Round 1: a burst of two messages per conversation, all conversations at once.
    const refs = customers.map((customer, i) => {
      const sent = h.sim.customer.sendText(customer, `${i}-a`);
      h.sim.customer.sendText(customer, `${i}-b`);
      return { accountId: h.accountId, displayId: sent.conversation.displayId };
    });
    const replies = (i: number) =>
      h.sim.messages(refs[i]!).filter((m) => m.messageType === 'outgoing' && m.senderType === 'AgentBot');
    await h.sim.waitFor(() => refs.every((_, i) => replies(i).length >= 1), {
      timeoutMs: 150_000,
      description: 'round 1',
    });
    // Round 2: one more message each.
    customers.forEach((customer, i) => h.sim.customer.sendText(customer, `${i}-c`));
    await h.sim.waitFor(() => refs.every((_, i) => replies(i).length >= 2), {
      timeoutMs: 150_000,
      description: 'round 2',
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const [i, ref] of refs.entries()) {
      const transcript = h.sim
        .messages(ref)
        .filter((m) => !m.private && m.messageType !== 'activity' && m.messageType !== 'template')
        .map((m) => `${m.messageType === 'incoming' ? '>' : '<'} ${m.content}`);
      expect(transcript).toEqual([
        `> ${i}-a`,
        `> ${i}-b`,
        `< re: ${i}-a | ${i}-b`,
        `> ${i}-c`,
        `< re: ${i}-c`,
      ]);
    }
  });
});
