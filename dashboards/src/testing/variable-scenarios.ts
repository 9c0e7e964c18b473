import { ALL_VALUE, type VariableValues } from './grafana-interpolation.js';

/** The dashboard variables as a manager would leave them: everything "All", no phone typed. */
export function allVariables(overrides: VariableValues = {}): VariableValues {
  return {
    datasource: { value: 'switchboard-clickhouse' },
    account: { value: [ALL_VALUE], options: ['1', '2'] },
    channel: { value: [ALL_VALUE], options: ['whatsapp', 'web', 'api', 'test'] },
    assistant: { value: [ALL_VALUE], options: ['sales', 'support'] },
    phone: { value: '' },
    chatwoot_url: { value: 'https://chat.example.com' },
    daily_budget: { value: '50' },
    timezone: { value: 'UTC' },
    ...overrides,
  };
}
