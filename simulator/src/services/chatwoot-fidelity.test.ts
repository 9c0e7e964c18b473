import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';
import { postJson } from '../webhooks/post-json.js';
import { isUnsafeAddress } from '../webhooks/ssrf-filter.js';
import { createWebhookReceiver } from '../webhook-receiver.js';
import { renderWhatsappMarkdown } from './render-markdown.js';

/** Where a reading of Chatwoot v4.15.1's source found the simulator differed (issue 17). */
let f: SimulatorFixture;
let path: string;
beforeEach(async () => {
  f = await startSimulatorFixture({
    templates: [
      {
        name: 'coupon',
        language: 'en',
        status: 'APPROVED',
        category: 'MARKETING',
        components: [{ type: 'BODY', text: 'Your code: {{1}}' }],
      },
    ],
  });
  path = `/api/v1/accounts/${f.account.id}/conversations/1/messages`;
});
afterEach(async () => {
  await f.close();
});

const lastChannelSend = () => f.sim.recorder.channelSends.at(-1);

describe('private networks (SafeFetch over ssrf_filter, ≥ 4.14)', () => {
  it('blocks by default: only SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true allows private hosts', () => {
    const context = fileURLToPath(new URL('../context.ts', import.meta.url));
    const read = (env: Record<string, string | undefined>) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(context)}); console.log(m.DEFAULT_BEHAVIOUR.blockPrivateNetwork);`,
        ],
        { env: { ...process.env, ...env }, encoding: 'utf8' },
      ).trim();
    expect(read({ SAFE_FETCH_ALLOW_PRIVATE_NETWORK: '' })).toBe('true');
    expect(read({ SAFE_FETCH_ALLOW_PRIVATE_NETWORK: 'true' })).toBe('false');
  });

  it("refuses ssrf_filter's ranges, in every spelling, and allows public addresses", () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '100.64.0.1',
      '172.31.255.255',
      '192.168.0.10',
      '169.254.169.254',
      '0.0.0.0',
      '198.18.0.1',
      '224.0.0.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isUnsafeAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
      expect(isUnsafeAddress(address), address).toBe(false);
    }
  });

  it('resolves host names first and refuses numeric forms of loopback, before any connection', async () => {
    const receiver = await createWebhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      for (const host of ['localhost', '127.0.0.1', '0x7f000001', '2130706433', '[::1]', '[::ffff:7f00:1]']) {
        const result = await postJson(`http://${host}:${port}/chatwoot/webhook`, '{}', {}, 2000, {
          blockPrivateNetwork: true,
        });
        expect(result, host).toMatchObject({ statusCode: null });
        expect(result.error, host).toMatch(/^SafeFetch::UnsafeUrlError /);
      }
      expect(receiver.received).toHaveLength(0);
      // Allowed (SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true), the same URL is delivered.
      const allowed = await postJson(`http://localhost:${port}/chatwoot/webhook`, '{}', {}, 2000);
      expect(allowed.statusCode).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});

describe('sending to WhatsApp', () => {
  it('an exception in the send job leaves the message sent: no external_error, no message_updated', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    await f.sim.waitForIdle();
    const updatesBefore = f.sim.webhooks({ event: 'message_updated' }).length;
    const response = await f.api('POST', path, f.bot.accessToken, {
      content: 'Your code',
      template_params: {
        name: 'coupon',
        language: 'en',
        // Meta allows 15 characters: Chatwoot's converter raises while building the request.
        processed_params: { body: { '1': 'x' }, buttons: [{ type: 'copy_code', parameter: 'X'.repeat(20) }] },
      },
    });
    expect(response.status).toBe(200);
    await f.sim.waitForIdle();
    const message = f.sim.store.messages.get((response.body as { id: number }).id)!;
    expect(message.status).toBe('sent');
    expect(message.contentAttributes).not.toHaveProperty('external_error');
    expect(message.sourceId).toBeNull();
    expect(f.sim.webhooks({ event: 'message_updated' })).toHaveLength(updatesBefore);
    expect(f.sim.recorder.channelSends).toHaveLength(0);
  });

  it('renders Liquid when the message is created and Markdown when it is sent', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const response = await f.api('POST', path, f.bot.accessToken, {
      content: 'Olá **{{contact.name}}**, veja [o site](https://example.com)\n\n- um\n- _dois_',
    });
    expect((response.body as { content: string }).content).toBe(
      'Olá **Maria Silva**, veja [o site](https://example.com)\n\n- um\n- _dois_',
    );
    await f.sim.waitForIdle();
    expect(lastChannelSend()?.body).toMatchObject({
      type: 'text',
      text: { body: 'Olá *Maria Silva*, veja https://example.com\n- um\n- _dois_' },
    });
  });

  it('renders Markdown the way WhatsAppRenderer does: ordered lists, quotes, code, no strikethrough', () => {
    expect(renderWhatsappMarkdown('1. a\n2. **b**\n\n> dito\n\n`x` ~~y~~ *z*')).toBe(
      '1. a\n2. *b*\n> dito\n`x` ~~y~~ _z_',
    );
    expect(renderWhatsappMarkdown('   ')).toBe('   ');
    expect(renderWhatsappMarkdown(null)).toBeNull();
  });
});

describe('payload shapes', () => {
  it('an audio attachment adds a message_updated right after message_created, before any transcript', async () => {
    const { message } = f.sim.customer.sendVoiceNote(f.customer, Buffer.from('OggS voice'));
    await f.sim.waitForIdle();
    const events = f.sim
      .webhooks()
      .filter((w) => Number(w.payload.id) === message.id)
      .map((w) => [w.event, (w.payload.attachments as { transcribed_text: string }[])[0]!.transcribed_text]);
    expect(events).toEqual([
      ['message_created', ''],
      ['message_updated', ''],
    ]);
  });

  it("an image's extension has no dot and its thumb_url is a representation URL of its own", async () => {
    f.sim.customer.sendImage(f.customer, Buffer.from([0xff, 0xd8, 0xff]), { contentType: 'image/jpeg' });
    await f.sim.waitForIdle();
    const [created] = f.sim.webhooks({ event: 'message_created' });
    const image = (created!.payload.attachments as Record<string, string>[])[0]!;
    expect(image.extension).toBe('jpg');
    expect(image.thumb_url).not.toBe(image.data_url);
    expect(image.thumb_url).toContain('/rails/active_storage/representations/redirect/');
    const thumb = await fetch(image.thumb_url!);
    expect(thumb.status).toBe(200);
    expect(Buffer.from(await thumb.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('toggle_status answers snoozed_until as an ISO time', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const response = await f.api(
      'POST',
      `/api/v1/accounts/${f.account.id}/conversations/1/toggle_status`,
      f.agent.accessToken,
      { status: 'snoozed', snoozed_until: 1782000000 },
    );
    expect(response.body).toMatchObject({ payload: { snoozed_until: '2026-06-21T00:00:00.000Z' } });
  });
});

describe('WhatsApp status receipts (update_message_with_status)', () => {
  it('are applied as they come: a late delivered after read, and a failure error is never cleared', async () => {
    f.sim.customer.sendText(f.customer, 'Oi');
    const response = await f.api('POST', path, f.bot.accessToken, { content: 'Olá' });
    const id = (response.body as { id: number }).id;
    await f.sim.waitForIdle();
    expect(f.sim.receipt(id, 'read')).toBe(true);
    expect(f.sim.receipt(id, 'delivered')).toBe(true);
    expect(f.sim.store.messages.get(id)!.status).toBe('delivered');
    expect(f.sim.receipt(id, 'failed', { code: 131026, title: 'Message undeliverable' })).toBe(true);
    expect(f.sim.receipt(id, 'sent')).toBe(true);
    expect(f.sim.store.messages.get(id)).toMatchObject({
      status: 'sent',
      contentAttributes: { external_error: '131026: Message undeliverable' },
    });
  });
});

describe('X-Chatwoot-Delivery', () => {
  it('is sent for a bot without a secret too (unsigned, but with its delivery id)', async () => {
    const receiver = await createWebhookReceiver();
    try {
      const bot = f.sim.seed.agentBot({ accountId: f.account.id, outgoingUrl: receiver.url, secret: null });
      f.sim.seed.connectAgentBot(f.inbox.id, bot.id);
      f.sim.customer.sendText(f.customer, 'Oi');
      await f.sim.waitForIdle();
      const [webhook] = receiver.received;
      expect(webhook!.headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(webhook!.headers).not.toHaveProperty('x-chatwoot-signature');
    } finally {
      await receiver.close();
    }
  });
});
