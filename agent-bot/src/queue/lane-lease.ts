import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'>;

export type AcquireResult = { acquired: true } | { acquired: false; leaseUntil: Date | null };

/**
 * One lane per conversation: whoever holds the lease processes the conversation; everyone else
 * marks it dirty (the holder loops once more before letting go) and leaves. A lease instead of
 * a lock because no transaction may stay open across a model or Chatwoot call (and PGlite
 * shares one session between connections, so advisory locks would not exclude anything).
 * A holder that dies simply stops renewing; the lease runs out and the sweeper re-triggers.
 */
export async function acquireLane(
  db: Queryable,
  key: { accountId: number; conversationId: number },
  holder: string,
  leaseMs: number,
): Promise<AcquireResult> {
  // Take or knock, retried: a knock only counts while someone holds the lane, otherwise a
  // holder releasing between our two statements would leave the knock unheard.
  for (let attempt = 0; attempt < 5; attempt++) {
    const taken = await db.query(
      `UPDATE engine_conversations
          SET lane_holder = $3, lane_lease_until = now() + make_interval(secs => $4::float8 / 1000), lane_dirty = false
        WHERE account_id = $1 AND conversation_id = $2
          AND (lane_holder IS NULL OR lane_lease_until < now() OR lane_holder = $3)
        RETURNING 1`,
      [key.accountId, key.conversationId, holder, leaseMs],
    );
    if (taken.rowCount === 1) return { acquired: true };
    const knocked = await db.query<{ lane_lease_until: Date | null }>(
      `UPDATE engine_conversations SET lane_dirty = true
        WHERE account_id = $1 AND conversation_id = $2
          AND lane_holder IS NOT NULL AND lane_lease_until >= now()
        RETURNING lane_lease_until`,
      [key.accountId, key.conversationId],
    );
    if (knocked.rowCount === 1) return { acquired: false, leaseUntil: knocked.rows[0]!.lane_lease_until };
    const exists = await db.query(
      `SELECT 1 FROM engine_conversations WHERE account_id = $1 AND conversation_id = $2`,
      [key.accountId, key.conversationId],
    );
    if (exists.rowCount === 0) return { acquired: false, leaseUntil: null };
  }
  return { acquired: false, leaseUntil: null };
}

export async function renewLane(
  db: Queryable,
  key: { accountId: number; conversationId: number },
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE engine_conversations SET lane_lease_until = now() + make_interval(secs => $4::float8 / 1000)
      WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3`,
    [key.accountId, key.conversationId, holder, leaseMs],
  );
  return result.rowCount === 1;
}

/**
 * Lets go unless someone knocked while we were busy (dirty): then the lane is kept and the
 * caller must look for work once more. One UPDATE, so a knock cannot fall between the last
 * look and the release.
 */
export async function releaseLane(
  db: Queryable,
  key: { accountId: number; conversationId: number },
  holder: string,
): Promise<'released' | 'keep'> {
  const result = await db.query<{ kept: boolean }>(
    `UPDATE engine_conversations
        SET lane_holder = CASE WHEN lane_dirty THEN lane_holder ELSE NULL END,
            lane_lease_until = CASE WHEN lane_dirty THEN lane_lease_until ELSE NULL END,
            lane_dirty = false
      WHERE account_id = $1 AND conversation_id = $2 AND lane_holder = $3
      RETURNING lane_holder IS NOT NULL AS kept`,
    [key.accountId, key.conversationId, holder],
  );
  return result.rows[0]?.kept ? 'keep' : 'released';
}

/**
 * Conversations with work and no live holder (a crashed process, a lost trigger). Only work
 * older than `staleMs`: fresh work has its trigger job on the way, and re-triggering it would
 * flood the queue under load.
 */
export async function findOrphanedLanes(
  db: Queryable,
  staleMs: number,
): Promise<{ accountId: number; conversationId: number }[]> {
  const result = await db.query<{ account_id: string; conversation_id: string }>(
    `SELECT c.account_id, c.conversation_id FROM engine_conversations c
      WHERE (c.lane_holder IS NULL OR c.lane_lease_until < now())
        AND (EXISTS (SELECT 1 FROM engine_messages m
                      WHERE m.account_id = c.account_id AND m.conversation_id = c.conversation_id
                        AND m.author = 'customer' AND m.turn_id IS NULL AND m.ignored = false
                        AND m.received_at < now() - make_interval(secs => $1::float8 / 1000))
             OR EXISTS (SELECT 1 FROM engine_turns t
                         WHERE t.account_id = c.account_id AND t.conversation_id = c.conversation_id
                           AND t.state = 'sending' AND t.created_at < now() - make_interval(secs => $1::float8 / 1000))
             OR (c.pending_handoff IS NOT NULL AND c.updated_at < now() - make_interval(secs => $1::float8 / 1000)))
      LIMIT 500`,
    [staleMs],
  );
  return result.rows.map((row) => ({
    accountId: Number(row.account_id),
    conversationId: Number(row.conversation_id),
  }));
}
