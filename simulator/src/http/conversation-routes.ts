import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { registerAssignmentRoute } from './assignment-route.js';
import { registerConversationAttributeRoutes } from './conversation-attribute-routes.js';
import { registerConversationStateRoutes } from './conversation-state-routes.js';
import { registerCreateConversationRoute } from './create-conversation-route.js';

/** Conversation endpoints; the ones in BOT_ACCESSIBLE_ENDPOINTS take bot tokens. */
export function registerConversationRoutes(app: FastifyInstance, context: SimulatorContext): void {
  registerConversationStateRoutes(app, context);
  registerConversationAttributeRoutes(app, context);
  registerAssignmentRoute(app, context);
  registerCreateConversationRoute(app, context);
}
