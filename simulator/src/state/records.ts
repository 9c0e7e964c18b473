/**
 * The simulator's rows, named and typed after Chatwoot's tables. Times are epoch milliseconds; the
 * presenters turn them into the ISO strings or epoch integers each payload uses.
 */

export type ConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = [
  'open',
  'resolved',
  'pending',
  'snoozed',
];
export type ConversationPriority = 'low' | 'medium' | 'high' | 'urgent';

/** Message.message_type enum (app/models/message.rb). */
export const MESSAGE_TYPES = { incoming: 0, outgoing: 1, activity: 2, template: 3 } as const;
export type MessageType = keyof typeof MESSAGE_TYPES;

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** Message.content_type enum, in Chatwoot's order. */
export const CONTENT_TYPES = [
  'text',
  'input_text',
  'input_textarea',
  'input_email',
  'input_select',
  'cards',
  'form',
  'article',
  'incoming_email',
  'input_csat',
  'integrations',
  'sticker',
  'voice_call',
] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export type FileType = 'image' | 'audio' | 'video' | 'file' | 'location' | 'fallback' | 'contact';

export type ChannelType = 'Channel::Whatsapp' | 'Channel::WebWidget' | 'Channel::Api';

export interface AccountRecord {
  id: number;
  name: string;
  /** account.settings.keep_pending_on_bot_failure */
  keepPendingOnBotFailure: boolean;
  /** Next per-account conversation display_id. */
  nextDisplayId: number;
}

export interface WhatsappTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface InboxRecord {
  id: number;
  accountId: number;
  name: string;
  channelType: ChannelType;
  /** WhatsApp: `whatsapp_cloud` or `default` (360dialog). */
  provider: string | null;
  phoneNumber: string | null;
  messageTemplates: WhatsappTemplate[];
  /** API inbox: additional_attributes.agent_reply_time_window in hours, null = always. */
  agentReplyTimeWindowHours: number | null;
  lockToSingleConversation: boolean;
  /** Greeting auto-message (greeting_enabled + greeting_message); null = disabled. */
  greetingMessage: string | null;
}

export interface AgentBotInboxRecord {
  inboxId: number;
  agentBotId: number;
  status: 'active' | 'inactive';
}

export interface AgentBotRecord {
  id: number;
  accountId: number;
  name: string;
  description: string;
  outgoingUrl: string;
  accessToken: string;
  /** HMAC secret; null sends unsigned webhooks like Chatwoot before 4.13. */
  secret: string | null;
}

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  accessToken: string;
  role: 'agent' | 'administrator';
  accountIds: number[];
  availabilityStatus: 'online' | 'offline' | 'busy';
}

export interface TeamRecord {
  id: number;
  accountId: number;
  name: string;
}

export interface ContactRecord {
  id: number;
  accountId: number;
  name: string;
  phoneNumber: string | null;
  email: string | null;
  identifier: string | null;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  blocked: boolean;
  createdAt: number;
}

export interface ContactInboxRecord {
  id: number;
  contactId: number;
  inboxId: number;
  /** WhatsApp: the wa_id digits, no `+`. */
  sourceId: string;
  hmacVerified: boolean;
  pubsubToken: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConversationRecord {
  /** Internal primary key; never shown to the bot. */
  id: number;
  displayId: number;
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId: number;
  status: ConversationStatus;
  priority: ConversationPriority | null;
  assigneeId: number | null;
  assigneeAgentBotId: number | null;
  teamId: number | null;
  labels: string[];
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  snoozedUntil: number | null;
  waitingSince: number | null;
  firstReplyCreatedAt: number | null;
  agentLastSeenAt: number | null;
  contactLastSeenAt: number | null;
  lastActivityAt: number;
  createdAt: number;
  updatedAt: number;
  /** Reporting events Chatwoot would write (`conversation_bot_handoff`, `conversation_resolved`, ...). */
  reportingEvents: { name: string; at: number }[];
}

export interface AttachmentRecord {
  id: number;
  messageId: number;
  accountId: number;
  fileType: FileType;
  /** Stored bytes (image/audio/video/file); null for location and contact. */
  blobKey: string | null;
  contentType: string | null;
  fileName: string | null;
  fileSize: number | null;
  isVoiceMessage: boolean;
  transcribedText: string | null;
  coordinatesLat: number | null;
  coordinatesLong: number | null;
  fallbackTitle: string | null;
  externalUrl: string | null;
  meta: Record<string, unknown>;
}

export interface MessageRecord {
  id: number;
  accountId: number;
  inboxId: number;
  conversationId: number;
  messageType: MessageType;
  content: string | null;
  contentType: ContentType;
  contentAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  private: boolean;
  status: MessageStatus;
  sourceId: string | null;
  senderType: 'Contact' | 'User' | 'AgentBot' | null;
  senderId: number | null;
  externalSourceIds: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  attachmentIds: number[];
}

export interface BlobRecord {
  key: string;
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

export interface AccountWebhookRecord {
  id: number;
  accountId: number;
  url: string;
  /** Empty = every event. */
  subscriptions: string[];
  secret: string | null;
}
