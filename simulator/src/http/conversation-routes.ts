import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { agentJson, conversationJson } from '../presenters/api-presenter.js';
import type { ConversationPriority, ConversationStatus } from '../state/records.js';
import { findConversation, insertContactInbox, nextId, requireRecord } from '../state/store.js';
import { secureToken } from '../ids.js';
import { assignConversation } from '../services/assign-conversation.js';
import { createOutgoingMessage } from '../services/create-outgoing-message.js';
import { createConversation } from '../services/receive-customer-message.js';
import { InvalidEnumError, toggleStatus } from '../services/toggle-status.js';
import { updateConversation } from '../services/update-conversation.js';
import { authenticate } from './authenticate.js';
import { internalError, notFound, unprocessable } from './http-errors.js';
import {
  assignmentSchema,
  createConversationSchema,
  customAttributesSchema,
  labelsSchema,
  togglePrioritySchema,
  toggleStatusSchema,
  typingSchema,
  updateConversationSchema,
} from './request-schemas.js';
import {
  actorOf,
  callerName,
  loadConversation,
  parseBody,
  parseId,
  type AccountParams,
  type ConversationParams,
} from './route-helpers.js';

const BASE = '/api/v1/accounts/:accountId/conversations/:conversationId';
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];

type ConversationRequest = FastifyRequest<{ Params: ConversationParams }>;

function parsePriority(value: string | null | undefined): ConversationPriority | null {
  if (value === undefined || value === null || value === '') return null;
  if (!PRIORITIES.includes(value)) throw internalError();
  return value as ConversationPriority;
}

/** Conversation endpoints; the ones in BOT_ACCESSIBLE_ENDPOINTS take bot tokens. */
export function registerConversationRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.get(BASE, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    return conversationJson(context, conversation);
  });

  app.patch(BASE, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(updateConversationSchema, request.body);
    if (body.priority !== undefined) {
      updateConversation(context, conversation, { priority: parsePriority(body.priority) });
    }
    return conversationJson(context, conversation);
  });

  app.post(`${BASE}/toggle_status`, async (request: ConversationRequest) => {
    const { caller, conversation } = loadConversation(context, request, true);
    const body = parseBody(toggleStatusSchema, request.body);
    try {
      const result = toggleStatus(context, conversation, actorOf(caller), {
        status: body.status,
        snoozedUntil: body.snoozed_until,
      });
      return {
        meta: {},
        payload: {
          success: result.success,
          conversation_id: conversation.displayId,
          current_status: result.currentStatus,
          snoozed_until: result.snoozedUntil === null ? null : Math.floor(result.snoozedUntil / 1000),
        },
      };
    } catch (error) {
      if (error instanceof InvalidEnumError) throw internalError();
      throw error;
    }
  });

  app.post(`${BASE}/toggle_priority`, async (request: ConversationRequest, reply) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(togglePrioritySchema, request.body);
    updateConversation(context, conversation, { priority: parsePriority(body.priority) });
    return reply.code(200).send();
  });

  app.post(`${BASE}/toggle_typing_status`, async (request: ConversationRequest, reply) => {
    const { caller, conversation } = loadConversation(context, request, true);
    const body = parseBody(typingSchema, request.body);
    // TypingStatusManager: only ActionCable and account webhooks hear this; nothing goes to WhatsApp.
    if (body.typing_status === 'on' || body.typing_status === 'off') {
      context.dispatch({
        name: body.typing_status === 'on' ? 'conversation_typing_on' : 'conversation_typing_off',
        conversationId: conversation.id,
        actor: actorOf(caller),
        isPrivate: body.is_private ?? false,
      });
    }
    return reply.code(200).send();
  });

  app.post(`${BASE}/custom_attributes`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(customAttributesSchema, request.body);
    // Replaces the whole hash: keys not sent are gone.
    updateConversation(context, conversation, { customAttributes: { ...(body.custom_attributes ?? {}) } });
    return { custom_attributes: conversation.customAttributes };
  });

  app.get(`${BASE}/labels`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    return { payload: [...conversation.labels] };
  });

  app.post(`${BASE}/labels`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(labelsSchema, request.body);
    // `label_list=`: replaces the list (tags are stored lower-case and unique).
    const labels = [
      ...new Set((body.labels ?? []).map((label) => label.trim().toLowerCase()).filter(Boolean)),
    ];
    updateConversation(context, conversation, { labels });
    return { payload: [...conversation.labels] };
  });

  app.post(`${BASE}/assignments`, async (request: ConversationRequest, reply) => {
    const { caller, conversation } = loadConversation(context, request, true);
    const raw = (request.body ?? {}) as Record<string, unknown>;
    const body = parseBody(assignmentSchema, raw);
    const result = assignConversation(
      context,
      conversation,
      {
        ...('assignee_id' in raw ? { assigneeId: body.assignee_id ?? null } : {}),
        assigneeType: body.assignee_type === 'AgentBot' ? 'AgentBot' : 'User',
        teamId: body.team_id ?? null,
      },
      callerName(caller),
    );
    if (result.kind === 'user')
      return agentJson(requireRecord(context.store.users, result.userId, 'user'), conversation.accountId);
    if (result.kind === 'agent_bot') {
      const bot = requireRecord(context.store.agentBots, result.agentBotId, 'agent bot');
      return {
        id: bot.id,
        name: bot.name,
        description: bot.description,
        thumbnail: '',
        outgoing_url: bot.outgoingUrl,
        bot_type: 'webhook',
        bot_config: {},
        account_id: bot.accountId,
      };
    }
    if (result.kind === 'team') {
      const team = requireRecord(context.store.teams, result.teamId, 'team');
      return {
        id: team.id,
        name: team.name,
        description: '',
        allow_auto_assign: true,
        account_id: team.accountId,
        is_member: false,
      };
    }
    return reply.type('application/json').send('null');
  });

  app.post(
    '/api/v1/accounts/:accountId/conversations',
    async (request: FastifyRequest<{ Params: AccountParams }>) => {
      const accountId = parseId(request.params.accountId);
      const caller = authenticate(context, request, accountId, { botAllowed: true });
      const body = parseBody(createConversationSchema, request.body);
      const inbox = context.store.inboxes.get(body.inbox_id);
      if (!inbox || inbox.accountId !== accountId) throw notFound();
      let contactInbox = [...context.store.contactInboxes.values()].find(
        (row) => row.inboxId === inbox.id && body.source_id !== undefined && row.sourceId === body.source_id,
      );
      if (!contactInbox) {
        const contact =
          body.contact_id === undefined ? undefined : context.store.contacts.get(body.contact_id);
        if (!contact || contact.accountId !== accountId) throw unprocessable('Contact is required');
        contactInbox = [...context.store.contactInboxes.values()].find(
          (row) => row.inboxId === inbox.id && row.contactId === contact.id,
        );
        if (!contactInbox) {
          const now = context.clock.nowMs();
          const id = nextId(context.store, 'contact_inboxes');
          contactInbox = {
            id,
            contactId: contact.id,
            inboxId: inbox.id,
            sourceId: body.source_id ?? (contact.phoneNumber ?? '').replace(/\D/g, ''),
            hmacVerified: false,
            pubsubToken: secureToken(24),
            createdAt: now,
            updatedAt: now,
          };
          insertContactInbox(context.store, contactInbox);
        }
      }
      const contact = requireRecord(context.store.contacts, contactInbox.contactId, 'contact');
      const status = body.status as ConversationStatus | undefined;
      if (status !== undefined && !['open', 'resolved', 'pending', 'snoozed'].includes(status))
        throw internalError();
      const conversation = createConversation(context, inbox, contact, contactInbox.id, {
        status,
        assigneeId: body.assignee_id ?? null,
        teamId: body.team_id ?? null,
      });
      if (body.custom_attributes) conversation.customAttributes = { ...body.custom_attributes };
      if (body.additional_attributes) conversation.additionalAttributes = { ...body.additional_attributes };
      if (body.message) {
        createOutgoingMessage(context, conversation, actorOf(caller), {
          content: body.message.content ?? null,
          templateParams: body.message.template_params,
        });
      }
      const fresh = findConversation(context.store, accountId, conversation.displayId) ?? conversation;
      return conversationJson(context, fresh);
    },
  );
}
