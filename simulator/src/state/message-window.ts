import type { SimulatorContext } from '../context.js';
import type { ConversationRecord } from './records.js';
import { lastIncomingMessage } from './store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `Conversations::MessageWindowService#can_reply?`: WhatsApp allows free-form replies for 24 h after the
 * conversation's last incoming message; with no incoming message at all it is false. Web widgets always
 * can; API inboxes use `agent_reply_time_window` hours when set.
 */
export function canReply(context: SimulatorContext, conversation: ConversationRecord): boolean {
  const inbox = context.store.inboxes.get(conversation.inboxId);
  if (!inbox) return false;
  let windowMs: number | null;
  if (inbox.channelType === 'Channel::Whatsapp') windowMs = DAY_MS;
  else if (inbox.channelType === 'Channel::Api' && inbox.agentReplyTimeWindowHours !== null)
    windowMs = inbox.agentReplyTimeWindowHours * 60 * 60 * 1000;
  else windowMs = null;
  if (windowMs === null) return true;
  const last = lastIncomingMessage(context.store, conversation.id);
  if (!last) return false;
  return context.clock.nowMs() < last.createdAt + windowMs;
}
