import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();

/**
 * Chatwoot renders outgoing content as Liquid (the simulator too, with liquidjs): the bot's text
 * must reach Chatwoot's record and WhatsApp exactly as the model wrote it.
 */
describe('Liquid-looking text in replies (through the simulator)', () => {
  it('arrives unchanged: {{name}}, {% if %} blocks, code spans and stray braces', async () => {
    const h = await startTestHarness();
    const text =
      'Olá {{name}}! No modelo escreva {% if cliente %}Prezado{% endif %} e {{ contact.name }}; ' +
      'em código: `{{x}}`. Chaves {{}} e {% if %} soltas.';
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text }] }));
    const first = h.sim.customer.sendText(maria(h), 'Como uso variáveis?');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 1, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    expect(botMessages(h, displayId)[0]!.content).toBe(text);
    const send = h.sim.recorder.channelSends.find((s) => s.conversationDisplayId === displayId);
    expect(send?.body).toMatchObject({ type: 'text', text: { body: text } });
  });
});
