import type { AnalyticsEventInput } from '@switchboard/events';
import { assistantSchema } from '@switchboard/core/config/assistants';
import type { AssistantConfig } from '@switchboard/core';
import type { ConversationActions, TurnContext } from '../../responder/responder.js';
import { runToolLoop, type ToolLoopResult } from '../tool-loop.js';
import type { ToolCall } from '../../llm/language-model.js';
import { ScriptedLanguageModel } from '../../llm/scripted-language-model.js';
import type { Tool, ToolContext } from '../../tools/tool.js';

/**
 * Test kit for the operator tools: a TurnContext whose ConversationActions behave like the
 * engine's against Chatwoot (contact attributes merge, conversation attributes read-merge-write)
 * and record every call, and a runner that drives tools through the real tool loop with a
 * scripted model.
 */
export interface FakeConversation {
  actions: ConversationActions;
  contact: { name?: string; email?: string; phone?: string; customAttributes: Record<string, unknown> };
  conversationAttributes: Record<string, unknown>;
  notes: string[];
  followUps: Array<{
    id: string;
    at: Date;
    text: string;
    template?: string;
    templateParams?: Record<string, string>;
  }>;
  cancelledFollowUps: string[];
  failNextWith?: Error;
}

export function fakeConversation(initial: Partial<FakeConversation['contact']> = {}): FakeConversation {
  const state: FakeConversation = {
    contact: { customAttributes: {}, ...initial },
    conversationAttributes: {},
    notes: [],
    followUps: [],
    cancelledFollowUps: [],
    actions: undefined as unknown as ConversationActions,
  };
  const failing = () => {
    const error = state.failNextWith;
    state.failNextWith = undefined;
    if (error) throw error;
  };
  state.actions = {
    async updateContact(update) {
      failing();
      const { customAttributes, ...fields } = update;
      Object.assign(state.contact, fields);
      state.contact.customAttributes = { ...state.contact.customAttributes, ...customAttributes };
    },
    async mergeConversationAttributes(attributes) {
      failing();
      state.conversationAttributes = { ...state.conversationAttributes, ...attributes };
    },
    async addLabels() {},
    async addPrivateNote(text) {
      state.notes.push(text);
    },
    async scheduleFollowUp(followUp) {
      failing();
      const id = `followup-${state.followUps.length + 1}`;
      state.followUps.push({ id, ...followUp });
      return id;
    },
    async cancelFollowUp(id) {
      state.cancelledFollowUps.push(id);
    },
  };
  return state;
}

export function testAssistant(overrides: Record<string, unknown> = {}): AssistantConfig {
  return assistantSchema.parse({ name: 'Salon', systemPrompt: 'You help customers.', ...overrides });
}

export function testTurn(conversation: FakeConversation, overrides: Partial<TurnContext> = {}): TurnContext {
  return {
    turnId: 'turn-1',
    accountId: 1,
    conversationId: 7,
    inboxId: 3,
    assistant: 'salon',
    channel: 'whatsapp',
    transcript: [],
    pending: [],
    customer: { contactId: 42, name: 'Maria', phone: '+4915112345678', email: null, attributes: {} },
    window: { open: true, closesAt: null },
    now: new Date('2026-03-01T12:00:00Z'),
    signal: new AbortController().signal,
    actions: conversation.actions,
    emit: () => undefined,
    ...overrides,
  };
}

export function testToolContext(turn: TurnContext, assistant = testAssistant()): ToolContext {
  return { turn, assistant, signal: turn.signal, requestHandoff: () => undefined, emit: () => undefined };
}

/** Plays the scripted tool calls (one array per model step) through the real loop. */
export async function runScriptedTools(
  tools: Tool[],
  steps: Array<Array<{ name: string; arguments: unknown }>>,
  turn: TurnContext,
  assistant = testAssistant(),
): Promise<{ loop: ToolLoopResult; results: unknown[]; events: AnalyticsEventInput[] }> {
  const model = new ScriptedLanguageModel({
    steps: [
      ...steps.map((calls, step) => ({
        toolCalls: calls.map((call, index): ToolCall => ({ id: `call-${step}-${index}`, ...call })),
      })),
      { text: 'Done.' },
    ],
  });
  const events: AnalyticsEventInput[] = [];
  const loop = await runToolLoop({
    generate: (request) => model.generate(request),
    request: { system: 'test', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    tools,
    maxSteps: steps.length + 1,
    signal: turn.signal,
    toolContext: { turn, assistant, emit: (event) => events.push(event) },
  });
  const results = loop.messages.flatMap((m) => (m.role === 'tool' ? m.results.map((r) => r.content) : []));
  return { loop, results, events };
}
