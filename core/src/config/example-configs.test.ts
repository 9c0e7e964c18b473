import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { REPO_ROOT } from '../postgres/migrate-postgres.js';

/** The committed configurations must stay valid as the schema evolves. */
describe('committed configuration files', () => {
  it('config/switchboard.yaml (local mode) loads with no environment at all', () => {
    const { config } = loadConfig({ file: path.join(REPO_ROOT, 'config/switchboard.yaml'), env: {} });
    expect(config.playground.enabled).toBe(true);
    expect(config.chatwoot.accounts[0]?.inboxes[0]?.assistant).toBe('riverside');
    expect(config.assistants.riverside?.model.provider).toBe('offline');
  });

  it('config/examples/production.yaml loads with its variables set, and names the missing ones', () => {
    const env = {
      DATABASE_URL: 'postgres://switchboard:pw@postgres:5432/switchboard',
      CLICKHOUSE_URL: 'http://clickhouse:8123',
      CLICKHOUSE_PASSWORD: 'pw',
      CHATWOOT_URL: 'http://chatwoot-web:3000',
      CHATWOOT_DOMAIN: 'chat.example.com',
      CHATWOOT_BOT_TOKEN: 'bot-token',
      CHATWOOT_BOT_SECRET: 'bot-secret',
      CHATWOOT_USER_TOKEN: 'user-token',
      CHATWOOT_ACCOUNT_WEBHOOK_SECRET: 'account-secret',
      ANALYTICS_API_TOKEN: 'a-long-random-analytics-token-0123456789',
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_API_KEY: 'sk-ant-test',
    };
    const file = path.join(REPO_ROOT, 'config/examples/production.yaml');
    const { config } = loadConfig({ file, env });
    expect(config.playground.enabled).toBe(false);
    expect(config.database.url).toBe(env.DATABASE_URL);
    expect(config.assistants.support?.fallbacks).toHaveLength(1);
    // An unset variable that is the whole value leaves the key absent: a required key then fails by name.
    expect(() => loadConfig({ file, env: { ...env, CHATWOOT_BOT_TOKEN: undefined } })).toThrow(
      /production\.yaml: chatwoot\.accounts\.0\.bot\.accessToken: /,
    );
  });
});
