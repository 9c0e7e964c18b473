import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '@switchboard/core';
import { describe, expect, it } from 'vitest';

describe('npm run sim', () => {
  it('starts on SIMULATOR_PORT, prints the seeded URLs and tokens, and answers the API with them', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'simulator/src/sim-server.ts')],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          SIMULATOR_PORT: '0',
          SIMULATOR_BOT_TOKEN: 'bot-token-for-test',
          SIMULATOR_AGENT_TOKEN: 'agent-token-for-test',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no banner in time: ${text}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('inspect')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(url).toBeDefined();
      expect(output).toContain('api_access_token bot-token-for-test');
      expect(output).toMatch(/webhook secret +\S+/);
      const inbox = await fetch(`${url}/api/v1/accounts/1/inboxes/1`, {
        headers: { api_access_token: 'agent-token-for-test' },
      });
      expect(inbox.status).toBe(200);
      expect(await inbox.json()).toMatchObject({
        name: 'WhatsApp Sales',
        message_templates: [{ name: 'order_update' }, { name: 'follow_up' }],
      });
      const forbidden = await fetch(`${url}/api/v1/accounts/1/inboxes/1`, {
        headers: { api_access_token: 'bot-token-for-test' },
      });
      expect(forbidden.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
