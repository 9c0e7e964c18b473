import { envelopeFor, outboxInsert, stableEventId } from '@switchboard/events';
import type { Sql } from 'sql-template-tag';
import type { ConversationState } from '../../store/conversations.js';
import type { OutgoingRow } from '../../store/reply-parts.js';
import {
  closeTurn,
  keptOrReleased,
  loadOpenTurn,
  turnCloseCtes,
  type TurnRecord,
} from '../../store/turns.js';
import type { EngineContext } from '../engine-context.js';
import { sendPlannedParts, type SendResult } from './reply-sender.js';

/**
 * Sends what a committed turn planned and closes it with its `turn` event: latency from the
 * first customer message to the first reply Chatwoot accepted, how many messages were merged,
 * the merge and queue delays and the regenerations. Also the recovery path for a turn a
 * crashed process left in `sending` (then the turn and its parts are read back). Closing is one
 * conditional statement: whoever moves the turn out of `sending` writes its event, once.
 */
export async function finishTurn(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  known?: { turn: TurnRecord; parts: OutgoingRow[] },
  /** Let the lane go with the close (store/lanes.ts releaseStatement): one round trip less. */
  release?: Sql,
): Promise<'released' | 'keep' | undefined> {
  // The fresh path knows the turn: the last part's mark-sent closes it (one round trip less).
  const closeWith = known
    ? (sent: SendResult) => {
        const { outcome, recorded } = turnClose(engine, conversation, turnId, known.turn, sent);
        return turnCloseCtes(turnId, outcome, recorded, release);
      }
    : undefined;
  const result = await sendPlannedParts(engine, conversation, turnId, known?.parts, closeWith);
  if (result.closed) return keptOrReleased(result.closed.close, result.closed.kept);
  const turn = known?.turn ?? (await loadOpenTurn(engine.db.pool, turnId));
  if (!turn) return undefined;
  const { outcome, recorded } = turnClose(engine, conversation, turnId, turn, result);
  return closeTurn(engine.db.pool, turnId, outcome, recorded, release);
}

/** The turn's outcome and its `turn` event (a CTE body given the condition that it closed here). */
function turnClose(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  turn: TurnRecord,
  result: SendResult,
): { outcome: string; recorded: ((closed: Sql) => Sql) | null } {
  const outcome = turn.handoff
    ? 'handoff'
    : result.sentKinds.includes('template')
      ? 'template'
      : result.messageIds.length > 0
        ? 'replied'
        : result.abandoned > 0
          ? 'failed'
          : 'no_reply';
  // Follow-ups travel as turns without customer messages: no `turn` event for them.
  const accepted = result.firstAcceptedAt;
  const firstAt = turn.firstCustomerMessageAt;
  const recorded =
    turn.customerMessageIds.length === 0
      ? null
      : (closed: Sql) =>
          outboxInsert(
            [
              {
                ...envelopeFor(conversation),
                id: stableEventId('turn', turnId),
                occurredAt: engine.clock.now().toISOString(),
                type: 'turn',
                payload: {
                  turnId,
                  customerMessageIds: turn.customerMessageIds,
                  mergedMessages: turn.customerMessageIds.length,
                  firstCustomerMessageAt: firstAt.toISOString(),
                  replyAcceptedAt: accepted ? accepted.toISOString() : null,
                  latencyMs: accepted ? Math.max(0, accepted.getTime() - firstAt.getTime()) : null,
                  mergeDelayMs: turn.mergeDelayMs,
                  queueDelayMs: turn.queueDelayMs,
                  regenerations: turn.regenerations,
                  outcome,
                  replyMessageIds: result.messageIds,
                },
              },
            ],
            closed,
          );
  return { outcome, recorded };
}
