import type { AnalyticsEventInput } from '@switchboard/events';
import type { AssistantConfig } from '@switchboard/core';
import { assistantSchema } from '@switchboard/core/config/assistants';
import type { ConversationActions, TranscriptEntry, TurnContext } from '../../responder/responder.js';

/** An assistant as the config loader would produce it (defaults filled in). */
export function assistantConfig(input: Record<string, unknown> = {}): AssistantConfig {
  return assistantSchema.parse({
    name: 'Riverside Bikes',
    systemPrompt: 'You help customers of Riverside Bikes.',
    ...input,
  });
}

export function customerMessage(
  text: string,
  messageId = 101,
  extra: Partial<TranscriptEntry> = {},
): TranscriptEntry {
  return {
    messageId,
    author: 'customer',
    private: false,
    text,
    createdAt: '2026-11-25T10:00:00Z',
    attachments: [],
    ...extra,
  };
}

const noActions: ConversationActions = {
  updateContact: async () => undefined,
  mergeConversationAttributes: async () => undefined,
  addLabels: async () => undefined,
  addPrivateNote: async () => undefined,
  scheduleFollowUp: async () => 'follow-up-1',
  cancelFollowUp: async () => undefined,
};

/** A TurnContext built by hand, as the engine would, collecting the events it emits. */
export function buildTurn(
  text: string | TranscriptEntry[],
  overrides: Partial<TurnContext> = {},
): { turn: TurnContext; events: AnalyticsEventInput[] } {
  const events: AnalyticsEventInput[] = [];
  const transcript = typeof text === 'string' ? [customerMessage(text)] : text;
  const pending = transcript.filter((e) => e.author === 'customer').slice(-1);
  const turn: TurnContext = {
    turnId: 'turn-1',
    accountId: 1,
    conversationId: 42,
    inboxId: 7,
    assistant: 'shop',
    channel: 'whatsapp',
    transcript,
    pending,
    customer: {
      contactId: 9,
      name: 'Ana',
      phone: '+351912345678',
      email: null,
      attributes: { plan: 'gold' },
    },
    window: { open: true, closesAt: '2026-11-26T10:00:00Z' },
    now: new Date('2026-11-25T10:00:05Z'),
    signal: new AbortController().signal,
    actions: noActions,
    emit: (event) => void events.push(event),
    ...overrides,
  };
  return { turn, events };
}
