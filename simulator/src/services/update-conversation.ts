import type { SimulatorContext } from '../context.js';
import { isoTime } from '../clock.js';
import type { ChangedAttributes } from '../events/simulator-events.js';
import type { ConversationRecord } from '../state/records.js';

/** Fields whose change fires `conversation_updated` (Conversation#list_of_keys), by Chatwoot column name. */
const TRACKED = {
  teamId: 'team_id',
  assigneeId: 'assignee_id',
  assigneeAgentBotId: 'assignee_agent_bot_id',
  status: 'status',
  snoozedUntil: 'snoozed_until',
  customAttributes: 'custom_attributes',
  labels: 'label_list',
  waitingSince: 'waiting_since',
  firstReplyCreatedAt: 'first_reply_created_at',
  priority: 'priority',
} as const;

const TIME_FIELDS = new Set(['snoozedUntil', 'waitingSince', 'firstReplyCreatedAt']);

export type ConversationChanges = Partial<
  Pick<ConversationRecord, keyof typeof TRACKED | 'additionalAttributes'>
>;

/**
 * Apply changes to a conversation and, when a tracked field really changed, dispatch
 * `conversation_updated` with Rails' `previous_changes` (updated_at included). Returns what changed.
 */
export function updateConversation(
  context: SimulatorContext,
  conversation: ConversationRecord,
  changes: ConversationChanges,
): ChangedAttributes {
  const changed: ChangedAttributes = [];
  const previousUpdatedAt = conversation.updatedAt;
  for (const [field, value] of Object.entries(changes) as [keyof ConversationChanges, unknown][]) {
    const previous = conversation[field];
    if (sameValue(previous, value)) continue;
    (conversation as unknown as Record<string, unknown>)[field] = value;
    const column = field in TRACKED ? TRACKED[field as keyof typeof TRACKED] : 'additional_attributes';
    changed.push({
      [column]: { previous_value: serialise(field, previous), current_value: serialise(field, value) },
    });
  }
  if (changed.length === 0) return changed;
  conversation.updatedAt = context.clock.nowMs();
  changed.push({
    updated_at: {
      previous_value: isoTime(previousUpdatedAt),
      current_value: isoTime(conversation.updatedAt),
    },
  });
  if (changed.some((entry) => !('additional_attributes' in entry) && !('updated_at' in entry))) {
    context.dispatch({
      name: 'conversation_updated',
      conversationId: conversation.id,
      changedAttributes: changed,
    });
  }
  return changed;
}

function serialise(field: string, value: unknown): unknown {
  if (TIME_FIELDS.has(field) && typeof value === 'number') return isoTime(value);
  if (Array.isArray(value)) return [...value];
  if (value && typeof value === 'object') return { ...value };
  return value ?? null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
