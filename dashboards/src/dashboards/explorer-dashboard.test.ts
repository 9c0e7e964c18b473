import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { PanelRunner } from '../testing/panel-runner.js';
import { DAY_MS, RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { explorerDashboard } from './explorer-dashboard.js';

let ch: TestClickHouse;
let panels: PanelRunner;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
  panels = new PanelRunner(ch, explorerDashboard());
});

afterAll(async () => {
  await ch?.drop();
});

const run = (variables = allVariables()) => ({ ...RANGE, intervalMs: DAY_MS, variables });
const value = async (title: string, variables = allVariables()) =>
  (await panels.rows<{ value: number }>(title, run(variables)))[0]?.value;

describe('conversations explorer on the seeded data set', () => {
  it('summary stats for the filters', async () => {
    expect(await value('Matching conversations')).toBe(4);
    expect(await value('Customer messages')).toBe(7);
    expect(await value('Cost of the matching conversations')).toBeCloseTo(0.058, 12);
    expect(await value('Handed off')).toBe(2);
    const phone = allVariables({ phone: { value: '1191111' } });
    expect(await value('Matching conversations', phone)).toBe(1);
    expect(await value('Handed off', phone)).toBe(1);
  });

  it('one row per conversation, newest first, with counts, cost and handoff', async () => {
    const rows = await panels.rows<Record<string, unknown>>('Conversations', run());
    expect(rows.map((row) => row.conversation_id)).toEqual([104, 103, 102, 101]);
    expect(rows[2]).toEqual({
      conversation_id: 102,
      account_id: 1,
      started_at: '2026-11-04T12:00:00.000Z',
      last_activity: '2026-11-05T13:00:01.000Z',
      channel: 'whatsapp',
      assistant: 'sales',
      customer_phone: '+5511911112222',
      customer_messages: 2,
      ai_messages: 1,
      agent_messages: 1,
      ai_replies: 1,
      avg_response_s: 4,
      cost_total_usd: 0.025,
      handed_off: 'yes',
      reasons: 'customer_request',
      status: '',
      resolved_by_ai: 'no',
    });
    expect(rows[1]).toMatchObject({
      conversation_id: 103,
      avg_response_s: 2,
      status: 'resolved',
      resolved_by_ai: 'yes',
    });
  });

  it('filters by phone fragment, assistant and account', async () => {
    const ids = async (overrides: Parameters<typeof allVariables>[0]) =>
      (await panels.rows<{ conversation_id: number }>('Conversations', run(allVariables(overrides)))).map(
        (row) => row.conversation_id,
      );
    expect(await ids({ phone: { value: '+49 151' } })).toEqual([104]);
    expect(await ids({ assistant: { value: ['support'] } })).toEqual([103]);
    expect(await ids({ account: { value: ['1'] }, assistant: { value: ['sales'] } })).toEqual([102, 101]);
  });

  it("messages for the filters, newest first: one customer's history by phone", async () => {
    const all = await panels.rows<Record<string, unknown>>('Messages', run());
    expect(all).toHaveLength(13);
    const history = await panels.rows<Record<string, unknown>>(
      'Messages',
      run(allVariables({ phone: { value: '98765' } })),
    );
    expect(history.map((row) => [row.sent_at, row.author, row.text])).toEqual([
      ['2026-11-03T09:00:02.000Z', 'ai', 'hello'],
      ['2026-11-03T09:00:01.000Z', 'customer', 'and on Sunday?'],
      ['2026-11-03T09:00:00.000Z', 'customer', 'What are your opening hours?'],
    ]);
    expect(history[0]).toMatchObject({
      conversation_id: 101,
      account_id: 1,
      customer_phone: '+5511987654321',
    });
  });

  it('links each conversation id to Chatwoot', () => {
    const table = explorerDashboard({ chatwootUrl: 'https://chat.example.com' });
    const json = JSON.stringify(table);
    expect(json).toContain(
      '${chatwoot_url}/app/accounts/${__data.fields.account_id}/conversations/${__value.raw}',
    );
    const constant = table.templating?.list?.find((variable) => variable.name === 'chatwoot_url');
    expect(constant).toMatchObject({ type: 'constant', query: 'https://chat.example.com' });
  });

  it('ran every panel of the dashboard', () => {
    expect(panels.notRun()).toEqual([]);
  });
});
