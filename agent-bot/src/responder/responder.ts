import type { AnalyticsEventInput, HandoffReason } from '@switchboard/events';

/**
 * The seam between the conversation engine (lanes, burst merge, window, Chatwoot) and the
 * assistant (prompt, model, tools, knowledge, costs). The engine builds a TurnContext from
 * its own transcript and calls `respond`; the assistant never talks to Chatwoot directly: it
 * acts through `actions`, which the engine implements. Changes here are additive.
 */
export interface Responder {
  respond(context: TurnContext): Promise<TurnReply>;
}

export interface TurnContext {
  turnId: string;
  accountId: number;
  conversationId: number;
  inboxId: number;
  /** Name of the assistant (config key) that owns this inbox. */
  assistant: string;
  channel: 'whatsapp' | 'web' | 'api' | 'test';
  /** Conversation history for the model, oldest first (private notes excluded unless configured). */
  transcript: TranscriptEntry[];
  /** The customer messages this turn answers (already part of `transcript`). */
  pending: TranscriptEntry[];
  customer: CustomerProfile;
  window: { open: boolean; closesAt: string | null };
  /**
   * Whether humans are in (the assistant's business hours; always open when none are set).
   * With `outsideBusinessHours: answer_and_say_when` the assistant should say when they are back.
   */
  businessHours?: {
    open: boolean;
    nextOpenAt: string | null;
    policy: 'handoff' | 'answer' | 'answer_and_say_when';
  };
  /** The turn's clock (the simulator's clock in tests). */
  now: Date;
  /** Aborted when the turn is superseded (new customer messages) or its deadline passes. */
  signal: AbortSignal;
  actions: ConversationActions;
  /** Collects analytics events; the engine writes them in the turn's transaction. */
  emit(event: AnalyticsEventInput): void;
}

export interface TranscriptEntry {
  messageId: number;
  author: 'customer' | 'ai' | 'human_agent' | 'system';
  private: boolean;
  text: string;
  createdAt: string;
  attachments: TranscriptAttachment[];
  /** Transcript of a voice note, interpretation of an image, text of a PDF (media enrichment). */
  enrichment?: string;
  /** Title of the button/list item the customer picked, when the message is a reply to one. */
  selectedOption?: string;
}

export interface TranscriptAttachment {
  id: number;
  fileType: 'image' | 'audio' | 'video' | 'file' | 'location' | 'contact' | 'fallback';
  dataUrl: string | null;
  contentType?: string;
  /** Loaded bytes, when the engine fetched them (images for vision-capable models). */
  data?: Uint8Array;
}

export interface CustomerProfile {
  contactId: number | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  attributes: Record<string, unknown>;
}

export interface TurnReply {
  /** What to send, in order. Empty when the assistant hands off silently. */
  messages: OutgoingReply[];
  handoff?: HandoffRequest;
}

export type OutgoingReply =
  | { kind: 'text'; text: string }
  /** A short choice list: ≤3 options become buttons, more become a list. */
  | { kind: 'choices'; text: string; options: string[] }
  | { kind: 'file'; caption?: string; fileName: string; contentType: string; data: Uint8Array };

export interface HandoffRequest {
  reason: HandoffReason;
  /** For the agent's private note. */
  summary: string;
  /** Optional message to the customer ("A colleague will take over shortly"). */
  customerMessage?: string;
  teamId?: number;
  assigneeId?: number;
  /**
   * A call back the customer asked for: a validated E.164 number and when (ISO; null: when the
   * team is back). The engine writes it to the contact and the note and schedules a follow-up.
   */
  callback?: { number: string; at: string | null; followUpText?: string };
  /** The agents' private note when the engine composed a fuller one than `summary`. */
  note?: string;
}

/** What the assistant (and its tools) may do to the conversation, carried out by the engine. */
export interface ConversationActions {
  /** Merges into the Chatwoot contact's custom attributes (and name/email/phone when given). */
  updateContact(update: {
    name?: string;
    email?: string;
    phone?: string;
    customAttributes?: Record<string, unknown>;
  }): Promise<void>;
  /** Read-merge-write of the conversation's custom attributes (Chatwoot replaces them). */
  mergeConversationAttributes(attributes: Record<string, unknown>): Promise<void>;
  addLabels(labels: string[]): Promise<void>;
  /**
   * A private note for the agents (never shown to the customer). With `key`, at most one note
   * per key however often the caller is retried (see postOnce).
   */
  addPrivateNote(text: string, options?: { key?: string }): Promise<void>;
  /**
   * Schedules a message for later. A follow-up (the default) is cancelled if the customer writes
   * first; a reminder (`cancelOnCustomerMessage: false`, e.g. of a booked appointment) is not.
   * Returns its id.
   */
  scheduleFollowUp(followUp: {
    at: Date;
    text: string;
    template?: string;
    templateParams?: Record<string, string>;
    cancelOnCustomerMessage?: boolean;
    /** Idempotency key: scheduling the same key again schedules nothing more (a retried step). */
    key?: string;
  }): Promise<string>;
  cancelFollowUp(id: string): Promise<void>;
}
