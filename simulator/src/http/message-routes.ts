import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { contactJson, agentJson } from '../presenters/api-presenter.js';
import { messagePushEventData } from '../presenters/message-presenter.js';
import { messagesOf } from '../state/store.js';
import { MessageCreateError } from '../services/create-message.js';
import { createOutgoingMessage, type UploadedFile } from '../services/create-outgoing-message.js';
import { unprocessable } from './http-errors.js';
import { createMessageSchema, listMessagesQuery, templateParamsSchema } from './request-schemas.js';
import { actorOf, loadConversation, parseBody, type ConversationParams } from './route-helpers.js';

const BASE = '/api/v1/accounts/:accountId/conversations/:conversationId/messages';

type MessagesRequest = FastifyRequest<{ Params: ConversationParams }>;

/** Bodies parsed from multipart carry their files here (see server.ts content parser). */
export interface BodyWithFiles {
  __files?: UploadedFile[];
}

/**
 * POST messages (bots allowed) and GET messages (user tokens only: history is not for bots).
 * Creation errors are Chatwoot's `render_could_not_create_error`: 422 `{ "error": message }`.
 */
export function registerMessageRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.post(BASE, async (request: MessagesRequest) => {
    const { caller, conversation } = loadConversation(context, request, true);
    const raw = (request.body ?? {}) as Record<string, unknown> & BodyWithFiles;
    const files = raw.__files ?? [];
    const body = parseBody(createMessageSchema, withoutFiles(raw));
    let templateParams: Record<string, unknown> | undefined;
    if (typeof body.template_params === 'string') {
      try {
        templateParams = templateParamsSchema.parse(JSON.parse(body.template_params));
      } catch {
        throw unprocessable('Validation failed: Template params is invalid');
      }
    } else {
      templateParams = body.template_params;
    }
    let senderOverride: { type: 'AgentBot'; id: number } | undefined;
    if (caller.type === 'user' && body.sender_type === 'AgentBot' && body.sender_id !== undefined) {
      const bot = context.store.agentBots.get(body.sender_id);
      if (bot) senderOverride = { type: 'AgentBot', id: bot.id };
    }
    try {
      const message = createOutgoingMessage(context, conversation, actorOf(caller), {
        content: body.content ?? null,
        messageType: body.message_type,
        private: body.private,
        contentType: body.content_type,
        contentAttributes: body.content_attributes,
        templateParams,
        isVoiceMessage: body.is_voice_message,
        sourceId: body.source_id ?? null,
        campaignId: body.campaign_id,
        senderOverride,
        files,
      });
      const json = messagePushEventData(context, message);
      if (body.echo_id) json.echo_id = body.echo_id;
      return json;
    } catch (error) {
      if (error instanceof MessageCreateError) throw unprocessable(error.message);
      throw error;
    }
  });

  app.get(BASE, async (request: MessagesRequest) => {
    const { conversation } = loadConversation(context, request, false);
    const query = parseBody(listMessagesQuery, request.query);
    let messages = messagesOf(context.store, conversation.id);
    if (query.filter_internal_messages) {
      messages = messages.filter((message) => message.messageType !== 'activity' && !message.private);
    }
    // MessageFinder: latest 20; `before` → 20 older; `after` → up to 100 newer; both → up to 1000 between.
    if (query.before !== undefined && query.after !== undefined) {
      messages = messages
        .filter((message) => message.id > query.after! && message.id < query.before!)
        .slice(0, 1000);
    } else if (query.after !== undefined) {
      messages = messages.filter((message) => message.id > query.after!).slice(0, 100);
    } else if (query.before !== undefined) {
      messages = messages.filter((message) => message.id < query.before!).slice(-20);
    } else {
      messages = messages.slice(-20);
    }
    const contact = context.store.contacts.get(conversation.contactId);
    const assignee =
      conversation.assigneeId === null ? undefined : context.store.users.get(conversation.assigneeId);
    return {
      meta: {
        labels: [...conversation.labels],
        additional_attributes: conversation.additionalAttributes,
        contact: contact ? contactJson(context, contact) : null,
        assignee: assignee ? agentJson(assignee, conversation.accountId) : null,
        agent_last_seen_at:
          conversation.agentLastSeenAt === null ? null : new Date(conversation.agentLastSeenAt).toISOString(),
        assignee_last_seen_at: null,
      },
      payload: messages.map((message) => messagePushEventData(context, message)),
    };
  });
}

function withoutFiles(raw: Record<string, unknown> & BodyWithFiles): Record<string, unknown> {
  const { __files: _files, ...rest } = raw;
  return rest;
}
