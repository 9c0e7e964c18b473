/**
 * Chatwoot account-webhook bodies in the shapes of the contract (§1.2-1.4, derived fixtures):
 * message events are message-shaped with the conversation nested, conversation events are
 * conversation-shaped at the top level.
 */
export function conversationObject(
  overrides: {
    id?: number;
    inboxId?: number;
    channel?: string;
    status?: string;
    phone?: string | null;
    accountId?: number;
  } = {},
) {
  const accountId = overrides.accountId ?? 1;
  return {
    additional_attributes: {},
    can_reply: true,
    channel: overrides.channel ?? 'Channel::Whatsapp',
    contact_inbox: { id: 55, contact_id: 42, inbox_id: overrides.inboxId ?? 7, source_id: '5511987654321' },
    id: overrides.id ?? 123,
    inbox_id: overrides.inboxId ?? 7,
    messages: [],
    labels: [],
    meta: {
      sender: {
        id: 42,
        name: 'Maria Silva',
        phone_number: overrides.phone === undefined ? '+5511987654321' : overrides.phone,
        type: 'contact',
      },
      assignee: null,
      assignee_type: null,
      team: null,
      hmac_verified: false,
    },
    status: overrides.status ?? 'pending',
    custom_attributes: {},
    snoozed_until: null,
    unread_count: 1,
    first_reply_created_at: null,
    priority: null,
    waiting_since: 1793613600,
    agent_last_seen_at: 0,
    contact_last_seen_at: 0,
    last_activity_at: 1793613600,
    timestamp: 1793613600,
    created_at: 1793613600,
    updated_at: 1793613600.512,
    account: { id: accountId, name: 'Acme' },
  };
}

export function messageCreated(options: {
  id: number;
  messageType: 'incoming' | 'outgoing' | 'template';
  senderType?: 'user' | 'agent_bot' | null;
  private?: boolean;
  content?: string | null;
  conversation?: Parameters<typeof conversationObject>[0];
  accountId?: number;
}) {
  const accountId = options.accountId ?? options.conversation?.accountId ?? 1;
  return {
    account: { id: accountId, name: 'Acme' },
    additional_attributes: {},
    content_attributes: {},
    content_type: 'text',
    content: options.content === undefined ? 'Olá' : options.content,
    conversation: conversationObject({ accountId, ...options.conversation }),
    created_at: '2026-11-02T12:00:00.512Z',
    id: options.id,
    inbox: { id: options.conversation?.inboxId ?? 7, name: 'WhatsApp Sales' },
    message_type: options.messageType,
    private: options.private ?? false,
    sender:
      options.messageType === 'incoming'
        ? { id: 42, name: 'Maria Silva', phone_number: '+5511987654321' }
        : options.senderType
          ? { id: 5, name: 'Ana', email: 'ana@example.com', type: options.senderType }
          : null,
    source_id: null,
    event: 'message_created',
  };
}
