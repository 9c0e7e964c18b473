import type {
  AccountRecord,
  AccountWebhookRecord,
  AgentBotInboxRecord,
  AgentBotRecord,
  AttachmentRecord,
  BlobRecord,
  ContactInboxRecord,
  ContactRecord,
  ConversationRecord,
  InboxRecord,
  MessageRecord,
  TeamRecord,
  UserRecord,
} from './records.js';

/**
 * Every row the simulator holds, in memory. Ids are global sequences like Chatwoot's primary keys;
 * conversations also get a per-account `display_id`, which is the only id the API and webhooks show.
 */
export interface SimulatorStore {
  accounts: Map<number, AccountRecord>;
  inboxes: Map<number, InboxRecord>;
  agentBots: Map<number, AgentBotRecord>;
  agentBotInboxes: Map<number, AgentBotInboxRecord>;
  users: Map<number, UserRecord>;
  teams: Map<number, TeamRecord>;
  contacts: Map<number, ContactRecord>;
  contactInboxes: Map<number, ContactInboxRecord>;
  conversations: Map<number, ConversationRecord>;
  messages: Map<number, MessageRecord>;
  attachments: Map<number, AttachmentRecord>;
  blobs: Map<string, BlobRecord>;
  accountWebhooks: Map<number, AccountWebhookRecord>;
  /** conversation id → its message ids in creation order. */
  messagesByConversation: Map<number, number[]>;
  /** `${accountId}:${displayId}` → conversation id. */
  conversationsByDisplayId: Map<string, number>;
  /** `${inboxId}:${sourceId}` → contact inbox id (one customer's thread in one inbox). */
  contactInboxesBySource: Map<string, number>;
  /** contact inbox id → its conversation ids in creation order. */
  conversationsByContactInbox: Map<number, number[]>;
  sequences: Record<string, number>;
}

export function createStore(): SimulatorStore {
  return {
    accounts: new Map(),
    inboxes: new Map(),
    agentBots: new Map(),
    agentBotInboxes: new Map(),
    users: new Map(),
    teams: new Map(),
    contacts: new Map(),
    contactInboxes: new Map(),
    conversations: new Map(),
    messages: new Map(),
    attachments: new Map(),
    blobs: new Map(),
    accountWebhooks: new Map(),
    messagesByConversation: new Map(),
    conversationsByDisplayId: new Map(),
    contactInboxesBySource: new Map(),
    conversationsByContactInbox: new Map(),
    sequences: {},
  };
}

export function nextId(store: SimulatorStore, table: string): number {
  const next = (store.sequences[table] ?? 0) + 1;
  store.sequences[table] = next;
  return next;
}

/** Save a contact inbox and index it by inbox and source id. */
export function insertContactInbox(store: SimulatorStore, row: ContactInboxRecord): void {
  store.contactInboxes.set(row.id, row);
  store.contactInboxesBySource.set(`${row.inboxId}:${row.sourceId}`, row.id);
}

/** Save a new conversation and index it by display id and contact inbox. */
export function insertConversation(store: SimulatorStore, conversation: ConversationRecord): void {
  store.conversations.set(conversation.id, conversation);
  store.conversationsByDisplayId.set(`${conversation.accountId}:${conversation.displayId}`, conversation.id);
  const ids = store.conversationsByContactInbox.get(conversation.contactInboxId) ?? [];
  ids.push(conversation.id);
  store.conversationsByContactInbox.set(conversation.contactInboxId, ids);
  store.messagesByConversation.set(conversation.id, []);
}

export function findContactInbox(
  store: SimulatorStore,
  inboxId: number,
  sourceId: string,
): ContactInboxRecord | undefined {
  const id = store.contactInboxesBySource.get(`${inboxId}:${sourceId}`);
  return id === undefined ? undefined : store.contactInboxes.get(id);
}

export function conversationsOfContactInbox(
  store: SimulatorStore,
  contactInboxId: number,
): ConversationRecord[] {
  const out: ConversationRecord[] = [];
  for (const id of store.conversationsByContactInbox.get(contactInboxId) ?? []) {
    const conversation = store.conversations.get(id);
    if (conversation) out.push(conversation);
  }
  return out;
}

export function findConversation(
  store: SimulatorStore,
  accountId: number,
  displayId: number,
): ConversationRecord | undefined {
  const id = store.conversationsByDisplayId.get(`${accountId}:${displayId}`);
  return id === undefined ? undefined : store.conversations.get(id);
}

export function messagesOf(store: SimulatorStore, conversationId: number): MessageRecord[] {
  const ids = store.messagesByConversation.get(conversationId) ?? [];
  const out: MessageRecord[] = [];
  for (const id of ids) {
    const message = store.messages.get(id);
    if (message) out.push(message);
  }
  return out;
}

/** The conversation's last message that is neither activity nor private (`messages.chat.last`). */
export function lastChatMessage(store: SimulatorStore, conversationId: number): MessageRecord | undefined {
  const ids = store.messagesByConversation.get(conversationId) ?? [];
  for (let index = ids.length - 1; index >= 0; index -= 1) {
    const message = store.messages.get(ids[index] as number);
    if (message && message.messageType !== 'activity' && !message.private) return message;
  }
  return undefined;
}

export function lastIncomingMessage(
  store: SimulatorStore,
  conversationId: number,
): MessageRecord | undefined {
  const ids = store.messagesByConversation.get(conversationId) ?? [];
  for (let index = ids.length - 1; index >= 0; index -= 1) {
    const message = store.messages.get(ids[index] as number);
    if (message && message.messageType === 'incoming') return message;
  }
  return undefined;
}

/** The bot connected to an inbox, when that connection is active (`inbox.active_bot?`). */
export function activeInboxBot(store: SimulatorStore, inboxId: number): AgentBotRecord | undefined {
  const link = store.agentBotInboxes.get(inboxId);
  if (!link || link.status !== 'active') return undefined;
  return store.agentBots.get(link.agentBotId);
}

export function requireRecord<T>(map: Map<number, T>, id: number, what: string): T {
  const record = map.get(id);
  if (!record) throw new Error(`simulator: no ${what} with id ${id}`);
  return record;
}
