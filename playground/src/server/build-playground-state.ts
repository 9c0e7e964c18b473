import type { ChatwootSimulator } from '@switchboard/simulator';
import type { ConversationRecord, MessageRecord } from '@switchboard/simulator';
import { blobRedirectPath } from '@switchboard/simulator';
import type { PlaygroundMessage, PlaygroundState } from '../playground-types.js';

export interface PlaygroundCustomer {
  phone: string;
  name: string;
}

/** The latest conversation of this customer in this inbox (WhatsApp opens a new one after resolution). */
export function latestConversation(
  sim: ChatwootSimulator,
  inboxId: number,
  phone: string,
): ConversationRecord | null {
  let latest: ConversationRecord | null = null;
  for (const conversation of sim.store.conversations.values()) {
    if (conversation.inboxId !== inboxId) continue;
    const contact = sim.store.contacts.get(conversation.contactId);
    if (contact?.phoneNumber !== phone) continue;
    if (!latest || conversation.id > latest.id) latest = conversation;
  }
  return latest;
}

export function presentConversation(
  sim: ChatwootSimulator,
  conversation: ConversationRecord,
): PlaygroundState['conversation'] {
  const assignee =
    conversation.assigneeId !== null
      ? (sim.store.users.get(conversation.assigneeId)?.name ?? `user ${conversation.assigneeId}`)
      : conversation.assigneeAgentBotId !== null
        ? `${sim.store.agentBots.get(conversation.assigneeAgentBotId)?.name ?? 'bot'} (bot)`
        : null;
  return {
    id: conversation.id,
    displayId: conversation.displayId,
    status: conversation.status,
    assignee,
    labels: conversation.labels,
    attributes: conversation.customAttributes,
  };
}

export function presentMessages(
  sim: ChatwootSimulator,
  conversation: ConversationRecord,
): PlaygroundMessage[] {
  return sim.messages(conversation).map((message) => presentMessage(sim, message));
}

function presentMessage(sim: ChatwootSimulator, message: MessageRecord): PlaygroundMessage {
  const items = (message.contentAttributes.items as Array<{ title?: string }> | undefined) ?? [];
  return {
    id: message.id,
    kind: message.messageType,
    private: message.private,
    sender: senderName(sim, message),
    text: message.content ?? '',
    choices: message.contentType === 'input_select' ? items.map((item) => item.title ?? '') : [],
    template: (message.additionalAttributes.template_params as { name?: string } | undefined)?.name ?? null,
    attachments: message.attachmentIds.flatMap((id) => {
      const attachment = sim.store.attachments.get(id);
      if (!attachment) return [];
      return [
        {
          fileType: attachment.fileType,
          url: attachment.blobKey ? `${sim.url}${blobRedirectPath(attachment)}` : null,
        },
      ];
    }),
    status: message.messageType === 'activity' ? null : message.status,
    error: (message.contentAttributes.external_error as string | undefined) ?? null,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}

function senderName(sim: ChatwootSimulator, message: MessageRecord): string {
  if (message.senderType === 'Contact')
    return sim.store.contacts.get(message.senderId ?? -1)?.name ?? 'customer';
  if (message.senderType === 'User') return sim.store.users.get(message.senderId ?? -1)?.name ?? 'agent';
  if (message.senderType === 'AgentBot')
    return `${sim.store.agentBots.get(message.senderId ?? -1)?.name ?? 'bot'} (AI)`;
  return message.messageType === 'template' ? 'template' : 'system';
}
