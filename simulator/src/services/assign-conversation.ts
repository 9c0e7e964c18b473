import type { SimulatorContext } from '../context.js';
import type { ConversationRecord } from '../state/records.js';
import { createActivityMessage } from './create-message.js';
import { updateConversation, type ConversationChanges } from './update-conversation.js';

export interface AssignmentInput {
  assigneeId?: number | null;
  assigneeType?: 'User' | 'AgentBot';
  teamId?: number | null;
}

export type AssignmentResult =
  | { kind: 'user'; userId: number }
  | { kind: 'agent_bot'; agentBotId: number }
  | { kind: 'team'; teamId: number }
  | { kind: 'unassigned' };

/**
 * `Conversations::AssignmentService`: `assignee_id` (present in the params, even null) wins over
 * `team_id`. An id that is not a user of the account unassigns. Assigning a user clears the bot
 * assignment; `assignee_type: "AgentBot"` assigns a bot to the conversation (since 4.8).
 */
export function assignConversation(
  context: SimulatorContext,
  conversation: ConversationRecord,
  input: AssignmentInput,
  actorName: string | null,
): AssignmentResult {
  const { store } = context;
  if ('assigneeId' in input && input.assigneeId !== undefined) {
    if (input.assigneeType === 'AgentBot') {
      const bot = input.assigneeId === null ? undefined : store.agentBots.get(input.assigneeId);
      if (bot && bot.accountId === conversation.accountId) {
        updateConversation(context, conversation, { assigneeAgentBotId: bot.id, assigneeId: null });
        return { kind: 'agent_bot', agentBotId: bot.id };
      }
      updateConversation(context, conversation, { assigneeAgentBotId: null });
      return { kind: 'unassigned' };
    }
    const user = input.assigneeId === null ? undefined : store.users.get(input.assigneeId);
    if (user && user.accountIds.includes(conversation.accountId)) {
      updateConversation(context, conversation, { assigneeId: user.id, assigneeAgentBotId: null });
      if (actorName) createActivityMessage(context, conversation, `Assigned to ${user.name} by ${actorName}`);
      return { kind: 'user', userId: user.id };
    }
    const changes: ConversationChanges = { assigneeId: null };
    updateConversation(context, conversation, changes);
    if (actorName) createActivityMessage(context, conversation, `Conversation unassigned by ${actorName}`);
    return { kind: 'unassigned' };
  }
  if (input.teamId !== undefined && input.teamId !== null) {
    const team = store.teams.get(input.teamId);
    if (team && team.accountId === conversation.accountId) {
      updateConversation(context, conversation, { teamId: team.id });
      return { kind: 'team', teamId: team.id };
    }
  }
  return { kind: 'unassigned' };
}
