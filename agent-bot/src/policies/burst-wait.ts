import type { ConversationPolicy } from '@switchboard/core';

/** What the rule reads of a lane's snapshot (store/lane-snapshot.ts). */
interface BurstFacts {
  unanswered: { receivedAt: Date }[];
  /** The database's clock, which stamped `receivedAt`. */
  now: Date;
}

/**
 * Milliseconds until the burst of unanswered messages is over: quiet for `burstQuietMs` after
 * the last one, or `burstMaxWaitMs` after the first, whichever comes first.
 */
export function burstWaitMs(snapshot: BurstFacts, policy: ConversationPolicy): number {
  if (snapshot.unanswered.length === 0) return 0;
  const received = snapshot.unanswered.map((m) => m.receivedAt.getTime());
  const quietEnds = Math.max(...received) + policy.burstQuietMs;
  const capEnds = Math.min(...received) + policy.burstMaxWaitMs;
  return Math.max(0, Math.ceil(Math.min(quietEnds, capEnds) - snapshot.now.getTime()));
}
