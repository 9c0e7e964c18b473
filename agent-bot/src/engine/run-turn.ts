import { randomUUID } from 'node:crypto';
import { outboxInsert, type AnalyticsEventInput } from '@switchboard/events';
import { raw } from 'sql-template-tag';
import { numberedFragment } from '../store/numbered-fragment.js';
import type { TurnReply } from '../assistant/responder.js';
import { detectHumanRequest } from '../handoff/human-request.js';
import type { ConversationState } from '../transcript/conversation-store.js';
import { loadUnanswered, type StoredMessage } from '../transcript/transcript-store.js';
import { replyWindow } from '../whatsapp/reply-window.js';
import { envelopeFor, stableEventId } from '@switchboard/events';
import { shouldAnswer } from './answer-rules.js';
import { businessHours } from './business-hours.js';
import { buildTurnContext, enrichPending } from './build-turn-context.js';
import type { EngineContext, InboxBinding } from './engine-context.js';
import { generateReply, markDiscarded, type Generation } from './generate-reply.js';
import { planReply } from './plan-reply.js';
import { fillTemplateContents } from '../whatsapp/template-content.js';
import { insertPartsSql, partRecords, plannedRows, type OutgoingRow } from './reply-sender.js';
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
  /** The transcript as read with `pending` (saves a round trip for the first generation). */
  transcript: StoredMessage[] | null = null,
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
  if (decision.resume || conversation.resumeToPending) {
    // The bot takes the conversation back from a silent human: pending first, so Chatwoot
    // shows it as the bot's again (a failure here fails the lane, which retries).
    await client.toggleStatus(conversation.conversationId, 'pending');
    await engine.db.pool.query(
      `UPDATE engine_conversations SET bot_state = 'active', handed_off_at = NULL, handoff_reason = NULL,
              resume_to_pending = false, status = 'pending'
        WHERE account_id = $1 AND conversation_id = $2`,
      [conversation.accountId, conversation.conversationId],
    );
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
      enrich: (latest, signal) => enrichPending(engine, binding, conversation, latest, signal, emitted),
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
      await finishTurn(engine, conversation, turnId, committed);
      // A handoff was decided: the lane carries it out next.
      return { lookAgain: generation.reply.handoff !== undefined };
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
    handoff: reply.handoff ?? null,
  };
  const rows = plannedRows(plan.parts, 0, true);
  const ok = '(SELECT ok FROM guard)';
  const recorded = events.length > 0 ? numberedFragment(outboxInsert(events, raw(ok)), 12) : null;
  const result = await engine.db.pool.query<{ ok: boolean }>(
    `WITH guard AS (
       SELECT NOT EXISTS (
         SELECT 1 FROM engine_messages
          WHERE account_id = $2 AND conversation_id = $3 AND author = 'customer' AND turn_id IS NULL
            AND ignored = false AND NOT (message_id = ANY($4::bigint[]))) AS ok),
     turn AS (
       INSERT INTO engine_turns (turn_id, account_id, conversation_id, state, customer_message_ids,
           first_customer_message_at, merge_delay_ms, queue_delay_ms, regenerations, handoff)
       SELECT $1, $2, $3, 'sending', $4, $5, $6, $7, $8, $9 WHERE ${ok}),
     parts AS (${insertPartsSql('$1', '$2', '$3', '$10', ok)}),
     answered AS (
       UPDATE engine_messages SET turn_id = $1
        WHERE account_id = $2 AND message_id = ANY($4::bigint[]) AND turn_id IS NULL AND ${ok}),
     bookkeeping AS (
       UPDATE engine_conversations SET consecutive_failures = 0, pending_handoff = COALESCE($11::jsonb, pending_handoff)
        WHERE account_id = $2 AND conversation_id = $3 AND ${ok})
     ${recorded ? `, recorded AS (${recorded.sql})` : ''}
     SELECT ok FROM guard`,
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
      partRecords(rows),
      reply.handoff ? JSON.stringify({ ...reply.handoff, turnId }) : null,
      ...(recorded ? recorded.values : []),
    ],
  );
  return result.rows[0]!.ok ? { turn, parts: rows } : null;
}

function handoffReply(
  reason: 'customer_request' | 'keyword' | 'outside_business_hours',
  summary: string,
): TurnReply {
  return { messages: [], handoff: { reason, summary } };
}
