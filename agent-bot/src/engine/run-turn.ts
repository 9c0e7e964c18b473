import { randomUUID } from 'node:crypto';
import { envelopeFor, outboxInsert, stableEventId, type AnalyticsEventInput } from '@switchboard/events';
import type { Sql } from 'sql-template-tag';
import type { TurnReply } from '../responder/responder.js';
import { detectHumanRequest } from '../policies/human-request.js';
import { loadConversation, resumeBot, type ConversationState } from '../store/conversations.js';
import {
  ignoreUnanswered,
  loadUnanswered,
  unignoreUnanswered,
  type StoredMessage,
} from '../store/messages.js';
import { plannedRows, type OutgoingRow } from '../store/reply-parts.js';
import { commitTurn as commitTurnRows, type TurnRecord } from '../store/turns.js';
import { planReply } from '../whatsapp/plan-reply.js';
import { replyWindow } from '../policies/reply-window.js';
import { shouldAnswer } from '../policies/answer-rules.js';
import { businessHours } from '../policies/business-hours.js';
import { buildTurnContext, enrichPending } from './build-turn-context.js';
import type { EngineContext, InboxBinding } from './engine-context.js';
import { generateReply, markDiscarded, type Generation } from './generate-reply.js';
import { fillTemplateContents } from './steps/fill-template-contents.js';
import { finishTurn } from './steps/finish-turn.js';
import { captureCallbackWhileAway } from './steps/capture-callback.js';
import { prepareHandoff, recentCustomerTexts } from './steps/prepare-handoff.js';

export interface TurnTiming {
  mergeDelayMs: number;
  queueDelayMs: number;
}

/**
 * One turn: the pending customer messages → policies (handoff phrases, business hours) →
 * responder (regenerated when newer messages arrive) → a reply plan committed together with
 * the messages it answers and the turn's events → sending. Called only by the lane holder.
 */
export async function runTurn(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  pending: StoredMessage[],
  timing: TurnTiming,
  /** The transcript as read with `pending` (saves a round trip for the first generation). */
  transcript: StoredMessage[] | null = null,
  /** The lane's release, made with the turn's close when nothing follows (run-lane.ts). */
  release?: Sql,
): Promise<{ lookAgain: boolean; lane?: 'released' | 'keep' }> {
  const policy = binding.assistant.conversation;
  const now = engine.clock.now();
  const decision = shouldAnswer(conversation, policy, now);
  if (!decision.answer) {
    await captureCallbackWhileAway(engine, binding, conversation, pending);
    const ids = pending.map((m) => m.messageId);
    await ignoreUnanswered(engine.db.pool, conversation.accountId, ids);
    // The decision read the lane's snapshot. A hand-back committed before the ignore found these
    // messages not yet ignored, so its backlog rule left them, and the ignore would lose them:
    // look again after ignoring (one committed after it un-ignores them itself).
    const fresh = await loadConversation(engine.db.pool, conversation.accountId, conversation.conversationId);
    if (fresh && shouldAnswer(fresh, policy, engine.clock.now()).answer) {
      await unignoreUnanswered(engine.db.pool, conversation.accountId, ids);
      return { lookAgain: true };
    }
    return { lookAgain: false };
  }
  const client = engine.client(conversation.accountId);
  if (decision.resume || conversation.resumeToPending) {
    // The bot takes the conversation back from a silent human: pending first, so Chatwoot
    // shows it as the bot's again (a failure here fails the lane, which retries).
    await client.toggleStatus(conversation.conversationId, 'pending');
    await resumeBot(engine.db.pool, conversation);
  }

  const turnId = randomUUID();
  const emitted: AnalyticsEventInput[] = [];
  const produce = async (
    current: StoredMessage[],
    preloaded: StoredMessage[] | null,
  ): Promise<Generation> => {
    const text = current.map((m) => m.content ?? '').join('\n');
    const human = detectHumanRequest(text, policy.handoff.keywords, policy.handoff.builtinPhrases);
    if (human) {
      return {
        pending: current,
        regenerations: 0,
        reply: handoffReply(human.reason, `The customer asked for a human ("${human.matched}").`),
      };
    }
    if (!businessHours(binding.assistant, now).open && policy.outsideBusinessHours === 'handoff') {
      return {
        pending: current,
        regenerations: 0,
        reply: handoffReply('outside_business_hours', 'Message received outside business hours.'),
      };
    }
    return generateReply(engine, binding, conversation, current, turnId, emitted, {
      build: (latest, signal) =>
        // A regeneration has newer messages than the transcript read with the first pending.
        buildTurnContext(
          engine,
          binding,
          conversation,
          latest,
          turnId,
          signal,
          emitted,
          latest === current ? preloaded : null,
        ),
      enrich: (latest, signal) =>
        enrichPending(engine, binding, conversation, latest, signal, emitted, turnId),
      reload: () => loadUnanswered(engine.db.pool, conversation.accountId, conversation.conversationId),
    });
  };
  let current = pending;
  let preloaded = transcript;
  let superseded = 0;
  for (;;) {
    const generation = await produce(current, preloaded);
    const committed = await commitTurn(
      engine,
      binding,
      conversation,
      turnId,
      generation,
      superseded,
      timing,
      emitted,
    );
    if (committed) {
      // A handoff was decided: the lane carries it out next (so the lane is not let go here).
      const handoff = generation.reply.handoff !== undefined;
      const lane = await finishTurn(engine, conversation, turnId, committed, handoff ? undefined : release);
      return { lookAgain: handoff, ...(lane ? { lane } : {}) };
    }
    // Newer customer messages arrived after the reply was generated (another process stored
    // them): nothing was committed; answer everything together.
    markDiscarded(emitted, 0);
    superseded += generation.regenerations + 1;
    current = await loadUnanswered(engine.db.pool, conversation.accountId, conversation.conversationId);
    preloaded = null;
    if (current.length === 0) return { lookAgain: false };
  }
}

/**
 * The turn, its reply parts (the first one already claimed for posting), the messages it
 * answers, the conversation's bookkeeping and the turn's events: one statement, so it commits
 * whole or not at all, in one round trip. Guarded: when customer messages the reply does not
 * answer are waiting, nothing is written and null comes back (the turn regenerates).
 */
async function commitTurn(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  turnId: string,
  generation: Generation,
  earlierRegenerations: number,
  timing: TurnTiming,
  emitted: AnalyticsEventInput[],
): Promise<{ turn: TurnRecord; parts: OutgoingRow[] } | null> {
  const policy = binding.assistant.conversation;
  const answered = generation.pending;
  const reply = generation.reply;
  const messages = [...reply.messages];
  // A handoff is worded here, for the customer (their language, when the team is back) and the note.
  const prepared = reply.handoff
    ? prepareHandoff({
        assistant: binding.assistant,
        handoff: reply.handoff,
        customerTexts: await recentCustomerTexts(engine.db.pool, conversation, answered),
        customer: conversation.contact,
        events: emitted,
        humanWasHere: conversation.lastHumanMessageAt !== null,
        now: engine.clock.now(),
      })
    : null;
  const handoff = prepared?.handoff;
  if (prepared?.customerMessage) messages.push({ kind: 'text', text: prepared.customerMessage });
  const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now(), binding.channel);
  const plan = planReply({
    messages,
    window,
    policy,
    rendersMarkdown: binding.account.rendersMarkdown,
    channel: binding.channel,
    customerName: conversation.contact.name,
  });
  await fillTemplateContents(engine, conversation, plan.parts);
  const first = answered[0]!;
  const occurredAt = engine.clock.now().toISOString();
  const events = emitted.map(
    (event) =>
      ({
        ...envelopeFor(conversation),
        ...event,
        id: (event as { id?: string }).id ?? randomUUID(),
        occurredAt: (event as { occurredAt?: string }).occurredAt ?? occurredAt,
      }) as AnalyticsEventInput,
  );
  if (plan.skipped) {
    events.push({
      ...envelopeFor(conversation),
      id: stableEventId('reply_skipped', turnId),
      occurredAt,
      type: 'error',
      payload: { component: 'whatsapp-window', message: plan.skipped, code: 'window_closed' },
    });
  }
  const turn: TurnRecord = {
    customerMessageIds: answered.map((m) => m.messageId),
    firstCustomerMessageAt: first.createdAt,
    mergeDelayMs: Math.round(timing.mergeDelayMs),
    queueDelayMs: Math.max(0, Math.round(timing.queueDelayMs)),
    regenerations: earlierRegenerations + generation.regenerations,
    handoff: handoff ?? null,
  };
  const rows = plannedRows(plan.parts, 0, true);
  const committed = await commitTurnRows(
    engine.db.pool,
    { turnId, accountId: conversation.accountId, conversationId: conversation.conversationId },
    turn,
    rows,
    handoff
      ? {
          ...handoff,
          turnId,
          decidedAt: occurredAt,
          // The offer is in the last part when the reply goes out (perform-handoff checks it was sent).
          ...(prepared?.callbackOffered && rows.length > 0 ? { callbackOffered: true } : {}),
        }
      : null,
    events.length > 0 ? (guard) => outboxInsert(events, guard) : null,
  );
  return committed ? { turn, parts: rows } : null;
}

function handoffReply(
  reason: 'customer_request' | 'keyword' | 'outside_business_hours',
  summary: string,
): TurnReply {
  return { messages: [], handoff: { reason, summary } };
}
