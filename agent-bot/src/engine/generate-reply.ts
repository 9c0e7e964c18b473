import type { AnalyticsEventInput } from '@switchboard/events';
import type { TurnContext, TurnReply } from '../responder/responder.js';
import { countResponderFailure, type ConversationState } from '../store/conversations.js';
import type { StoredMessage } from '../store/messages.js';
import type { EngineContext, InboxBinding } from './engine-context.js';

export interface Generation {
  /** The customer messages the reply answers (more than at the start if it was regenerated). */
  pending: StoredMessage[];
  reply: TurnReply;
  regenerations: number;
}

export interface GenerationSteps {
  build(pending: StoredMessage[], signal: AbortSignal): Promise<TurnContext>;
  enrich(pending: StoredMessage[], signal: AbortSignal): Promise<void>;
  reload(): Promise<StoredMessage[]>;
}

class Superseded extends Error {}

/**
 * Calls the responder with the typing indicator on (after `typingDelayMs`). When newer customer messages arrive
 * before the reply is committed, the generation is aborted and redone with them: the customer
 * gets one answer to everything they said. Events the discarded generation emitted (its model
 * cost) are kept, marked `discarded`. A responder failure counts towards the handoff threshold.
 */
export async function generateReply(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  initial: StoredMessage[],
  turnId: string,
  emitted: AnalyticsEventInput[],
  steps: GenerationSteps,
): Promise<Generation> {
  const policy = binding.assistant.conversation;
  const client = engine.client(conversation.accountId);
  const typing = (on: boolean): void =>
    void client.toggleTyping(conversation.conversationId, on).catch(() => undefined);
  let pending = initial;
  let regenerations = 0;
  // Only a generation that takes a moment shows "typing…": an instant answer would just flicker
  // it on and off (two API calls for nothing).
  let typingShown = false;
  const showTyping = setTimeout(() => {
    typingShown = true;
    typing(true);
  }, engine.tuning.typingDelayMs);
  try {
    for (;;) {
      const controller = new AbortController();
      const known = new Set(pending.map((m) => m.messageId));
      const supersede = (): void => controller.abort(new Superseded('newer customer messages'));
      const unsubscribe = engine.onCustomerMessage((accountId, conversationId) => {
        if (accountId === conversation.accountId && conversationId === conversation.conversationId)
          supersede();
      });
      const poll = setInterval(() => {
        steps
          .reload()
          .then((now) => {
            if (now.some((m) => !known.has(m.messageId))) supersede();
          })
          .catch(() => undefined);
      }, engine.tuning.newMessagePollMs);
      const deadline = setTimeout(
        () => controller.abort(new Error('turn deadline passed')),
        policy.turnDeadlineMs,
      );
      const firstEvent = emitted.length;
      let reply: TurnReply | null = null;
      let failure: unknown = null;
      let responding: Promise<TurnReply> | null = null;
      try {
        await steps.enrich(pending, controller.signal);
        const context = await steps.build(pending, controller.signal);
        responding = engine.responder.respond(context);
        reply = await raceAbort(responding, controller.signal);
      } catch (error) {
        failure = error;
      } finally {
        unsubscribe();
        clearInterval(poll);
        clearTimeout(deadline);
      }
      // An aborted generation still records its calls (answered ones, aborted ones estimated):
      // let it finish emitting before they are marked discarded and committed with the turn.
      if (controller.signal.aborted && responding) await settledWithin(responding, ABORT_SETTLE_MS);
      // Newer messages this process stored interrupt at once; other processes' are caught by
      // the poll, or at the latest by the commit's guard (runTurn), without a read here.
      const interrupted = controller.signal.reason instanceof Superseded;
      const latest = interrupted ? await steps.reload() : pending;
      const superseded = latest.some((m) => !known.has(m.messageId));
      if (superseded) {
        markDiscarded(emitted, firstEvent);
        regenerations++;
        pending = latest;
        continue;
      }
      if (reply) return { pending, reply, regenerations };
      return {
        pending,
        reply: await onFailure(engine, conversation, policy.handoff.maxConsecutiveFailures, failure),
        regenerations,
      };
    }
  } finally {
    clearTimeout(showTyping);
    if (typingShown) typing(false);
  }
}

/** How long an aborted responder may take to record its calls (its HTTP calls abort at once). */
const ABORT_SETTLE_MS = 5_000;

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Model calls of a generation whose reply will not be sent keep their cost, marked discarded. */
export function markDiscarded(emitted: AnalyticsEventInput[], from: number): void {
  for (let i = from; i < emitted.length; i++) {
    const event = emitted[i]!;
    if (event.type === 'model_call')
      emitted[i] = { ...event, payload: { ...event.payload, discarded: true } };
  }
}

/** Below the threshold the turn fails (the job retries later); at it, a human takes over. */
async function onFailure(
  engine: EngineContext,
  conversation: ConversationState,
  maxFailures: number,
  error: unknown,
): Promise<TurnReply> {
  const message = (error as Error)?.message ?? String(error);
  const failures = await countResponderFailure(engine.db.pool, conversation);
  engine.logger.warn(
    { conversation: conversation.conversationId, failures, error: message },
    'responder failed',
  );
  if (failures < maxFailures) throw new Error(`responder failed (${failures}/${maxFailures}): ${message}`);
  return {
    messages: [],
    handoff: {
      reason: 'repeated_failures',
      summary: `The assistant failed ${failures} times in a row: ${message}`.slice(0, 500),
    },
  };
}
