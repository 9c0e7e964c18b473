import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria, type Harness } from './harness.js';

const startTestHarness = harnessPerTest();

async function waitForEvents(h: Harness, type: string): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const events = await h.events(type);
    if (events.length > 0) return events;
    await pause(100);
  }
  throw new Error(`no ${type} event`);
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('native handoff (through the simulator)', () => {
  it('hands off on "talk to a human", stays silent, and resumes after the human has been silent', async () => {
    // The configured message is in the assistant's language, which the customer writes.
    const h = await startTestHarness({
      assistant: { language: 'pt-BR' },
      conversation: {
        handoff: { customerMessage: 'Um atendente vai continuar.', resumeAfterHumanSilenceMinutes: 30 },
      },
    });
    const first = h.sim.customer.sendText(maria(h), 'Quero falar com um atendente');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 15_000 });
    const messages = botMessages(h, ref.displayId);
    expect(messages.map((m) => [m.content, m.private])).toEqual([
      ['Um atendente vai continuar.', false],
      [expect.stringContaining('customer request'), true],
    ]);
    // Chatwoot counts it as a bot handoff (pending → open by the bot).
    expect(h.sim.conversation(ref).reportingEvents.map((e) => e.name)).toContain('conversation_bot_handoff');
    expect(h.responder.calls).toHaveLength(0);
    const [handoff] = await waitForEvents(h, 'handoff');
    expect(handoff).toMatchObject({ reason: 'customer_request' });

    // While a human has it, the bot says nothing.
    h.sim.agent.reply(h.agentId, ref, 'Olá, sou a Ana');
    const whileHeld = h.sim.customer.sendText(maria(h), 'Oi Ana, tudo bem?');
    // Until the bot has stored it: a fixed pause let a loaded machine process it only after the
    // clock advance below, as a message 31 minutes into the human's silence.
    for (let i = 0; !(await h.events('message')).some((e) => e.messageId === whileHeld.message.id); i++) {
      if (i === 150) throw new Error('the message written while held was never stored');
      await pause(100);
    }
    await h.sim.waitForIdle();
    await pause(300);
    expect(botMessages(h, ref.displayId)).toHaveLength(2);

    // Ana goes quiet for 31 minutes: the bot takes the conversation back (to pending) and answers.
    h.sim.clock.advance(31 * 60_000);
    h.sim.customer.sendText(maria(h), 'Alguém aí?');
    await h.sim.waitFor(() => botMessages(h, ref.displayId).length === 3, { timeoutMs: 15_000 });
    expect(botMessages(h, ref.displayId)[2]!.content).toBe('re: Alguém aí?');
    expect(h.sim.conversation(ref).status).toBe('pending');
  });

  it("hands off on the model's tool call with team assignment and resumes when an agent sets pending again", async () => {
    const h = await startTestHarness();
    const team = h.sim.seed.team({ accountId: h.accountId, name: 'Vendas' });
    h.responder.setScript((context, call) =>
      call === 1
        ? {
            messages: [],
            handoff: { reason: 'model_tool', summary: 'Quer negociar desconto.', teamId: team.id },
          }
        : { messages: [{ kind: 'text', text: `de volta: ${context.pending.map((m) => m.text).join(' ')}` }] },
    );
    const first = h.sim.customer.sendText(maria(h), 'Posso ter desconto?');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).teamId === team.id, { timeoutMs: 15_000 });
    expect(h.sim.conversation(ref).status).toBe('open');
    const note = botMessages(h, ref.displayId).find((m) => m.private);
    expect(note?.content).toContain('Quer negociar desconto.');

    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await h.sim.waitForIdle();
    await pause(300);
    h.sim.customer.sendText(maria(h), 'E agora?');
    await h.sim.waitFor(() => botMessages(h, ref.displayId).some((m) => m.content === 'de volta: E agora?'), {
      timeoutMs: 15_000,
    });
  });

  it('hands off after repeated responder failures', async () => {
    const h = await startTestHarness({ conversation: { handoff: { maxConsecutiveFailures: 2 } } });
    h.responder.setScript(() => {
      throw new Error('provider exploded');
    });
    const first = h.sim.customer.sendText(maria(h), 'Olá');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 20_000 });
    const [handoff] = await waitForEvents(h, 'handoff');
    expect(handoff).toMatchObject({ reason: 'repeated_failures' });
    expect(h.responder.calls.length).toBe(2);
  });
});

describe('hand-back answers what the human left open', () => {
  it('answers the customer messages written after the last reply that reached them, once', async () => {
    const h = await startTestHarness();
    h.responder.setScript((context, call) =>
      call === 1
        ? { messages: [], handoff: { reason: 'model_tool', summary: 'Wants a person.' } }
        : { messages: [{ kind: 'text', text: `back: ${context.pending.map((m) => m.text).join(' | ')}` }] },
    );
    const first = h.sim.customer.sendText(maria(h), 'Preciso de ajuda');
    const ref = { accountId: h.accountId, displayId: first.conversation.displayId };
    await h.sim.waitFor(() => h.sim.conversation(ref).status === 'open', { timeoutMs: 15_000 });

    // Answered by the human: not the bot's any more.
    h.sim.customer.sendText(maria(h), 'Qual o horário?');
    h.sim.agent.reply(h.agentId, ref, 'Das 9 às 18h');
    // Left open by the human.
    h.sim.customer.sendText(maria(h), 'E no sábado?');
    await pause(1000);
    expect(h.responder.calls).toHaveLength(1);

    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await h.sim.waitFor(
      () => botMessages(h, ref.displayId).some((m) => !m.private && m.content?.startsWith('back:')),
      {
        timeoutMs: 15_000,
      },
    );
    const answers = botMessages(h, ref.displayId).filter((m) => m.content?.startsWith('back:'));
    expect(answers.map((m) => m.content)).toEqual(['back: E no sábado?']);

    // Handing back again with nothing open sends nothing more.
    h.sim.agent.toggleStatus(h.agentId, ref, 'open');
    h.sim.agent.toggleStatus(h.agentId, ref, 'pending');
    await pause(1500);
    expect(botMessages(h, ref.displayId).filter((m) => m.content?.startsWith('back:'))).toHaveLength(1);
  });
});
