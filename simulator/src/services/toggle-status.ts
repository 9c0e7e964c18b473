import type { SimulatorContext } from '../context.js';
import type { Actor } from '../events/simulator-events.js';
import { CONVERSATION_STATUSES, type ConversationRecord, type ConversationStatus } from '../state/records.js';
import { botHandoff, changeStatus } from './conversation-status.js';
import { updateConversation } from './update-conversation.js';

export class InvalidEnumError extends Error {
  constructor(value: unknown, attribute: string) {
    super(`'${String(value)}' is not a valid ${attribute}`);
    this.name = 'InvalidEnumError';
  }
}

export interface ToggleStatusResult {
  /** null on the bot-handoff path, as Chatwoot renders it. */
  success: boolean | null;
  currentStatus: ConversationStatus;
  snoozedUntil: number | null;
  handoff: boolean;
}

/**
 * `ConversationsController#toggle_status`: a bot moving `pending` → `open` is a handoff (`bot_handoff!`);
 * an explicit status is set; no status toggles open ↔ resolved. An agent (role agent) who opens an
 * unassigned conversation gets it assigned. Invalid statuses raise (the API answers 500, like Rails).
 */
export function toggleStatus(
  context: SimulatorContext,
  conversation: ConversationRecord,
  actor: Actor,
  input: { status?: string | null; snoozedUntil?: number | string | null },
): ToggleStatusResult {
  const requested = input.status ?? '';
  if (requested !== '' && !CONVERSATION_STATUSES.includes(requested as ConversationStatus)) {
    throw new InvalidEnumError(requested, 'status');
  }
  let success: boolean | null = true;
  let handoff = false;
  if (actor.type === 'agent_bot' && conversation.status === 'pending' && requested === 'open') {
    botHandoff(context, conversation, actor);
    success = null;
    handoff = true;
  } else if (requested !== '') {
    const status = requested as ConversationStatus;
    let snoozedUntil: number | null = null;
    if (
      status === 'snoozed' &&
      input.snoozedUntil !== undefined &&
      input.snoozedUntil !== null &&
      input.snoozedUntil !== ''
    ) {
      const seconds = Number(input.snoozedUntil);
      if (!Number.isFinite(seconds)) throw new InvalidEnumError(input.snoozedUntil, 'snoozed_until');
      snoozedUntil = seconds * 1000;
    }
    changeStatus(context, conversation, status, { actor, snoozedUntil });
  } else {
    changeStatus(context, conversation, conversation.status === 'open' ? 'resolved' : 'open', { actor });
  }
  if (actor.type === 'user' && conversation.status === 'open' && conversation.assigneeId === null) {
    const user = context.store.users.get(actor.id);
    if (user?.role === 'agent') updateConversation(context, conversation, { assigneeId: user.id });
  }
  return { success, currentStatus: conversation.status, snoozedUntil: conversation.snoozedUntil, handoff };
}
