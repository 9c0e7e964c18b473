import { randomUUID } from 'node:crypto';
import { performPendingHandoff } from '../handoff/perform-handoff.js';
import { acquireLane, releaseLane, renewLane } from '../queue/lane-lease.js';
import { loadConversation } from '../transcript/conversation-store.js';
import { burstWaitMs, loadUnanswered } from '../transcript/transcript-store.js';
import { QUEUES, type EngineContext, type TurnJob } from './engine-context.js';
import { finishTurn } from './finish-turn.js';
import { runTurn } from './run-turn.js';

/**
 * The conversation's lane: take the lease (or knock and leave), then loop until there is
 * nothing left: finish turns a crash left half-sent, carry out an owed handoff, wait for the
 * burst to go quiet, run a turn. Any error releases the lease and fails the job, which
 * pg-boss retries with backoff (Chatwoot down, responder failing below the threshold).
 */
export async function runLane(
  engine: EngineContext,
  job: TurnJob,
  meta: { createdOn: Date; startedOn: Date | null },
): Promise<void> {
  const key = { accountId: job.accountId, conversationId: job.conversationId };
  const { pool } = engine.db;
  const lease = engine.tuning.laneLeaseMs;
  // Per run, not per process: two jobs of one process must exclude each other too.
  const holder = `${engine.holderId}:${randomUUID().slice(0, 8)}`;
  const taken = await acquireLane(pool, key, holder, lease);
  if (!taken.acquired) {
    // The holder loops once more (dirty). If the holder is dead, come back when its lease ends.
    if (taken.leaseUntil) {
      const delay = Math.max(50, taken.leaseUntil.getTime() - Date.now() + 50);
      await engine.queue.send(QUEUES.turn, job, { startAfterMs: delay });
    }
    return;
  }
  const renew = setInterval(() => void renewLane(pool, key, holder, lease).catch(() => undefined), lease / 3);
  let queueDelayMs = meta.startedOn ? Math.max(0, meta.startedOn.getTime() - meta.createdOn.getTime()) : 0;
  let mergeDelayMs = 0;
  try {
    for (;;) {
      const conversation = await loadConversation(pool, key.accountId, key.conversationId);
      if (!conversation) break;
      const binding = engine.inbox(key.accountId, conversation.inboxId);
      if (!binding) break;
      const open = await pool.query<{ turn_id: string }>(
        `SELECT turn_id FROM engine_turns WHERE account_id = $1 AND conversation_id = $2 AND state = 'sending' ORDER BY created_at`,
        [key.accountId, key.conversationId],
      );
      for (const row of open.rows) await finishTurn(engine, conversation, row.turn_id);
      if (conversation.pendingHandoff) {
        await performPendingHandoff(engine, conversation, binding.assistant.conversation);
        continue;
      }
      const pending = await loadUnanswered(pool, key.accountId, key.conversationId);
      if (pending.length === 0) {
        if ((await releaseLane(pool, key, holder)) === 'released') return;
        continue;
      }
      const policy = binding.assistant.conversation;
      const wait = await burstWaitMs(
        pool,
        key.accountId,
        key.conversationId,
        policy.burstQuietMs,
        policy.burstMaxWaitMs,
      );
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        mergeDelayMs += wait;
        continue;
      }
      await runTurn(engine, binding, conversation, pending, { mergeDelayMs, queueDelayMs });
      mergeDelayMs = 0;
      queueDelayMs = 0;
    }
  } catch (error) {
    await pool
      .query(
        `UPDATE engine_conversations SET lane_holder = NULL, lane_lease_until = NULL
          WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3`,
        [key.accountId, key.conversationId, holder],
      )
      .catch(() => undefined);
    throw error;
  } finally {
    clearInterval(renew);
  }
  await releaseLane(pool, key, holder).catch(() => undefined);
}
