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
    // Valid Liquid: unescaped, Chatwoot would blank {{name}} and the if block, and fill in the name.
    const template =
      'Olá {{name}}! No modelo escreva {% if cliente %}Prezado{% endif %} e {{ contact.name }}; ' +
      'em código: `{{x}}`, e chaves: } {.';
    // Invalid Liquid: Chatwoot keeps it as written, so the escaped form must render to it too.
    const broken = 'Um {% if %} sem condição, {{}} e {{ contact.name }}.';
    h.responder.setScript(() => ({
      messages: [
        { kind: 'text', text: template },
        { kind: 'text', text: broken },
      ],
    }));
    const first = h.sim.customer.sendText(maria(h), 'Como uso variáveis?');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).length === 2, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    expect(botMessages(h, displayId).map((m) => m.content)).toEqual([template, broken]);
    const sends = h.sim.recorder.channelSends.filter((s) => s.conversationDisplayId === displayId);
    expect(sends.map((s) => s.body)).toMatchObject([
      { type: 'text', text: { body: template } },
      { type: 'text', text: { body: broken } },
    ]);
  });
});
