import { randomUUID } from 'node:crypto';
import { outboxInsert, type AnalyticsEventInput } from '@switchboard/analytics';
import type { TurnReply } from '../assistant/responder.js';
import { detectHumanRequest } from '../handoff/human-request.js';
import type { ConversationState } from '../transcript/conversation-store.js';
import { loadUnanswered, type StoredMessage } from '../transcript/transcript-store.js';
import { replyWindow } from '../whatsapp/reply-window.js';
import { envelopeFor, stableEventId } from './analytics-events.js';
import { shouldAnswer } from './answer-rules.js';
import { businessHours } from './business-hours.js';
import { buildTurnContext, enrichPending } from './build-turn-context.js';
import type { EngineContext, InboxBinding } from './engine-context.js';
import { generateReply, type Generation } from './generate-reply.js';
import { planReply } from './plan-reply.js';
import { insertPartsSql, partRecords, plannedRows } from './reply-sender.js';
import { finishTurn, type TurnRecord } from './finish-turn.js';

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
): Promise<{ lookAgain: boolean }> {
  const policy = binding.assistant.conversation;
  const now = engine.clock.now();
  const decision = shouldAnswer(conversation, policy, now);
  if (!decision.answer) {
    await engine.db.pool.query(
      `UPDATE engine_messages SET ignored = true WHERE account_id = $1 AND message_id = ANY($2::bigint[]) AND turn_id IS NULL`,
      [conversation.accountId, pending.map((m) => m.messageId)],
    );
    return { lookAgain: false };
  }
  const client = engine.client(conversation.accountId);
  if (conversation.resumeToPending) {
    await client.toggleStatus(conversation.conversationId, 'pending');
    await engine.db.pool.query(
      `UPDATE engine_conversations SET resume_to_pending = false, status = 'pending' WHERE account_id = $1 AND conversation_id = $2`,
      [conversation.accountId, conversation.conversationId],
    );
  }

  const turnId = randomUUID();
  const emitted: AnalyticsEventInput[] = [];
  let generation: Generation;
  const text = pending.map((m) => m.content ?? '').join('\n');
  const human = detectHumanRequest(text, policy.handoff.keywords, policy.handoff.builtinPhrases);
  const hours = businessHours(binding.assistant, now);
  if (human) {
    generation = {
      pending,
      regenerations: 0,
      reply: handoffReply(human.reason, `The customer asked for a human ("${human.matched}").`),
    };
  } else if (!hours.open && policy.outsideBusinessHours === 'handoff') {
    generation = {
      pending,
      regenerations: 0,
      reply: handoffReply('outside_business_hours', 'Message received outside business hours.'),
    };
  } else {
    generation = await generateReply(engine, binding, conversation, pending, turnId, emitted, {
      build: (current, signal) =>
        buildTurnContext(engine, binding, conversation, current, turnId, signal, emitted),
      enrich: (current, signal) => enrichPending(engine, binding, conversation, current, signal, emitted),
      reload: () => loadUnanswered(engine.db.pool, conversation.accountId, conversation.conversationId),
    });
  }
  const answered = generation.pending;
  const reply = generation.reply;
  const messages = [...reply.messages];
  const customerMessage = reply.handoff
    ? (reply.handoff.customerMessage ?? policy.handoff.customerMessage)
    : undefined;
  if (customerMessage) messages.push({ kind: 'text', text: customerMessage });
  const window = replyWindow(conversation.lastCustomerMessageAt, engine.clock.now());
  const plan = planReply({
    messages,
    window,
    policy,
    rendersMarkdown: binding.account.rendersMarkdown,
    customerName: conversation.contact.name,
  });
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
    regenerations: generation.regenerations,
    handoff: reply.handoff ?? null,
  };
  // The turn, its reply parts (the first one already claimed for posting), the messages it
  // answers, the conversation's bookkeeping and the turn's events: one statement, so it
  // commits whole or not at all, in one round trip.
  const recorded = events.length > 0 ? outboxInsert(events, 12) : null;
  await engine.db.pool.query(
    `WITH turn AS (
       INSERT INTO engine_turns (turn_id, account_id, conversation_id, state, customer_message_ids,
           first_customer_message_at, merge_delay_ms, queue_delay_ms, regenerations, handoff)
       VALUES ($1, $2, $3, 'sending', $4, $5, $6, $7, $8, $9)),
     parts AS (${insertPartsSql('$1', '$2', '$3', '$10')}),
     answered AS (
       UPDATE engine_messages SET turn_id = $1
        WHERE account_id = $2 AND message_id = ANY($4::bigint[]) AND turn_id IS NULL),
     bookkeeping AS (
       UPDATE engine_conversations SET consecutive_failures = 0, pending_handoff = COALESCE($11::jsonb, pending_handoff)
        WHERE account_id = $2 AND conversation_id = $3)
     ${recorded ? `, recorded AS (${recorded.sql})` : ''}
     SELECT 1`,
    [
      turnId,
      conversation.accountId,
      conversation.conversationId,
      turn.customerMessageIds,
      turn.firstCustomerMessageAt,
      turn.mergeDelayMs,
      turn.queueDelayMs,
      turn.regenerations,
      reply.handoff ? JSON.stringify(reply.handoff) : null,
      partRecords(plan.parts, 0, true),
      reply.handoff ? JSON.stringify({ ...reply.handoff, turnId }) : null,
      ...(recorded ? recorded.values : []),
    ],
  );
  await finishTurn(engine, conversation, turnId, { turn, parts: plannedRows(plan.parts, true) });
  // A handoff was decided: the lane carries it out next.
  return { lookAgain: reply.handoff !== undefined };
}

function handoffReply(
  reason: 'customer_request' | 'keyword' | 'outside_business_hours',
  summary: string,
): TurnReply {
  return { messages: [], handoff: { reason, summary } };
}
