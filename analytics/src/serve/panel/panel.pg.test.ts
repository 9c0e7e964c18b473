import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createLogger, switchboardConfigSchema } from '@switchboard/core';
import { createTestClickHouse, type TestClickHouse } from '@switchboard/core/testing';
import { buildAnalyticsServe } from '../build-serve.js';
import { analyticsEventSchema } from '@switchboard/events';
import { insertEvents } from '../../testing/seed-dataset.js';
import {
  costEvent,
  handoffEvent,
  modelCallEvent,
  toolCallEvent,
  turnEvent,
} from '../../testing/event-factory.js';

const TOKEN = 'panel-token-account-one-0123456789';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let ch: TestClickHouse;
let app: FastifyInstance;
let chatwoot: http.Server;
let browser: Browser;
let panelOrigin: string;
let chatwootOrigin: string;

/**
 * A stand-in for Chatwoot's conversation view: it frames the Dashboard App and, like
 * Frame.vue, posts the context as a JSON string on iframe load and whenever the app asks.
 */
function chatwootPage(panelUrl: string, conversationId: number): string {
  const context = JSON.stringify({
    event: 'appContext',
    data: {
      conversation: {
        id: conversationId,
        account_id: 1,
        inbox_id: 7,
        status: 'open',
        meta: { sender: { id: 42 } },
      },
      contact: { id: 42, name: 'Maria Silva' },
      currentAgent: { id: 5, name: 'Ana', email: 'ana@example.com' },
    },
  });
  return `<!doctype html><html><body>
<iframe id="app" src="${panelUrl}" width="600" height="800"></iframe>
<script>
  var frame = document.getElementById('app');
  var context = ${JSON.stringify(context)};
  window.fetchInfoRequests = 0;
  function push() { frame.contentWindow.postMessage(context, '*'); }
  frame.addEventListener('load', push);
  window.addEventListener('message', function (e) {
    if (e.data === 'chatwoot-dashboard-app:fetch-info') { window.fetchInfoRequests++; push(); }
  });
</script></body></html>`;
}

beforeAll(async () => {
  ch = await createTestClickHouse();
  const c = { conversationId: 300, assistant: 'sales', occurredAt: '2026-11-07T10:00:00.000Z' };
  await insertEvents(ch, [
    analyticsEventSchema.parse({
      ...costEvent('transcription', { ...c, costUsd: '0.0006', occurredAt: '2026-11-07T09:59:59.000Z' }),
      payload: {
        messageId: 1,
        provider: 'openai',
        model: 'whisper-1',
        durationSeconds: 6,
        latencyMs: 900,
        outcome: 'ok',
        priceVersion: 't',
        text: 'Onde está <b>meu</b> pedido?',
      },
    }),
    modelCallEvent({ ...c, costUsd: '0.0012', turnId: 't1', input: 1500, output: 120 }),
    toolCallEvent('lookup_order', { ...c, turnId: 't1', occurredAt: '2026-11-07T10:00:01.000Z' }),
    modelCallEvent({
      ...c,
      costUsd: '0.0008',
      turnId: 't1',
      input: 1700,
      output: 60,
      occurredAt: '2026-11-07T10:00:02.000Z',
    }),
    turnEvent({ ...c, turnId: 't1', latencyMs: 3500, merged: 2, occurredAt: '2026-11-07T10:00:03.000Z' }),
    handoffEvent('customer_request', { ...c, occurredAt: '2026-11-07T10:05:00.000Z' }),
    // Another account's conversation with the same id: must never show up.
    modelCallEvent({ ...c, accountId: 2, costUsd: '9', turnId: 'other' }),
  ]);
  const config = switchboardConfigSchema.parse({
    analytics: { accounts: [{ accountId: 1, apiToken: TOKEN }] },
  });
  // The panel is served by analytics-serve alone (no PostgreSQL on the read side).
  app = buildAnalyticsServe({
    config,
    logger: createLogger({ level: 'silent', format: 'json' }),
    clickhouse: ch,
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  panelOrigin = address;
  chatwoot = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const token = url.searchParams.get('token') ?? TOKEN;
    res.setHeader('content-type', 'text/html');
    res.end(
      chatwootPage(
        `${panelOrigin}/panel?token=${encodeURIComponent(token)}`,
        Number(url.searchParams.get('conversation') ?? 300),
      ),
    );
  });
  await new Promise<void>((resolve) => chatwoot.listen(0, '127.0.0.1', resolve));
  chatwootOrigin = `http://127.0.0.1:${(chatwoot.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => chatwoot?.close(resolve));
  await app?.close();
  await ch?.drop();
});

describe('insight panel in headless Chromium, framed like a Chatwoot Dashboard App', () => {
  it('shows the assistant, each AI turn with latency, model, tokens and cost, tool calls, transcript, handoff and total', async () => {
    const page = await browser.newPage();
    await page.goto(`${chatwootOrigin}/?conversation=300`);
    const frame = page.frameLocator('#app');
    await frame.locator('.turn').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => frame.locator('[data-field="Assistant"]').textContent()).toBe('sales');
    expect(await frame.locator('[data-field="Total cost"]').textContent()).toBe('$0.0026');
    expect(await frame.locator('[data-field="Tokens"]').textContent()).toBe('3200 in / 180 out');
    const turn = await frame.locator('.turn').first().innerText();
    expect(turn).toContain('Turn 1 · replied · latency 3.5 s · 2 message(s) · $0.002');
    expect(turn).toContain('gpt-4.1-mini (openai)');
    expect(turn).toContain('1500 in / 120 out');
    expect(turn).toContain('lookup_order');
    expect(await frame.locator('#handoffs').innerText()).toContain('customer_request');
    // Transcript text is shown as text, never interpreted as markup.
    expect(await frame.locator('#media').innerText()).toContain('Onde está <b>meu</b> pedido?');
    expect(await frame.locator('#media b').count()).toBe(0);
    // The page asked Chatwoot for the context, as the contract describes.
    expect(await page.evaluate<number>('window.fetchInfoRequests')).toBeGreaterThan(0);
    await page.close();
  });

  it('shows nothing of another account and says when the token is wrong', async () => {
    const page = await browser.newPage();
    await page.goto(`${chatwootOrigin}/?conversation=999`);
    const frame = page.frameLocator('#app');
    await expect
      .poll(() => frame.locator('#status').textContent(), { timeout: 15_000 })
      .toBe('No analytics recorded for this conversation yet.');
    await page.goto(`${chatwootOrigin}/?conversation=300&token=wrong-token`);
    await expect
      .poll(() => page.frameLocator('#app').locator('#status').textContent(), { timeout: 15_000 })
      .toBe('This panel is not authorised (check the token in its URL).');
    expect(await page.frameLocator('#app').locator('.turn').count()).toBe(0);
    await page.close();
  });
});
