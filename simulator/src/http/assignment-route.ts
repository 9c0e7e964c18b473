import type { FastifyInstance } from 'fastify';
import type { SimulatorContext } from '../context.js';
import { agentJson } from '../presenters/api-presenter.js';
import type { AgentBotRecord, TeamRecord } from '../state/records.js';
import { requireRecord } from '../state/store.js';
import { assignConversation } from '../services/assign-conversation.js';
import { assignmentSchema } from './request-schemas.js';
import {
  callerName,
  CONVERSATION_PATH,
  loadConversation,
  parseBody,
  type ConversationRequest,
} from './route-helpers.js';

/** `POST .../assignments`: answers with the new assignee (user, agent bot or team), or `null`. */
export function registerAssignmentRoute(app: FastifyInstance, context: SimulatorContext): void {
  app.post(`${CONVERSATION_PATH}/assignments`, async (request: ConversationRequest, reply) => {
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
    if (result.kind === 'agent_bot')
      return agentBotJson(requireRecord(context.store.agentBots, result.agentBotId, 'agent bot'));
    if (result.kind === 'team') return teamJson(requireRecord(context.store.teams, result.teamId, 'team'));
    return reply.type('application/json').send('null');
  });
}

function agentBotJson(bot: AgentBotRecord) {
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

function teamJson(team: TeamRecord) {
  return {
    id: team.id,
    name: team.name,
    description: '',
    allow_auto_assign: true,
    account_id: team.accountId,
    is_member: false,
  };
}
