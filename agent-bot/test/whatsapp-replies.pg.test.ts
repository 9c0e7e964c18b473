import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();

describe('replies for WhatsApp (through the simulator)', () => {
  it('sends short choices as buttons and matches the button reply by its title', async () => {
    const h = await startTestHarness();
    h.responder.setScript((context, call) =>
      call === 1
        ? { messages: [{ kind: 'choices', text: 'Qual plano?', options: ['Mensal', 'Anual'] }] }
        : { messages: [{ kind: 'text', text: `escolheu ${context.pending[0]!.selectedOption ?? 'nada'}` }] },
    );
    const first = h.sim.customer.sendText(maria(h), 'Quero assinar');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 1, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    expect(botMessages(h, ref.displayId)[0]!.contentType).toBe('input_select');
    const send = h.sim.recorder.channelSends.find((s) => s.conversationDisplayId === ref.displayId);
    expect(send?.type).toBe('interactive');
    h.sim.customer.sendButtonReply(maria(h), 'Anual');
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 2, { timeoutMs: 15_000 });
    expect(botMessages(h, ref.displayId)[1]!.content).toBe('escolheu Anual');
  });

  it('splits a long Markdown answer into messages under 4,096 characters, in order', async () => {
    const h = await startTestHarness();
    const paragraph = (n: number) => `**Parte ${n}.** ${'Texto longo de exemplo. '.repeat(100).trim()}`;
    const long = [1, 2, 3].map(paragraph).join('\n\n');
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text: long }] }));
    const first = h.sim.customer.sendText(maria(h), 'Me explica tudo');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length >= 2, { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const parts = botMessages(h, ref.displayId).map((m) => m.content ?? '');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThan(4096);
    expect(parts.join('\n\n')).toBe(long);
    const [turn] = await h.events('turn');
    expect((turn!.replyMessageIds as number[]).length).toBe(parts.length);
  });

  it('treats a "test" channel inbox like WhatsApp and records it as channel "test"', async () => {
    const h = await startTestHarness({ channel: 'test' });
    const first = h.sim.customer.sendText(maria(h), 'Olá');
    await h.sim.waitFor(() => botMessages(h, first.conversation.displayId).length === 1, {
      timeoutMs: 15_000,
    });
    const rows = await h.query<{ channel: string }>(
      `SELECT DISTINCT event->>'channel' AS channel FROM analytics_outbox WHERE event_type IN ('turn', 'message')`,
    );
    expect(rows).toEqual([{ channel: 'test' }]);
  });
});
