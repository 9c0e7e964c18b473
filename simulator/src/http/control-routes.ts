import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { conversationJson } from '../presenters/api-presenter.js';
import { messagePushEventData } from '../presenters/message-presenter.js';
import type { ChatwootSimulator } from '../simulator.js';
import type { CustomerMessageInput } from '../services/receive-customer-message.js';
import { MESSAGE_STATUSES } from '../state/records.js';
import { ChatwootHttpError } from './http-errors.js';
import { describeIssues } from './request-schemas.js';

const customerMessageSchema = z.object({
  inboxId: z.number().int(),
  phone: z.string().regex(/^\+?[1-9]\d{6,14}$/),
  name: z.string().optional(),
  kind: z.enum(['text', 'voice', 'image', 'document', 'location', 'button_reply']),
  text: z.string().optional(),
  title: z.string().optional(),
  caption: z.string().optional(),
  fileName: z.string().optional(),
  contentType: z.string().optional(),
  /** Base64 file bytes for voice/image/document. */
  data: z.string().optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  locationName: z.string().optional(),
  address: z.string().optional(),
});

const agentReplySchema = z.object({
  userId: z.number().int(),
  accountId: z.number().int(),
  displayId: z.number().int(),
  content: z.string(),
  private: z.boolean().optional(),
});

const receiptSchema = z.object({
  messageId: z.number().int(),
  status: z.enum(MESSAGE_STATUSES),
  error: z.object({ code: z.number().int(), title: z.string() }).optional(),
});

const advanceSchema = z.object({ ms: z.number().nonnegative() });

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new ChatwootHttpError(422, { error: describeIssues(result.error) });
  return result.data;
}

function toCustomerInput(body: z.infer<typeof customerMessageSchema>): CustomerMessageInput {
  const bytes = Buffer.from(body.data ?? '', 'base64');
  const need = (value: string | undefined, field: string): string => {
    if (value === undefined)
      throw new ChatwootHttpError(422, { error: `${field} is required for ${body.kind}` });
    return value;
  };
  switch (body.kind) {
    case 'text':
      return { kind: 'text', text: need(body.text, 'text') };
    case 'voice':
      return { kind: 'voice', audio: bytes, contentType: body.contentType };
    case 'image':
      return {
        kind: 'image',
        image: bytes,
        caption: body.caption,
        contentType: body.contentType,
        fileName: body.fileName,
      };
    case 'document':
      return {
        kind: 'document',
        document: bytes,
        fileName: need(body.fileName, 'fileName'),
        caption: body.caption,
        contentType: body.contentType,
      };
    case 'location':
      if (body.latitude === undefined || body.longitude === undefined)
        throw new ChatwootHttpError(422, { error: 'latitude and longitude are required for location' });
      return {
        kind: 'location',
        latitude: body.latitude,
        longitude: body.longitude,
        name: body.locationName,
        address: body.address,
      };
    case 'button_reply':
      return { kind: 'button_reply', title: need(body.title, 'title') };
  }
}

/** `/_simulator/*`: the playground's controls (customer phone, agent dashboard, clock, recorder). Not Chatwoot API. */
export function registerControlRoutes(app: FastifyInstance, simulator: () => ChatwootSimulator): void {
  app.get('/_simulator/state', async () => {
    const { store } = simulator();
    return {
      accounts: [...store.accounts.values()],
      inboxes: [...store.inboxes.values()],
      agentBots: [...store.agentBots.values()],
      users: [...store.users.values()],
      conversations: [...store.conversations.values()].map((conversation) => ({
        accountId: conversation.accountId,
        displayId: conversation.displayId,
        status: conversation.status,
        inboxId: conversation.inboxId,
      })),
    };
  });
  app.post('/_simulator/customer/messages', async (request) => {
    const body = parse(customerMessageSchema, request.body);
    const sim = simulator();
    const received = sim.customer.send(
      { inboxId: body.inboxId, phone: body.phone, name: body.name },
      toCustomerInput(body),
    );
    return {
      messageId: received.message.id,
      conversation: {
        accountId: received.conversation.accountId,
        displayId: received.conversation.displayId,
      },
    };
  });
  app.post('/_simulator/agent/messages', async (request) => {
    const body = parse(agentReplySchema, request.body);
    const sim = simulator();
    const ref = { accountId: body.accountId, displayId: body.displayId };
    const message = body.private
      ? sim.agent.note(body.userId, ref, body.content)
      : sim.agent.reply(body.userId, ref, body.content);
    return messagePushEventData(sim.context, message);
  });
  app.get<{ Params: { accountId: string; displayId: string } }>(
    '/_simulator/conversations/:accountId/:displayId',
    async (request) => {
      const sim = simulator();
      const conversation = sim.conversation({
        accountId: Number(request.params.accountId),
        displayId: Number(request.params.displayId),
      });
      return {
        conversation: conversationJson(sim.context, conversation),
        messages: sim.messages(conversation).map((message) => messagePushEventData(sim.context, message)),
      };
    },
  );
  app.post('/_simulator/receipts', async (request) => {
    const body = parse(receiptSchema, request.body);
    return { applied: simulator().receipt(body.messageId, body.status, body.error) };
  });
  app.post('/_simulator/clock/advance', async (request) => {
    const body = parse(advanceSchema, request.body);
    const sim = simulator();
    sim.clock.advance(body.ms);
    return { now: sim.clock.now().toISOString() };
  });
  app.get('/_simulator/webhooks', async () => simulator().recorder.webhooks);
  app.get('/_simulator/api-calls', async () => simulator().recorder.apiCalls);
  app.get('/_simulator/channel-sends', async () => simulator().recorder.channelSends);
}
