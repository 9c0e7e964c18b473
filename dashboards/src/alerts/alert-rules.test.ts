import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { analyticsEventSchema } from '@switchboard/events';
import { DEFAULT_SETTINGS } from '../settings.js';
import { evaluateAlert } from '../testing/alert-evaluation.js';
import { seedDataSet, seedEvents } from '../testing/seed-data-set.js';
import { alertDefinitions, alertRulesProvisioning } from './alert-rules.js';

/**
 * The main data set (2026-11-02 … 11-06) plus, just before NOW, a bad quarter of an hour for
 * the sales assistant: slow replies, a failing provider, unanswered customers, a costly day.
 */
const NOW = new Date('2026-11-10T12:00:00Z');
let ch: TestClickHouse;
let n = 0;

function event(
  type: string,
  at: string,
  payload: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  return analyticsEventSchema.parse({
    id,
    occurredAt: at,
    accountId: 1,
    conversationId: 301,
    assistant: 'sales',
    channel: 'whatsapp',
    customerPhone: '+5511900000301',
    type,
    payload,
    ...extra,
  });
}

const turn = (at: string, latencyMs: number, extra: Record<string, unknown> = {}) =>
  event(
    'turn',
    at,
    {
      turnId: `t-${at}`,
      customerMessageIds: [1],
      mergedMessages: 1,
      firstCustomerMessageAt: at,
      replyAcceptedAt: at,
      latencyMs,
      outcome: 'replied',
    },
    extra,
  );

const modelCall = (at: string, provider: string, outcome: 'ok' | 'error', costUsd: string) =>
  event(
    'model_call',
    at,
    {
      provider,
      model: 'm',
      latencyMs: 900,
      outcome,
      usage: { inputTokens: 1, outputTokens: 1 },
      priceVersion: 't',
    },
    { costUsd, costKind: 'model' },
  );

function badQuarterHour() {
  return [
    // p95 window (last 15 min): sales 40, 45, 50 s; support 2 s. 11:40 is outside the window.
    turn('2026-11-10T11:40:00Z', 100_000),
    turn('2026-11-10T11:50:00Z', 40_000),
    turn('2026-11-10T11:52:00Z', 45_000),
    turn('2026-11-10T11:54:00Z', 50_000),
    turn('2026-11-10T11:55:00Z', 2_000, { assistant: 'support', conversationId: 302 }),
    // Ten customer messages in the last hour; the four sales turns above answer four of them.
    ...Array.from({ length: 10 }, (_, i) =>
      event('message', `2026-11-10T11:1${i}:00Z`, {
        messageId: 9000 + i,
        direction: 'inbound',
        author: 'customer',
        contentType: 'text',
        text: 'hello?',
      }),
    ),
    // openai: 2 of 6 calls fail; anthropic: 3 of 3 fail, but 3 calls are too few to judge.
    ...['ok', 'ok', 'ok', 'ok', 'error', 'error'].map((outcome, i) =>
      modelCall(`2026-11-10T11:5${i}:30Z`, 'openai', outcome as 'ok' | 'error', '10'),
    ),
    ...[0, 1, 2].map((i) => modelCall(`2026-11-10T11:5${i}:40Z`, 'anthropic', 'error', '0')),
    // Yesterday evening: inside the 24 h look-back, outside "today".
    modelCall('2026-11-09T23:00:00Z', 'openai', 'ok', '100'),
  ];
}

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch, [...seedEvents(), ...badQuarterHour()]);
});

afterAll(async () => {
  await ch?.drop();
});

const rule = (uid: string) =>
  alertDefinitions(DEFAULT_SETTINGS).find((definition) => definition.uid === uid)!;
const round = (instances: { labels: Record<string, string>; value: number; firing: boolean }[]) =>
  instances.map((i) => ({ ...i, value: Math.round(i.value * 1e6) / 1e6 }));

describe('alert rules on seeded data', () => {
  it('p95 response time fires for the slow assistant only', async () => {
    // sales: 40, 45, 50 s → 45 + 0.9 × 5 = 49.5 s > 30 s.
    expect(round(await evaluateAlert(ch, rule('switchboard-p95-response-time'), NOW))).toEqual([
      { labels: { assistant: 'sales' }, value: 49.5, firing: true },
      { labels: { assistant: 'support' }, value: 2, firing: false },
    ]);
    // Earlier on, nothing replied in the window: no data, which the rule treats as OK.
    expect(
      await evaluateAlert(ch, rule('switchboard-p95-response-time'), new Date('2026-11-08T00:00:00Z')),
    ).toEqual([]);
  });

  it('provider error rate fires above 20% with at least 5 calls', async () => {
    expect(round(await evaluateAlert(ch, rule('switchboard-provider-error-rate'), NOW))).toEqual([
      { labels: { provider: 'openai' }, value: 0.333333, firing: true },
    ]);
  });

  it('response rate drop compares the last hour with the 7 days before', async () => {
    // sales: baseline 4 of 5 customer messages answered (0.8), last hour 4 of 10 (0.4).
    // support: no customer message in the last hour, below the minimum: 0.
    expect(round(await evaluateAlert(ch, rule('switchboard-response-rate-drop'), NOW))).toEqual([
      { labels: { assistant: 'sales' }, value: 0.4, firing: true },
      { labels: { assistant: 'support' }, value: 0, firing: false },
    ]);
  });

  it('daily cost counts from 00:00 UTC and fires above the budget', async () => {
    // Today: 6 openai calls × 10 USD; yesterday's 100 USD is not today's.
    expect(await evaluateAlert(ch, rule('switchboard-daily-cost-budget'), NOW)).toEqual([
      { labels: {}, value: 60, firing: true },
    ]);
    // 2026-11-06 at 20:00: only conversation 104's 0.008 USD.
    const quiet = await evaluateAlert(
      ch,
      rule('switchboard-daily-cost-budget'),
      new Date('2026-11-06T20:00:00Z'),
    );
    expect(round(quiet)).toEqual([{ labels: {}, value: 0.008, firing: false }]);
  });

  it('every provisioned rule is one of the rules tested here', () => {
    const provisioned = (
      alertRulesProvisioning(DEFAULT_SETTINGS).groups as { rules: { uid: string }[] }[]
    )[0]!.rules;
    expect(provisioned.map((r) => r.uid)).toEqual([
      'switchboard-p95-response-time',
      'switchboard-provider-error-rate',
      'switchboard-response-rate-drop',
      'switchboard-daily-cost-budget',
    ]);
  });
});
