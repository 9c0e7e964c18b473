import type { TranscriptEntry } from '../responder/responder.js';
import type { MessageEvent } from './chatwoot-payloads.js';

export type Author = TranscriptEntry['author'];

/**
 * Who wrote a message (contract §1.5). Contacts carry no sender.type; this bot is an
 * `agent_bot` with our id; a coexistence echo (sent from the WhatsApp Business app on the
 * phone) has no sender but `external_echo`, and is a human writing.
 */
export function messageAuthor(event: MessageEvent, botId: number): Author {
  if (event.message_type === 'incoming') return 'customer';
  if (event.message_type === 'template' || event.message_type === 'activity') return 'system';
  const sender = event.sender;
  if (!sender) return event.content_attributes?.external_echo === true ? 'human_agent' : 'system';
  if (sender.type === 'user') return 'human_agent';
  if (sender.type === 'agent_bot' && sender.id === botId) return 'ai';
  return 'system';
}
