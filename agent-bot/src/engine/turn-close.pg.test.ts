import { describe, expect, it } from 'vitest';
import { botMessages, harnessPerTest, maria, type Harness } from '../../test/harness.js';

/**
 * A turn's last reply part is marked sent, the turn closed with its `turn` event and the lane let
 * go in one statement (steps/finish-turn.ts, store/turns.ts turnCloseCtes): after the turn's
 * commit, a one-part reply costs one round trip.
 */
const startTestHarness = harnessPerTest();

/** The statements the engine's pool runs from now on (their text, whitespace folded). */
function recordStatements(h: Harness): string[] {
  const pool = h.bot!.engine.context.db.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query;
  const seen: string[] = [];
  pool.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? '');
    seen.push(text.replace(/\s+/g, ' ').trim());
    return original.apply(this, args);
  };
  return seen;
}

async function settle(h: Harness, displayId: number, replies: number): Promise<void> {
  await h.sim.waitFor(() => botMessages(h, displayId).length === replies, { timeoutMs: 15_000 });
  await h.sim.waitForIdle();
  await new Promise((resolve) => setTimeout(resolve, 300));
}

describe("a turn's close, made with its last part's mark-sent", () => {
  it('closes a one-part reply in the statement that marks it sent: turn event once, lane let go', async () => {
    const h = await startTestHarness();
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text: 'Olá!' }] }));
    const statements = recordStatements(h);
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const displayId = first.conversation.displayId;
    await settle(h, displayId, 1);
    const reply = botMessages(h, displayId)[0]!;

    const commit = statements.findIndex((s) => s.startsWith('WITH guard AS'));
    expect(commit).toBeGreaterThanOrEqual(0);
    // Not the lane claims and the sweeper, which poll on their own (idle, they find nothing).
    const afterCommit = statements
      .slice(commit + 1)
      .filter((s) => !s.startsWith('UPDATE engine_conversations c SET'));
    expect(afterCommit).toHaveLength(1);
    expect(afterCommit[0]).toMatch(/^WITH sent AS \( ?UPDATE engine_outgoing/);
    expect(afterCommit[0]).toContain('done AS ( UPDATE engine_turns');
    expect(afterCommit[0]).toContain('released AS (UPDATE engine_conversations');

    const turns = await h.query<{ state: string; outcome: string }>(
      `SELECT state, outcome FROM engine_turns`,
    );
    expect(turns).toEqual([{ state: 'done', outcome: 'replied' }]);
    const turnEvents = await h.events('turn');
    expect(turnEvents).toHaveLength(1);
    expect(turnEvents[0]).toMatchObject({
      outcome: 'replied',
      replyMessageIds: [reply.id],
      mergedMessages: 1,
    });
    const lane = await h.query(
      `SELECT lane_holder, lane_lease_until, work_due_at FROM engine_conversations WHERE conversation_id = $1`,
      [first.conversation.id],
    );
    expect(lane).toEqual([{ lane_holder: null, lane_lease_until: null, work_due_at: null }]);
  });

  it('closes a two-part reply with the second part: both ids in the turn event, the first part sent alone', async () => {
    const h = await startTestHarness();
    h.responder.setScript(() => ({
      messages: [
        { kind: 'text', text: 'Primeira.' },
        { kind: 'text', text: 'Segunda.' },
      ],
    }));
    const statements = recordStatements(h);
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const displayId = first.conversation.displayId;
    await settle(h, displayId, 2);
    const replies = botMessages(h, displayId);
    expect(replies.map((m) => m.content)).toEqual(['Primeira.', 'Segunda.']);

    const markSent = statements.filter((s) => s.startsWith('WITH sent AS'));
    expect(markSent).toHaveLength(2);
    expect(markSent[0]).not.toContain('done AS');
    expect(markSent[1]).toContain('done AS ( UPDATE engine_turns');
    expect(statements.filter((s) => s.startsWith('WITH done AS'))).toEqual([]);
    const turnEvents = await h.events('turn');
    expect(turnEvents).toHaveLength(1);
    expect(turnEvents[0]).toMatchObject({ outcome: 'replied', replyMessageIds: replies.map((m) => m.id) });
    expect(await h.query(`SELECT state FROM engine_turns`)).toEqual([{ state: 'done' }]);
  });

  it('keeps the lane when the customer writes while the reply is sent, and answers that too', async () => {
    const h = await startTestHarness();
    let calls = 0;
    h.responder.setScript(async (context) => {
      calls++;
      if (calls === 1) {
        // The customer's next message lands while the first answer is being generated and sent.
        h.sim.customer.sendText(maria(h), 'mais uma');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { messages: [{ kind: 'text', text: `r ${context.pending.map((p) => p.text).join('+')}` }] };
    });
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    const displayId = first.conversation.displayId;
    await h.sim.waitFor(() => botMessages(h, displayId).some((m) => (m.content ?? '').includes('mais uma')), {
      timeoutMs: 15_000,
    });
    await h.sim.waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answered = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM engine_messages WHERE author = 'customer' AND turn_id IS NULL`,
    );
    expect(answered).toEqual([{ n: 0 }]);
    const turns = await h.query<{ state: string }>(`SELECT state FROM engine_turns`);
    expect(turns.every((t) => t.state === 'done')).toBe(true);
    expect(await h.events('turn')).toHaveLength(turns.length);
  });

  it("runs the turn on its claim's snapshot: the customer's message makes the lane due when its burst window ends", async () => {
    const h = await startTestHarness();
    h.responder.setScript(() => ({ messages: [{ kind: 'text', text: 'Olá!' }] }));
    const statements = recordStatements(h);
    const first = h.sim.customer.sendText(maria(h), 'Oi');
    await settle(h, first.conversation.displayId, 1);

    const stored = statements.findIndex(
      (s) => s.startsWith('WITH delivery AS') && s.includes('engine_messages'),
    );
    const commit = statements.findIndex((s) => s.startsWith('WITH guard AS'));
    expect(stored).toBeGreaterThanOrEqual(0);
    expect(commit).toBeGreaterThan(stored);
    // No second look after a wait: the claim (which brings the transcript) is the only read.
    const between = statements.slice(stored + 1, commit);
    expect(between.filter((s) => s.startsWith('SELECT c.*, now() AS snapshot_at'))).toEqual([]);
    expect(between.filter((s) => s.startsWith('SELECT (SELECT COALESCE(json_agg(r'))).toEqual([]);
    // The burst window (300 ms in the harness) is still reported as the merge delay.
    const [turn] = await h.events('turn');
    expect(turn!.mergeDelayMs).toBeGreaterThanOrEqual(300);
    expect(turn!.mergeDelayMs).toBeLessThan(1000);
    expect(turn!.queueDelayMs).toBeLessThan(1000);
  });
});
