import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerLoop, workerBackoffMs, type WorkerFailure, type WorkerLoop } from './worker-loop.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await pause(5);
  }
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let loops: WorkerLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.map((l) => l.stop()));
  loops = [];
});
const track = (loop: WorkerLoop) => (loops.push(loop), loop);

describe('createWorkerLoop', () => {
  it('claims as many items as slots are free, runs them at once, and claims again as one finishes', async () => {
    const queue = [1, 2, 3, 4, 5];
    const asked: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred>>();
    let concurrent = 0;
    let peak = 0;
    const loop = track(
      createWorkerLoop<number>({
        concurrency: 2,
        pollIntervalMs: 60_000,
        claim: async (free) => {
          asked.push(free);
          return queue.splice(0, free);
        },
        run: async (item) => {
          concurrent++;
          peak = Math.max(peak, concurrent);
          const gate = deferred();
          gates.set(item, gate);
          await gate.promise;
          concurrent--;
        },
      }),
    );
    loop.start();
    await until(() => gates.size === 2);
    expect(asked).toEqual([2]);
    expect(loop.inflight).toBe(2);
    gates.get(1)!.resolve();
    await until(() => gates.has(3));
    expect(asked).toEqual([2, 1]);
    for (const item of [2, 3]) gates.get(item)!.resolve();
    await until(() => gates.has(5));
    gates.get(4)!.resolve();
    gates.get(5)!.resolve();
    await until(() => loop.inflight === 0);
    expect(peak).toBe(2);
    expect(queue).toEqual([]);
  });

  it('sleeps while idle until woken (a long poll interval never delays local work)', async () => {
    const queue: string[] = [];
    const ran: string[] = [];
    let claims = 0;
    const loop = track(
      createWorkerLoop<string>({
        concurrency: 4,
        pollIntervalMs: 60_000,
        claim: async (free) => {
          claims++;
          return queue.splice(0, free);
        },
        run: async (item) => void ran.push(item),
      }),
    );
    loop.start();
    await until(() => claims === 1);
    await pause(30);
    expect(claims).toBe(1);
    queue.push('a');
    loop.wake();
    await until(() => ran.includes('a'), 500);
  });

  it('polls every pollIntervalMs for work made due elsewhere', async () => {
    let claims = 0;
    const loop = track(
      createWorkerLoop<never>({
        concurrency: 1,
        pollIntervalMs: 20,
        claim: async () => {
          claims++;
          return [];
        },
        run: async () => undefined,
      }),
    );
    loop.start();
    await pause(150);
    expect(claims).toBeGreaterThanOrEqual(3);
    expect(claims).toBeLessThanOrEqual(10);
  });

  it('backs off exponentially after failing claims, a wake does not cut it short, and it recovers', async () => {
    const claimTimes: number[] = [];
    const failures: WorkerFailure[] = [];
    let recoveredAfter = 0;
    let failing = 3;
    const loop = track(
      createWorkerLoop<never>({
        concurrency: 1,
        pollIntervalMs: 60_000,
        backoff: { initialMs: 40, maxMs: 100 },
        claim: async () => {
          claimTimes.push(Date.now());
          if (failing-- > 0) throw new Error('database down');
          return [];
        },
        run: async () => undefined,
        onFailure: (_error, failure) => void failures.push(failure),
        onRecovered: (after) => void (recoveredAfter = after),
      }),
    );
    loop.start();
    await until(() => failures.length === 1);
    loop.wake();
    loop.wake();
    await until(() => recoveredAfter > 0);
    expect(failures.map((f) => [f.phase, f.retryInMs, f.consecutiveFailures])).toEqual([
      ['claim', 40, 1],
      ['claim', 80, 2],
      ['claim', 100, 3],
    ]);
    expect(recoveredAfter).toBe(3);
    const gaps = claimTimes.slice(1).map((t, i) => t - claimTimes[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(gaps[2]).toBeGreaterThanOrEqual(95);
  });

  it('backs off after a failing run, and resets on the next success', async () => {
    const outcomes = ['fail', 'fail', 'ok', 'fail'];
    const failures: WorkerFailure[] = [];
    const loop = track(
      createWorkerLoop<string>({
        concurrency: 1,
        pollIntervalMs: 10,
        backoff: { initialMs: 10, maxMs: 1000 },
        claim: async () => (outcomes.length > 0 ? [outcomes.shift()!] : []),
        run: async (outcome) => {
          if (outcome === 'fail') throw new Error('clickhouse down');
        },
        onFailure: (_error, failure) => void failures.push(failure),
      }),
    );
    loop.start();
    await until(() => failures.length === 3);
    expect(failures.map((f) => [f.phase, f.retryInMs])).toEqual([
      ['run', 10],
      ['run', 20],
      ['run', 10],
    ]);
  });

  it('claims again at once after a full claim, but not after a run that says nothing more waits', async () => {
    let claims = 0;
    const loop = track(
      createWorkerLoop<number>({
        concurrency: 1,
        pollIntervalMs: 60_000,
        claim: async () => (++claims <= 3 ? [claims] : []),
        run: async (n) => n < 2,
      }),
    );
    loop.start();
    await until(() => claims === 2);
    await pause(40);
    // The run of item 2 resolved false: the loop waits for a wake or the poll.
    expect(claims).toBe(2);
    loop.wake();
    await until(() => claims === 3);
  });

  it('stops claiming on stop() and waits for the runs in flight', async () => {
    const gate = deferred();
    let claims = 0;
    let finished = false;
    const loop = createWorkerLoop<number>({
      concurrency: 1,
      pollIntervalMs: 5,
      claim: async () => (++claims === 1 ? [1] : []),
      run: async () => {
        await gate.promise;
        finished = true;
      },
    });
    loop.start();
    await until(() => loop.inflight === 1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await pause(20);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    const claimsAtStop = claims;
    await pause(30);
    expect(claims).toBe(claimsAtStop);
    expect(loop.running).toBe(false);
  });
});

describe('workerBackoffMs', () => {
  it('doubles from initialMs up to maxMs', () => {
    const backoff = { initialMs: 500, maxMs: 30_000 };
    expect([1, 2, 3, 6, 7, 100].map((n) => workerBackoffMs(n, backoff))).toEqual([
      500, 1000, 2000, 16_000, 30_000, 30_000,
    ]);
  });

  it('is never negative nor NaN, whatever the settings or counts', () => {
    const settings = [
      { initialMs: -500, maxMs: 30_000 },
      { initialMs: 500, maxMs: -1 },
      { initialMs: Number.NaN, maxMs: Number.NaN },
      { initialMs: 0, maxMs: 10 },
      { initialMs: Infinity, maxMs: 1000 },
      { initialMs: 10, maxMs: Infinity },
    ];
    for (const backoff of settings)
      for (const failures of [-5, 0, 1, 2, 64, 5000, Number.NaN]) {
        const delay = workerBackoffMs(failures, backoff);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(Number.isNaN(delay)).toBe(false);
      }
  });
});
