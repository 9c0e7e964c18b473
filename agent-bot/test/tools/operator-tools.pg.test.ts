import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@switchboard/core/testing';
import { switchboardConfigSchema } from '@switchboard/core';
import { createAssistantResponder } from '../../src/assistant/create-assistant-responder.js';
import { startAgentBot } from '../../src/start-agent-bot.js';
import type { ChatMessage, GenerateRequest, GenerateResult } from '../../src/llm/language-model.js';
import { ScriptedLanguageModel } from '../../src/llm/scripted-language-model.js';
import { createOperatorTools } from '../../src/tools/operator-tools.js';
import { withToolReplies } from '../../src/tools/send-file/reply-queue.js';
import { startHarness, TEST_TUNING, type Harness } from '../harness.js';

/**
 * The operator tools end to end: customer on the simulated WhatsApp → engine → assistant loop
 * with a scripted model → tools → ConversationActions → the simulator's Chatwoot state.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
let db: TestDatabase;
let harness: Harness | null = null;

// One database for the file (creating one takes seconds on a busy machine); the harness empties
// the engine's tables between scenarios and we empty ours.
beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.drop();
});
let closeBot: (() => Promise<void>) | null = null;

afterEach(async () => {
  await closeBot?.();
  closeBot = null;
  await harness?.close();
  harness = null;
});

/** The model: a tool call chosen by the customer's last words, then a short text answer. */
function scriptedModel() {
  return new ScriptedLanguageModel({
    steps: [
      (request: GenerateRequest): GenerateResult => {
        const last = request.messages.at(-1) as ChatMessage;
        const base = {
          finishReason: { unified: 'stop' as const, raw: 'stop' },
          responseModelId: 'scripted',
          usage: {
            inputTokens: 1,
            cachedInputTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: 1,
            reasoningTokens: 0,
            audioInputTokens: 0,
            imageInputTokens: 0,
          },
        };
        if (last.role === 'tool') {
          return {
            ...base,
            text: `Tool said: ${JSON.stringify(last.results[0]!.content)}`,
            toolCalls: [],
          };
        }
        const said =
          last.role === 'user' ? last.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ') : '';
        const call = (name: string, args: unknown) => ({
          ...base,
          text: '',
          finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
          toolCalls: [{ id: `c-${name}`, name, arguments: args }],
        });
        if (said.includes('e-mail'))
          return call('collect_customer_data', {
            email: 'Maria@Example.COM',
            birthday: '03/04/1990',
            phone: '11 91234',
          });
        if (said.includes('brochure')) return call('send_file', { file: 'brochure' });
        if (said.includes('book'))
          return call('book_appointment', { service: 'cut', start: '2026-03-02T10:00:00-03:00' });
        if (said.includes('remind'))
          return call('schedule_follow_up', {
            at: '2026-03-02T12:00:00Z',
            message: 'Did the brochure help?',
          });
        return { ...base, text: 'Hello!', toolCalls: [] };
      },
    ],
  });
}

async function start() {
  await db.pool.query('TRUNCATE tools_appointments, tools_appointment_resources');
  harness = await startHarness({
    db,
    noBot: true,
    simulator: {
      clock: { frozenAt: Date.parse('2026-03-01T12:00:00Z') },
      behaviour: { webhookRetryDelayMs: 50 },
    },
    assistant: {
      model: { provider: 'openai', model: 'scripted', apiKey: 'sk-test' },
      language: 'pt',
      tools: ['collect_customer_data', 'send_file', 'book_appointment', 'schedule_follow_up'],
    },
  });
  const h = harness;
  const server = await import('node:http').then(({ createServer }) => createServer((_q, s) => s.end(PDF)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const config = switchboardConfigSchema.parse({
    ...h.config,
    tools: {
      customerData: {
        helper: [
          { key: 'email', type: 'email', description: 'E-mail' },
          { key: 'phone', type: 'phone', description: 'Phone' },
          { key: 'birthday', type: 'date', description: 'Birthday' },
        ],
      },
      files: {
        brochure: {
          description: 'Brochure',
          url: `http://127.0.0.1:${port}/b.pdf`,
          fileName: 'Brochure.pdf',
          caption: 'Our brochure',
        },
      },
      appointments: {
        timezone: 'America/Sao_Paulo',
        workingHours: [{ days: ['mon'], open: '09:00', close: '12:00' }],
        resources: { ana: { name: 'Ana' } },
        services: { cut: { name: 'Corte', durationMinutes: 60, resources: ['ana'] } },
        reminders: [
          {
            minutesBefore: 60,
            text: 'Lembrete: {service} às {time}',
            template: 'reengage',
            templateParams: { '1': 'Maria', '2': '{service} {time}' },
          },
        ],
      },
    },
  });
  const logger = pino({ level: 'silent' });
  // The engine's pool once it runs (on PGlite it switches to one connection at start).
  let enginePool: typeof h.db.pool | null = null;
  const operator = createOperatorTools({ config: config.tools, pool: () => enginePool ?? h.db.pool });
  const model = scriptedModel();
  const responder = withToolReplies(
    createAssistantResponder({
      config,
      db: h.db,
      logger,
      knowledgeSearch: async () => ({ passages: [], miss: true }) as never,
      modelFactory: () => model,
      tools: operator.tools,
      sleep: async () => undefined,
    }),
  );
  const bot = await startAgentBot({
    config,
    db: h.db,
    logger,
    responder,
    clock: h.sim.clock,
    tuning: TEST_TUNING,
  });
  enginePool = bot.engine.context.db.pool;
  closeBot = async () => {
    await bot.close();
    await operator.close();
    server.close();
  };
  h.connect(bot.url);
  return h;
}

const maria = (h: Harness) => ({ inboxId: h.inboxId, phone: '+5511987654321', name: 'Maria' });
const outgoing = (h: Harness, displayId: number) =>
  h.sim
    .messages({ accountId: h.accountId, displayId })
    .filter((m) => m.messageType === 'outgoing' && !m.private);

describe('operator tools through the simulator', { timeout: 120_000 }, () => {
  it('saves customer data to the Chatwoot contact, keeping earlier attributes', async () => {
    const h = await start();
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => outgoing(h, displayId).length === 1, { timeoutMs: 15_000 });
    const contact = h.sim.store.contacts.get(first.contact.id)!;
    contact.customAttributes = { loyalty: 'gold' };

    h.sim.customer.sendText(maria(h), 'my e-mail is Maria@Example.COM, born 03/04/1990');
    await h.sim.waitFor(() => outgoing(h, displayId).length === 2, { timeoutMs: 15_000 });
    // pt + Brazilian number → pt-BR: day first; the local number gets +55.
    expect(h.sim.store.contacts.get(first.contact.id)).toMatchObject({
      email: 'Maria@example.com',
      phoneNumber: '+5511987654321',
      customAttributes: { loyalty: 'gold', birthday: '1990-04-03' },
    });
    expect(outgoing(h, displayId)[1]!.content).toContain('that phone number is not valid');
  });

  it('sends a file as its own attachment message and books with a reminder', async () => {
    const h = await start();
    const first = h.sim.customer.sendText(maria(h), 'send me the brochure');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => outgoing(h, displayId).some((m) => m.attachmentIds.length > 0), {
      timeoutMs: 15_000,
    });
    const withFile = outgoing(h, displayId).find((m) => m.attachmentIds.length > 0)!;
    expect(withFile.attachmentIds).toHaveLength(1);
    expect(withFile.content).toBe('Our brochure');
    expect(h.sim.store.attachments.get(withFile.attachmentIds[0]!)).toMatchObject({
      fileType: 'file',
      fileName: 'Brochure.pdf',
    });

    h.sim.customer.sendText(maria(h), 'I want to book');
    await h.sim.waitFor(() => outgoing(h, displayId).some((m) => m.content?.includes('Booked')), {
      timeoutMs: 15_000,
    });
    const booked = await h.query<{ code: string; reminder_ids: string[] }>(
      `SELECT code, reminder_ids FROM tools_appointments WHERE status = 'booked'`,
    );
    expect(booked).toHaveLength(1);
    const reminders = await h.query<{ text: string; template: string; state: string }>(
      `SELECT text, template, state FROM engine_follow_ups WHERE id = ANY($1::uuid[])`,
      [booked[0]!.reminder_ids],
    );
    expect(reminders).toEqual([
      { text: 'Lembrete: Corte às 10:00', template: 'reengage', state: 'scheduled' },
    ]);
    const notes = h.sim
      .messages({ accountId: h.accountId, displayId })
      .filter((m) => m.private)
      .map((m) => m.content);
    expect(notes.some((n) => n?.startsWith('📅 Booked: Corte with Ana'))).toBe(true);
  });

  it('schedules a follow-up that the engine cancels when the customer writes first', async () => {
    const h = await start();
    const first = h.sim.customer.sendText(maria(h), 'remind me tomorrow');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => outgoing(h, displayId).length === 1, { timeoutMs: 15_000 });
    expect(
      (await h.query<{ state: string }>(`SELECT state FROM engine_follow_ups`)).map((r) => r.state),
    ).toEqual(['scheduled']);
    h.sim.customer.sendText(maria(h), 'Oi de novo');
    await h.sim.waitFor(() => outgoing(h, displayId).length === 2, { timeoutMs: 15_000 });
    expect(await h.query(`SELECT state, detail FROM engine_follow_ups`)).toEqual([
      { state: 'cancelled', detail: 'customer wrote first' },
    ]);
  });
});
