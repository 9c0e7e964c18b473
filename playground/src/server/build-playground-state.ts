import type { ChatwootSimulator } from '@switchboard/simulator';
import type { ConversationRecord, MessageRecord } from '@switchboard/simulator';
import { blobRedirectPath } from '@switchboard/simulator';
import type { PlaygroundMessage, PlaygroundState } from '../playground-types.js';

/**
 * The customer's latest conversation in this inbox, found through their contact inbox: the phone's
 * digits on WhatsApp, the widget's visitor id on a website (a new one follows a resolution on WhatsApp).
 */
export function latestConversation(
  sim: ChatwootSimulator,
  inboxId: number,
  sourceId: string,
): ConversationRecord | null {
  const contactInboxId = sim.store.contactInboxesBySource.get(`${inboxId}:${sourceId}`);
  if (contactInboxId === undefined) return null;
  const ids = sim.store.conversationsByContactInbox.get(contactInboxId) ?? [];
  const id = ids.at(-1);
  return id === undefined ? null : (sim.store.conversations.get(id) ?? null);
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
  const items =
    (message.contentAttributes.items as Array<{ title?: string; value?: string }> | undefined) ?? [];
  const submitted =
    (message.contentAttributes.submitted_values as Array<{ value?: string }> | undefined) ?? [];
  return {
    id: message.id,
    kind: message.messageType,
    private: message.private,
    sender: senderName(sim, message),
    text: message.content ?? '',
    choices:
      message.contentType === 'input_select'
        ? items.map((item) => ({ title: item.title ?? '', value: item.value ?? item.title ?? '' }))
        : [],
    selected: submitted[0]?.value ?? null,
    template: (message.additionalAttributes.template_params as { name?: string } | undefined)?.name ?? null,
    attachments: message.attachmentIds.flatMap((id) => {
      const attachment = sim.store.attachments.get(id);
      if (!attachment) return [];
      return [
        {
          fileType: attachment.fileType,
          id: attachment.id,
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
