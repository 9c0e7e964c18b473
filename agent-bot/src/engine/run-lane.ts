import { performPendingHandoff } from '../handoff/perform-handoff.js';
import { releaseLane, renewLane, type ClaimedLane } from '../queue/lane-lease.js';
import type { EngineContext } from './engine-context.js';
import { finishTurn } from './finish-turn.js';
import { burstWaitMs, loadLaneSnapshot } from './lane-snapshot.js';
import { runTurn } from './run-turn.js';

/**
 * A claimed conversation lane: loop until there is nothing left, then let go. Each pass reads
 * one snapshot and does the first thing due: finish turns a crash left half-sent, carry out an
 * owed handoff, wait for the burst to go quiet, run a turn. An error propagates to the
 * dispatcher, which lets the lane go with a backoff (Chatwoot down, responder failing below
 * the handoff threshold).
 */
export async function runLane(engine: EngineContext, lane: ClaimedLane): Promise<void> {
  const { pool } = engine.db;
  const leaseMs = engine.tuning.laneLeaseMs;
  const renew = setInterval(() => void renewLane(pool, lane, leaseMs).catch(() => undefined), leaseMs / 3);
  let mergeDelayMs = 0;
  let queueDelayMs: number | null = null;
  try {
    for (;;) {
      const snapshot = await loadLaneSnapshot(pool, lane.accountId, lane.conversationId);
      const binding = snapshot && engine.inbox(lane.accountId, snapshot.conversation.inboxId);
      if (!snapshot || !binding) break;
      const { conversation, unanswered } = snapshot;
      for (const turnId of snapshot.openTurnIds) await finishTurn(engine, conversation, turnId);
      if (conversation.pendingHandoff) {
        await performPendingHandoff(engine, conversation, binding.assistant.conversation);
        continue;
      }
      if (unanswered.length > 0) {
        // How long the oldest message waited for a lane to pick it up (the first pass only).
        queueDelayMs ??= Math.max(0, snapshot.now.getTime() - unanswered[0]!.receivedAt.getTime());
        const wait = burstWaitMs(snapshot, binding.assistant.conversation);
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          mergeDelayMs += wait;
          continue;
        }
        const { lookAgain } = await runTurn(engine, binding, conversation, unanswered, {
          mergeDelayMs,
          queueDelayMs,
        });
        mergeDelayMs = 0;
        queueDelayMs = 0;
        if (lookAgain) continue;
      }
      if ((await releaseLane(pool, lane, leaseMs)) === 'released') return;
    }
  } finally {
    clearInterval(renew);
  }
  await releaseLane(pool, lane, leaseMs, { drop: true });
}
