import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { runGrafanaQuery } from '../testing/run-grafana-query.js';
import { RANGE, seedDataSet } from '../testing/seed-data-set.js';
import { allVariables } from '../testing/variable-scenarios.js';
import { dashboardVariables, VARIABLE_SQL } from './variables.js';

let ch: TestClickHouse;

beforeAll(async () => {
  ch = await createTestClickHouse();
  await seedDataSet(ch);
});

afterAll(async () => {
  await ch?.drop();
});

// Variable queries go through the plugin like panel queries (metricFindQuery → conditionalAll,
// template variables, macros); the first column becomes the option.
const options = async (sql: string, variables = allVariables()) =>
  (await runGrafanaQuery<Record<string, unknown>>(ch, sql, { ...RANGE, intervalMs: 60_000, variables })).map(
    (row) => String(Object.values(row)[0]),
  );

describe('dashboard variables', () => {
  it('account lists the accounts in ClickHouse', async () => {
    expect(await options(VARIABLE_SQL.account)).toEqual(['1', '2']);
  });

  it('assistant lists the assistants, narrowed by the chosen accounts', async () => {
    expect(await options(VARIABLE_SQL.assistant)).toEqual(['sales', 'support']);
    expect(await options(VARIABLE_SQL.assistant, allVariables({ account: { value: ['2'] } }))).toEqual([
      'sales',
    ]);
  });

  it('are built in the shape the plugin saves, with the SQL tested here', () => {
    const built = dashboardVariables().map((variable) => variable.build());
    expect(built.map((variable) => [variable.name, variable.type])).toEqual([
      ['datasource', 'datasource'],
      ['account', 'query'],
      ['channel', 'custom'],
      ['assistant', 'query'],
      ['phone', 'textbox'],
      ['timezone', 'custom'],
      ['chatwoot_url', 'constant'],
    ]);
    const account = built.find((variable) => variable.name === 'account')!;
    expect(account.query).toMatchObject({
      editorType: 'sql',
      queryType: 'sql',
      rawSql: VARIABLE_SQL.account,
    });
    expect(account).toMatchObject({ multi: true, includeAll: true, current: { value: '$__all' } });
  });

  it("time zone starts at the configured account's zone, listed first and once", () => {
    const zone = (timeZone?: string) =>
      dashboardVariables({ timeZone })
        .map((variable) => variable.build())
        .find((variable) => variable.name === 'timezone')!;
    expect(zone()).toMatchObject({ current: { value: 'UTC' }, multi: false });
    const saoPaulo = zone('America/Sao_Paulo');
    expect(saoPaulo.current).toMatchObject({ text: 'America/Sao_Paulo', value: 'America/Sao_Paulo' });
    const offered = String(saoPaulo.query).split(', ');
    expect(offered[0]).toBe('America/Sao_Paulo');
    expect(offered.filter((z) => z === 'America/Sao_Paulo')).toHaveLength(1);
    expect(offered).toContain('UTC');
    const tokyo = zone('Asia/Tokyo');
    expect(String(tokyo.query).split(', ')[0]).toBe('Asia/Tokyo');
  });
});
