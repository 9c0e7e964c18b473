import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria } from './harness.js';

const startTestHarness = harnessPerTest();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 24 * 60 * 60_000;
const template = { name: 'reengage', language: 'en', params: { '1': '{{customer.name}}', '2': '{{text}}' } };

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await probe();
    if (value) return value;
    await pause(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the WhatsApp 24-hour window (through the simulator)', () => {
  it('sends a follow-up scheduled past the window as the approved template', async () => {
    const h = await startTestHarness({ conversation: { reengagementTemplate: template } });
    h.responder.setScript(async (context) => {
      await context.actions.scheduleFollowUp({
        at: new Date(context.now.getTime() + 1000),
        text: 'Seu pedido chegou?',
      });
      return { messages: [{ kind: 'text', text: 'Combinado!' }] };
    });
    const first = h.sim.customer.sendText(maria(h), 'Me lembra amanhã');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 1, { timeoutMs: 15_000 });
    await h.sim.waitForIdle(); // the reply reached WhatsApp inside the window
    h.sim.clock.advance(DAY + 60_000); // the window closes before the follow-up is due
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 2, { timeoutMs: 15_000 });
    await h.sim.waitForIdle();
    const sends = h.sim.recorder.channelSends.filter((s) => s.conversationDisplayId === ref.displayId);
    expect(sends.map((s) => [s.type, s.outcome])).toEqual([
      ['text', 'sent'],
      ['template', 'sent'],
    ]);
    const [sent] = await eventually(
      () => h.events('template_sent').then((e) => e.length > 0 && e),
      'template_sent',
    );
    expect(sent).toMatchObject({ template: 'reengage', purpose: 'follow_up', category: 'utility' });
    // Agents read what the customer received: the approved body with its parameters.
    expect(botMessages(h, ref.displayId)[1]!.content).toBe(
      'Hi Maria, we have an update for you: Seu pedido chegou?',
    );
  });

  it('cancels a follow-up when the customer writes first', async () => {
    const h = await startTestHarness();
    h.responder.setScript(async (context, call) => {
      if (call === 1)
        await context.actions.scheduleFollowUp({ at: new Date(context.now.getTime() + 1500), text: 'E aí?' });
      return { messages: [{ kind: 'text', text: `ok ${call}` }] };
    });
    const first = h.sim.customer.sendText(maria(h), 'primeira');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 1, { timeoutMs: 15_000 });
    h.sim.customer.sendText(maria(h), 'segunda');
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 2, { timeoutMs: 15_000 });
    await pause(2500);
    expect(botMessages(h, ref.displayId).map((m) => m.content)).toEqual(['ok 1', 'ok 2']);
    const [followUp] = await h.query(`SELECT state FROM engine_follow_ups`);
    expect(followUp).toEqual({ state: 'cancelled' });
  });

  it('keeps a reminder (cancelOnCustomerMessage: false) when the customer writes first', async () => {
    const h = await startTestHarness();
    h.responder.setScript(async (context, call) => {
      if (call === 1)
        await context.actions.scheduleFollowUp({
          at: new Date(context.now.getTime() + 1500),
          text: 'Lembrete: sua consulta é amanhã',
          cancelOnCustomerMessage: false,
        });
      return { messages: [{ kind: 'text', text: `ok ${call}` }] };
    });
    const first = h.sim.customer.sendText(maria(h), 'marcar');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 1, { timeoutMs: 15_000 });
    h.sim.customer.sendText(maria(h), 'obrigada');
    await h.sim.waitFor(() => botMessages(h, ref.displayId).some((m) => m.content?.startsWith('Lembrete')), {
      timeoutMs: 15_000,
    });
    const rows = await h.query(`SELECT state FROM engine_follow_ups`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toEqual({ state: 'cancelled' });
  });

  it('retries a free-form reply that failed outside the window as the template, once', async () => {
    // The engine's clock (wall clock) thinks the window is open; Chatwoot's has moved a day on.
    const h = await startTestHarness({ clock: 'system', conversation: { reengagementTemplate: template } });
    h.responder.delayMs = 800;
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.responder.calls.length === 1, { timeoutMs: 15_000 });
    h.sim.clock.advance(DAY + 60_000);
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 2, { timeoutMs: 15_000 });
    await pause(1500);
    const sends = h.sim.recorder.channelSends.filter((s) => s.conversationDisplayId === ref.displayId);
    // Chatwoot sends free-form text outside the window as a nameless template, which fails.
    expect(sends.map((s) => [s.type, s.outcome, s.error])).toEqual([
      ['template', 'failed', 'Template not found or invalid template name'],
      ['template', 'sent', null],
    ]);
    const failures = await eventually(
      () => h.events('delivery_failure').then((e) => e.length > 0 && e),
      'delivery_failure',
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ action: 'retried_as_template', code: 'window_closed' });
    expect(botMessages(h, ref.displayId)).toHaveLength(2);
  });

  it('records why nothing was sent when the window is closed and no template is configured', async () => {
    const h = await startTestHarness({ clock: 'system' });
    h.responder.delayMs = 800;
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.responder.calls.length === 1, { timeoutMs: 15_000 });
    h.sim.clock.advance(DAY + 60_000);
    const failures = await eventually(
      () => h.events('delivery_failure').then((e) => e.length > 0 && e),
      'delivery_failure',
    );
    expect(failures[0]).toMatchObject({
      action: 'recorded',
      error: 'Template not found or invalid template name',
    });
    await pause(1000);
    expect(botMessages(h, ref.displayId)).toHaveLength(1);
  });
});
