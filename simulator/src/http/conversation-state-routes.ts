import type { FastifyInstance } from 'fastify';
import { isoTime } from '../clock.js';
import type { SimulatorContext } from '../context.js';
import { conversationJson } from '../presenters/api-presenter.js';
import type { ConversationPriority } from '../state/records.js';
import { InvalidEnumError, toggleStatus } from '../services/toggle-status.js';
import { updateConversation } from '../services/update-conversation.js';
import { internalError } from './http-errors.js';
import {
  togglePrioritySchema,
  toggleStatusSchema,
  typingSchema,
  updateConversationSchema,
} from './request-schemas.js';
import {
  actorOf,
  CONVERSATION_PATH,
  loadConversation,
  parseBody,
  type ConversationRequest,
} from './route-helpers.js';

const PRIORITIES = ['low', 'medium', 'high', 'urgent'];

function parsePriority(value: string | null | undefined): ConversationPriority | null {
  if (value === undefined || value === null || value === '') return null;
  if (!PRIORITIES.includes(value)) throw internalError();
  return value as ConversationPriority;
}

/** Reading a conversation and changing its status, priority and typing indicator. */
export function registerConversationStateRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.get(CONVERSATION_PATH, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    return conversationJson(context, conversation);
  });

  app.patch(CONVERSATION_PATH, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(updateConversationSchema, request.body);
    if (body.priority !== undefined) {
      updateConversation(context, conversation, { priority: parsePriority(body.priority) });
    }
    return conversationJson(context, conversation);
  });

  app.post(`${CONVERSATION_PATH}/toggle_status`, async (request: ConversationRequest) => {
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
          // A datetime in Jbuilder: ISO 8601 (ms), not the epoch seconds the request sent.
          snoozed_until: result.snoozedUntil === null ? null : isoTime(result.snoozedUntil),
        },
      };
    } catch (error) {
      if (error instanceof InvalidEnumError) throw internalError();
      throw error;
    }
  });

  app.post(`${CONVERSATION_PATH}/toggle_priority`, async (request: ConversationRequest, reply) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(togglePrioritySchema, request.body);
    updateConversation(context, conversation, { priority: parsePriority(body.priority) });
    return reply.code(200).send();
  });

  app.post(`${CONVERSATION_PATH}/toggle_typing_status`, async (request: ConversationRequest, reply) => {
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
}
