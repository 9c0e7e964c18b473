import { burstWaitMs } from '../policies/burst-wait.js';
import { loadLaneSnapshot, toLaneSnapshot, type LaneSnapshot } from '../store/lane-snapshot.js';
import { releaseLane, releaseStatement, renewLane, type ClaimedLane } from '../store/lanes.js';
import type { EngineContext } from './engine-context.js';
import { runTurn } from './run-turn.js';
import { finishTurn } from './steps/finish-turn.js';
import { performPendingHandoff } from './steps/perform-handoff.js';

/**
 * A claimed conversation lane: loop until there is nothing left, then let go. Each pass reads
 * one snapshot and does the first thing due: finish turns a crash left half-sent, carry out an
 * owed handoff, wait for the burst to go quiet, run a turn. An error propagates to the
 * dispatcher, which lets the lane go with a backoff (Chatwoot down, responder failing below
 * the handoff threshold).
 */
/** How long before the burst window ends the lane takes its last look. */
const LOOKAHEAD_MS = 5;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLane(engine: EngineContext, lane: ClaimedLane): Promise<void> {
  const { pool } = engine.db;
  const leaseMs = engine.tuning.laneLeaseMs;
  const renew = setInterval(() => void renewLane(pool, lane, leaseMs).catch(() => undefined), leaseMs / 3);
  // When the burst window the lane waited for ends (database clock, ms); null: it did not wait.
  let windowEnd: number | null = null;
  // The unanswered messages the lane is waiting on (their ids), to tell whether more came.
  let waitedFor: string | null = null;
  let queueDelayMs: number | null = null;
  // The first pass reads what the claim returned; after a burst wait the turn is likely to run,
  // so that snapshot brings the transcript along.
  let claimed: LaneSnapshot | null = toLaneSnapshot(lane.row);
  // The turn's close kept the lane (the customer wrote meanwhile): the next turn is likely to run
  // at once, so that snapshot brings the transcript along too.
  let keptAfterTurn = false;
  try {
    for (;;) {
      const snapshot: LaneSnapshot | null =
        claimed ??
        (await loadLaneSnapshot(pool, lane.accountId, lane.conversationId, {
          withTranscript: windowEnd !== null || keptAfterTurn,
        }));
      claimed = null;
      keptAfterTurn = false;
      const binding = snapshot && engine.inbox(lane.accountId, snapshot.conversation.inboxId);
      if (!snapshot || !binding) break;
      const { conversation, unanswered } = snapshot;
      for (const turnId of snapshot.openTurnIds) await finishTurn(engine, conversation, turnId);
      if (conversation.pendingHandoff) {
        await performPendingHandoff(engine, conversation, binding.assistant.conversation);
        continue;
      }
      if (unanswered.length > 0) {
        const wait = burstWaitMs(snapshot, binding.assistant.conversation);
        if (queueDelayMs === null && wait === 0 && windowEnd === null) {
          // The lane was claimed when the burst window had ended (a customer's message makes it
          // due then): the window is the merge delay, the time since it ended the queue delay.
          // burstWaitMs from the epoch is the window's end.
          windowEnd = Math.min(
            snapshot.now.getTime(),
            burstWaitMs({ unanswered, now: new Date(0) }, binding.assistant.conversation),
          );
        }
        // How long the oldest message waited for a lane to pick it up (the first pass only).
        queueDelayMs ??= Math.max(
          0,
          snapshot.now.getTime() - Math.max(windowEnd ?? 0, unanswered[0]!.receivedAt.getTime()),
        );
        const ids = unanswered.map((m) => m.messageId).join(',');
        // The last look is taken just before the window ends, so that its round trip is not
        // added to the reply's latency. Nothing new since the previous look and the window ends
        // within moments: wait it out and answer. A message landing in those last milliseconds
        // is caught by the turn's guarded commit (the answer is regenerated with it).
        const settled =
          wait > 0 && wait <= 2 * LOOKAHEAD_MS && ids === waitedFor && snapshot.transcript !== null;
        if (wait > 0 && !settled) {
          windowEnd = snapshot.now.getTime() + wait;
          waitedFor = ids;
          await sleep(Math.max(1, wait - LOOKAHEAD_MS));
          continue;
        }
        if (settled) await sleep(wait);
        const { lookAgain, lane: afterTurn } = await runTurn(
          engine,
          binding,
          conversation,
          unanswered,
          {
            // The latency merging added: the burst window, from the first message's arrival to
            // its end (work done inside the window delays nothing), also when the lane was
            // claimed after it ended.
            mergeDelayMs:
              windowEnd === null ? 0 : Math.max(0, windowEnd - unanswered[0]!.receivedAt.getTime()),
            queueDelayMs,
          },
          snapshot.transcript,
          releaseStatement(lane, leaseMs),
        );
        windowEnd = null;
        waitedFor = null;
        queueDelayMs = 0;
        // The turn's close let the lane go already, or kept it because new work came in.
        if (afterTurn === 'released') return;
        keptAfterTurn = afterTurn === 'keep' && !lookAgain;
        if (lookAgain || afterTurn === 'keep') continue;
      }
      if ((await releaseLane(pool, lane, leaseMs)) === 'released') return;
    }
  } finally {
    clearInterval(renew);
  }
  await releaseLane(pool, lane, leaseMs, { drop: true });
}
