import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { updateConversation } from '../services/update-conversation.js';
import { customAttributesSchema, labelsSchema } from './request-schemas.js';
import { CONVERSATION_PATH, loadConversation, parseBody, type ConversationRequest } from './route-helpers.js';

/** Custom attributes and labels: both replace what was there (Chatwoot does not merge). */
export function registerConversationAttributeRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.post(`${CONVERSATION_PATH}/custom_attributes`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(customAttributesSchema, request.body);
    // Replaces the whole hash: keys not sent are gone.
    updateConversation(context, conversation, { customAttributes: { ...(body.custom_attributes ?? {}) } });
    return { custom_attributes: conversation.customAttributes };
  });

  app.get(`${CONVERSATION_PATH}/labels`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    return { payload: [...conversation.labels] };
  });

  app.post(`${CONVERSATION_PATH}/labels`, async (request: ConversationRequest) => {
    const { conversation } = loadConversation(context, request, true);
    const body = parseBody(labelsSchema, request.body);
    // `label_list=`: replaces the list (tags are stored lower-case and unique).
    const labels = [
      ...new Set((body.labels ?? []).map((label) => label.trim().toLowerCase()).filter(Boolean)),
    ];
    updateConversation(context, conversation, { labels });
    return { payload: [...conversation.labels] };
  });
}
