import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { mutate, payloadShapes, seededRandom, type Mutant } from './webhook-mutations.js';
import { postSigned } from './signed-webhooks.js';

/**
 * Fuzz (issue 17): thousands of signed mutations of every payload shape against the real route
 * and PostgreSQL. Required: no 5xx, no crash, and nothing half-stored: each delivery is stored
 * fully, recorded as rejected, or (ignored, not JSON, too large) leaves nothing.
 * Reproduce a failure with WEBHOOK_FUZZ_SEED=<seed printed>; WEBHOOK_FUZZ_RUNS sets the count.
 */
const SEED = Number(process.env.WEBHOOK_FUZZ_SEED ?? 17_2026);
const RUNS = Number(process.env.WEBHOOK_FUZZ_RUNS ?? 2000);
const PARALLEL = 8;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  // Turns run as usual but send nothing: what is under test is the intake, not the replies.
  h.responder.setScript(() => ({ messages: [] }));
  // Every rejection logs a warning (webhook-bad-input.pg.test.ts checks them): thousands here.
  h.bot!.engine.context.logger.level = 'error';
});
afterAll(async () => h?.close());

interface Sent {
  mutant: Mutant;
  deliveryId: string | null;
  status: number;
  outcome: string | null;
}

describe('webhook fuzz', () => {
  it(`answers ${RUNS} signed mutations of every shape without a 5xx and stores each fully or not at all (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const shapes = payloadShapes(h);
    const mutants = Array.from({ length: RUNS }, () => mutate(shapes, random, { base: 40_000 }));
    const sent: Sent[] = [];
    let next = 0;
    const worker = async () => {
      while (next < mutants.length) {
        const index = next++;
        const mutant = mutants[index]!;
        // Most carry a delivery id, a few none, a few one far longer than a UUID.
        const roll = (index * 7919) % 100;
        const deliveryId =
          roll < 3 ? null : roll < 5 ? `fz-${index}-${'x'.repeat(300)}` : `fz-${SEED}-${index}`;
        const answer = await postSigned(
          h,
          mutant.bytes,
          deliveryId ? { 'x-chatwoot-delivery': deliveryId } : {},
        );
        const outcome = typeof answer.body?.status === 'string' ? answer.body.status : null;
        sent.push({ mutant, deliveryId, status: answer.status, outcome });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const seconds = (performance.now() - started) / 1000;

    const byStatus = tally(sent.map((s) => `${s.status}${s.outcome ? ` ${s.outcome}` : ''}`));
    const byShape = tally(sent.map((s) => `${s.mutant.shape}: ${s.status}`));
    console.log(
      JSON.stringify(
        { seed: SEED, runs: RUNS, seconds: Number(seconds.toFixed(1)), byStatus, byShape },
        null,
        1,
      ),
    );

    const serverErrors = sent.filter((s) => s.status >= 500);
    expect(
      serverErrors.map((s) => ({
        shape: s.mutant.shape,
        mutations: s.mutant.mutations,
        delivery: s.deliveryId,
      })),
    ).toEqual([]);
    expect(sent).toHaveLength(RUNS);
    expect(sent.filter((s) => s.outcome === 'duplicate')).toEqual([]); // every delivery id is new
    expect((await fetch(`${h.bot!.url}/healthz`)).status).toBe(200);

    const delivered = new Set(
      (await h.query<{ delivery_id: string }>(`SELECT delivery_id FROM engine_webhook_deliveries`)).map(
        (r) => r.delivery_id,
      ),
    );
    const rejected = new Set(
      (await h.query<{ delivery_id: string }>(`SELECT delivery_id FROM engine_rejected_deliveries`)).map(
        (r) => r.delivery_id,
      ),
    );
    const messages = new Set(
      (await h.query<{ id: string }>(`SELECT message_id::text AS id FROM engine_messages`)).map((r) =>
        Number(r.id),
      ),
    );
    const conversations = new Set(
      (await h.query<{ id: string }>(`SELECT conversation_id::text AS id FROM engine_conversations`)).map(
        (r) => Number(r.id),
      ),
    );
    const messageEvents = new Set(
      (
        await h.query<{ id: string }>(
          `SELECT event->'payload'->>'messageId' AS id FROM analytics_outbox WHERE event_type = 'message'`,
        )
      ).map((r) => Number(r.id)),
    );

    const halfStored: unknown[] = [];
    for (const s of sent) {
      const where = {
        shape: s.mutant.shape,
        mutations: s.mutant.mutations,
        status: s.status,
        outcome: s.outcome,
      };
      const id = s.deliveryId?.slice(0, 200) ?? null;
      if (id === null) continue; // nothing to find it by: only its answer is checked
      const stored = delivered.has(id);
      const recorded = rejected.has(id);
      if (s.outcome === 'stored') {
        const { message, conversation } = s.mutant.ids;
        const complete =
          stored &&
          !recorded &&
          (conversation === null || conversations.has(conversation)) &&
          (message === null || (messages.has(message) && messageEvents.has(message)));
        if (!complete) halfStored.push({ ...where, stored, recorded });
      } else if (s.outcome === 'rejected') {
        if (stored || !recorded) halfStored.push({ ...where, stored, recorded });
      } else if (stored || recorded) halfStored.push({ ...where, stored, recorded });
    }
    expect(halfStored).toEqual([]);
    // Every stored message has its conversation and its analytics event (one statement stored all three).
    const orphans = await h.query(
      `SELECT m.message_id FROM engine_messages m
        WHERE NOT EXISTS (SELECT 1 FROM engine_conversations c
                           WHERE c.account_id = m.account_id AND c.conversation_id = m.conversation_id)
           OR NOT EXISTS (SELECT 1 FROM analytics_outbox o
                           WHERE o.event_type = 'message' AND o.event->'payload'->>'messageId' = m.message_id::text)`,
    );
    expect(orphans).toEqual([]);
    // The fuzz reached every path: stored, rejected, ignored, not JSON and too large all happened.
    for (const expected of ['200 stored', '200 rejected', '200 ignored', '400', '413']) {
      expect(byStatus[expected] ?? 0, expected).toBeGreaterThan(0);
    }
  }, 120_000);
});

function tally(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
