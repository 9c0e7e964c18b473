import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClickHouse, SwitchboardConfig } from '@switchboard/core';
import { loadConversationInsight } from '@switchboard/analytics';
import type { ChatwootSimulator } from '@switchboard/simulator';
import type { PlaygroundState } from '../playground-types.js';
import type { PlaygroundSeed } from './seed-playground.js';
import { latestConversation, presentConversation, presentMessages } from './build-playground-state.js';
import { createPlaygroundSession } from './playground-session.js';
import { loadAnalyticsView } from './load-analytics-view.js';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface PlaygroundDependencies {
  sim: ChatwootSimulator;
  /** Read on the first request: the simulator is seeded once the services know their URLs. */
  seed: () => PlaygroundSeed;
  config: SwitchboardConfig;
  clickhouse: ClickHouse;
  /** Where the page's current customer is kept across restarts (the simulator's data dir). */
  dataDir?: string;
}

/** Bundles the page's TypeScript once, in memory (esbuild: tens of milliseconds, no CDN, no build dir). */
async function bundleApp(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(WEB_DIR, 'app.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    minify: true,
    sourcemap: 'inline',
  });
  return result.outputFiles[0]!.text;
}

const customerMessageSchema = z.strictObject({
  text: z.string().trim().min(1).max(4096),
  buttonReply: z.boolean().optional(),
  /** Website: the input_select message whose option was clicked (the text is its value). */
  messageId: z.number().int().positive().optional(),
});
const agentMessageSchema = z.strictObject({
  text: z.string().trim().min(1).max(4096),
  private: z.boolean().default(false),
});
const statusSchema = z.strictObject({ status: z.enum(['open', 'pending', 'resolved']) });
const clockSchema = z.strictObject({
  hours: z
    .number()
    .min(0)
    .max(24 * 30),
});
const newCustomerSchema = z.strictObject({
  inboxId: z.number().int().positive().optional(),
  /** Older pages: the first inbox of this assistant. */
  assistant: z.string().optional(),
});

/**
 * The local playground: a page and a small JSON API over the in-process Chatwoot simulator. The
 * customer pane sends as a WhatsApp customer, the agent pane acts as a human agent, and the turn
 * details come from analytics (ClickHouse), so what you see is what managers will see.
 */
export async function registerPlayground(
  parent: FastifyInstance,
  deps: PlaygroundDependencies,
): Promise<void> {
  // Its own encapsulated scope: multipart parsing and the error handler stay out of the service's routes.
  await parent.register(async (app) => {
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4 } });
    await playgroundRoutes(app, deps);
  });
}

async function playgroundRoutes(app: FastifyInstance, deps: PlaygroundDependencies): Promise<void> {
  const { sim } = deps;
  const appJs = await bundleApp();
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  const css = fs.readFileSync(path.join(WEB_DIR, 'app.css'), 'utf8');
  const session = createPlaygroundSession(deps.seed, deps.dataDir, (customer) => {
    const digits = customer.phone.replace(/\D/g, '');
    for (const contact of deps.sim.store.contacts.values())
      if (contact.phoneNumber?.replace(/\D/g, '') === digits || contact.email === customer.email) return true;
    return false;
  });
  const state = () => session.current();
  const isWeb = () => state().inbox.channel === 'web';
  /** The customer's contact inbox source id: the phone's digits on WhatsApp, the widget cookie on a website. */
  const sourceId = () => (isWeb() ? state().customer.visitorId : state().customer.phone.replace(/\D/g, ''));
  const customerRef = () => {
    const { inbox, customer } = state();
    return { inboxId: inbox.inbox.id, phone: customer.phone, name: customer.name };
  };
  const visitor = () => {
    const { inbox, customer } = state();
    return {
      inboxId: inbox.inbox.id,
      visitorId: customer.visitorId,
      email: customer.email,
      name: customer.name,
    };
  };
  const conversationOrFail = () => {
    const conversation = latestConversation(sim, state().inbox.inbox.id, sourceId());
    if (!conversation)
      throw Object.assign(new Error('no conversation yet: send a message as the customer first'), {
        statusCode: 409,
      });
    return conversation;
  };

  app.get('/playground', async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get('/playground/app.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(appJs),
  );
  app.get('/playground/app.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(css));

  app.get('/playground/api/state', async (): Promise<PlaygroundState> => {
    const current = state();
    const seed = current.seed;
    const conversation = latestConversation(sim, current.inbox.inbox.id, sourceId());
    const contact = conversation ? sim.store.contacts.get(conversation.contactId) : undefined;
    const [insight, analytics] = conversation
      ? await Promise.all([
          loadConversationInsight(deps.clickhouse, seed.accountId, conversation.displayId).catch(() => null),
          loadAnalyticsView(deps.clickhouse, seed.accountId, conversation.displayId).catch(() => null),
        ])
      : [null, null];
    return {
      assistants: seed.inboxes.map((entry) => {
        const assistant = deps.config.assistants[entry.assistant];
        return {
          key: entry.assistant,
          name: assistant?.name ?? entry.assistant,
          model: assistant ? `${assistant.model.provider}/${assistant.model.model}` : '?',
        };
      }),
      assistant: current.inbox.assistant,
      inboxes: seed.inboxes.map((entry) => ({
        id: entry.inbox.id,
        assistant: entry.assistant,
        channel: entry.channel,
        label: `${deps.config.assistants[entry.assistant]?.name ?? entry.assistant} · ${CHANNEL_LABELS[entry.channel] ?? entry.channel}`,
      })),
      inboxId: current.inbox.inbox.id,
      channel: current.inbox.channel,
      businessName: seed.accountName,
      clock: new Date(sim.clock.now()).toISOString(),
      customer: {
        phone: current.customer.phone,
        name: contact?.name ?? current.customer.name,
        email: current.customer.email,
        attributes: contact?.customAttributes ?? {},
      },
      conversation: conversation ? presentConversation(sim, conversation) : null,
      messages: conversation ? presentMessages(sim, conversation) : [],
      turns: insight?.turns ?? [],
      handoffs: insight?.handoffs ?? [],
      totalCostUsd: insight?.totalCostUsd ?? '0',
      analytics,
    };
  });

  app.post('/playground/api/customer/messages', async (request) => {
    const body = customerMessageSchema.parse(request.body);
    if (isWeb()) {
      // A click on a website option updates the bot's message (submitted_values); no new message.
      if (body.buttonReply && body.messageId !== undefined) {
        return { messageId: sim.widget.select(visitor(), body.messageId, body.text).id };
      }
      return { messageId: sim.widget.sendText(visitor(), body.text).message.id };
    }
    const sent = body.buttonReply
      ? sim.customer.sendButtonReply(customerRef(), body.text)
      : sim.customer.sendText(customerRef(), body.text);
    return { messageId: sent.message.id };
  });

  app.post('/playground/api/customer/attachments', async (request, reply) => {
    const file = await request.file();
    if (!file) return reply.code(400).send({ error: 'a file field is required' });
    const data = await file.toBuffer();
    const caption = (file.fields.caption as { value?: string } | undefined)?.value;
    const type = file.mimetype;
    const options = caption ? { caption } : {};
    if (isWeb()) {
      const sent = sim.widget.send(visitor(), {
        kind: 'file',
        bytes: data,
        contentType: type,
        fileName: file.filename,
        ...options,
      });
      return { messageId: sent.message.id };
    }
    const ref = customerRef();
    const sent = type.startsWith('audio/')
      ? sim.customer.sendVoiceNote(ref, data)
      : type.startsWith('image/')
        ? sim.customer.sendImage(ref, data, options)
        : sim.customer.sendDocument(ref, data, { fileName: file.filename, ...options });
    return { messageId: sent.message.id };
  });

  app.post('/playground/api/customer/new', async (request) => {
    const body = newCustomerSchema.parse(request.body ?? {});
    const inboxId =
      body.inboxId ?? state().seed.inboxes.find((entry) => entry.assistant === body.assistant)?.inbox.id;
    const next = session.startNew(inboxId);
    // A website visitor opening the widget: webwidget_triggered (the bot may greet).
    if (next.inbox.channel === 'web') sim.widget.open(visitor());
    return { phone: next.customer.phone, name: next.customer.name, email: next.customer.email };
  });

  app.post('/playground/api/agent/messages', async (request) => {
    const body = agentMessageSchema.parse(request.body);
    const conversation = conversationOrFail();
    const message = body.private
      ? sim.agent.note(state().seed.agent.id, conversation, body.text)
      : sim.agent.reply(state().seed.agent.id, conversation, body.text);
    return { messageId: message.id };
  });

  app.post('/playground/api/agent/status', async (request) => {
    const body = statusSchema.parse(request.body);
    const conversation = conversationOrFail();
    const agentId = state().seed.agent.id;
    if (body.status === 'resolved') sim.agent.resolve(agentId, conversation);
    else sim.agent.toggleStatus(agentId, conversation, body.status);
    return { status: body.status };
  });

  app.post('/playground/api/clock/advance', async (request) => {
    const body = clockSchema.parse(request.body);
    sim.clock.advance(body.hours * 60 * 60 * 1000);
    return { clock: new Date(sim.clock.now()).toISOString() };
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof z.ZodError) return reply.code(400).send({ error: z.prettifyError(error) });
    return reply.code(error.statusCode ?? 500).send({ error: error.message });
  });
}

const CHANNEL_LABELS: Record<string, string> = {
  whatsapp: 'WhatsApp',
  test: 'WhatsApp (test)',
  web: 'Website',
  api: 'API',
};
