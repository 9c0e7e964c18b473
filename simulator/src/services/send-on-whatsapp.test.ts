import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';
import type { WhatsappTemplate } from '../state/records.js';

const TEMPLATES: WhatsappTemplate[] = [
  {
    name: 'order_update',
    language: 'pt_BR',
    status: 'APPROVED',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Olá {{1}}, pedido {{2}}' }],
  },
  {
    name: 'discount',
    language: 'en',
    status: 'APPROVED',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [{ type: 'BODY', text: 'Hi {{name}}' }],
  },
  { name: 'pending_review', language: 'en', status: 'PENDING', category: 'UTILITY', components: [] },
];
const DAY = 24 * 60 * 60 * 1000;

let f: SimulatorFixture;
let path: string;
beforeEach(async () => {
  f = await startSimulatorFixture({ templates: TEMPLATES });
  f.sim.customer.sendText(f.customer, 'Oi');
  path = `/api/v1/accounts/${f.account.id}/conversations/1/messages`;
});
afterEach(async () => {
  await f.close();
});

describe('the 24-hour window, at send time', () => {
  it('accepts free-form text outside the window (200, sent) and fails it asynchronously', async () => {
    f.sim.clock.advance(DAY + 1000);
    const response = await f.api('POST', path, f.bot.accessToken, { content: 'Ainda está aí?' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'sent', content_attributes: {} });
    const updated = await f.sim.waitForWebhook({ event: 'message_updated' });
    expect(updated.payload.content_attributes).toEqual({
      external_error: 'Template not found or invalid template name',
    });
    expect((updated.payload.conversation as { can_reply: boolean }).can_reply).toBe(false);
    const message = f.sim.store.messages.get((response.body as { id: number }).id)!;
    expect(message.status).toBe('failed');
    expect(f.sim.recorder.channelSends.at(-1)).toMatchObject({
      outcome: 'failed',
      error: 'Template not found or invalid template name',
    });
  });

  it('sends free-form text inside the window as a session message', async () => {
    f.sim.clock.advance(DAY - 1000);
    await f.api('POST', path, f.bot.accessToken, { content: '*Oi*' });
    await f.sim.waitForIdle();
    expect(f.sim.recorder.channelSends.at(-1)).toMatchObject({ outcome: 'sent', type: 'text' });
  });

  it('decides at send time, not at create time', async () => {
    f.sim.clock.advance(DAY - 10);
    // Created inside the window (synchronously), sent after it closed: the send job runs later.
    const message = f.sim.agent.reply(f.agent.id, { accountId: f.account.id, displayId: 1 }, 'quase');
    expect(message.status).toBe('sent');
    f.sim.clock.advance(1000);
    await f.sim.waitForIdle();
    expect(message.status).toBe('failed');
  });

  it('sends a known template with its components, anywhere in time', async () => {
    f.sim.clock.advance(3 * DAY);
    const response = await f.api('POST', path, f.bot.accessToken, {
      content: 'Olá Maria, pedido #123',
      template_params: {
        name: 'order_update',
        category: 'UTILITY',
        language: 'pt_BR',
        processed_params: { body: { '1': 'Maria <b>', '2': '#123' } },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      additional_attributes: { template_params: { name: 'order_update' } },
    });
    await f.sim.waitForIdle();
    const send = f.sim.recorder.channelSends.at(-1)!;
    expect(send).toMatchObject({ outcome: 'sent', type: 'template' });
    expect(send.body.template).toEqual({
      name: 'order_update',
      language: { policy: 'deterministic', code: 'pt_BR' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Maria b' },
            { type: 'text', text: '#123' },
          ],
        },
      ],
    });
  });

  it('sends templates missing from the inbox list (or not approved) with no components', async () => {
    for (const name of ['not_synced', 'pending_review']) {
      await f.api('POST', path, f.bot.accessToken, {
        content: 'x',
        template_params: { name, language: 'en', processed_params: { body: { '1': 'a' } } },
      });
    }
    await f.sim.waitForIdle();
    const sends = f.sim.recorder.channelSends.slice(-2);
    expect(sends.map((send) => (send.body.template as { components: unknown[] }).components)).toEqual([
      [],
      [],
    ]);
    expect(sends.every((send) => send.outcome === 'sent')).toBe(true);
  });

  it('uses parameter names for NAMED templates; a copy code over 15 characters raises in the job', async () => {
    await f.api('POST', path, f.bot.accessToken, {
      content: 'x',
      template_params: { name: 'discount', language: 'EN', processed_params: { body: { name: 'Maria' } } },
    });
    const tooLong = await f.api('POST', path, f.bot.accessToken, {
      content: 'y',
      template_params: {
        name: 'discount',
        language: 'en',
        processed_params: {
          body: { name: 'M' },
          buttons: [{ type: 'copy_code', parameter: 'WAY-TOO-LONG-CODE' }],
        },
      },
    });
    await f.sim.waitForIdle();
    const sends = f.sim.recorder.channelSends.filter((send) => send.type === 'template');
    expect(sends).toHaveLength(1);
    expect((sends[0]!.body.template as { components: unknown[] }).components).toEqual([
      { type: 'body', parameters: [{ type: 'text', text: 'Maria', parameter_name: 'name' }] },
    ]);
    // Not a Meta error: the message stays `sent` and Sidekiq retries the job (see chatwoot-fidelity).
    expect(f.sim.store.messages.get((tooLong.body as { id: number }).id)!.status).toBe('sent');
  });
});

describe('what WhatsApp receives', () => {
  it('input_select becomes buttons (≤3) or a list', async () => {
    const items = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ title: `Opção ${i + 1}`, value: `o${i + 1}` }));
    await f.api('POST', path, f.bot.accessToken, {
      content: 'Escolha',
      content_type: 'input_select',
      content_attributes: { items: items(3) },
    });
    await f.api('POST', path, f.bot.accessToken, {
      content: 'Escolha',
      content_type: 'input_select',
      content_attributes: { items: items(4) },
    });
    await f.sim.waitForIdle();
    const [buttons, list] = f.sim.recorder.channelSends.slice(-2);
    expect(buttons!.body.interactive).toMatchObject({
      type: 'button',
      action: { buttons: [{ reply: { id: 'o1', title: 'Opção 1' } }, {}, {}] },
    });
    expect(list!.body.interactive).toMatchObject({ type: 'list' });
    const bad = await f.api('POST', path, f.bot.accessToken, {
      content: 'Escolha',
      content_type: 'input_select',
      content_attributes: { items: [{ title: 'a', value: 'a', extra: 1 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: expect.stringMatching(/^Validation failed: /) });
  });

  it('multipart attachments: stored, only the first is sent, audio loses its caption', async () => {
    const form = new FormData();
    form.append('content', 'ouça isto');
    form.append('message_type', 'outgoing');
    form.append('private', 'false');
    form.append('is_voice_message', 'true');
    form.append('attachments[]', new Blob([Buffer.from('OggS audio')], { type: 'audio/opus' }), 'reply.ogg');
    form.append('attachments[]', new Blob([Buffer.from([0x89, 0x50])], { type: 'image/png' }), 'chart.png');
    const response = await f.api('POST', path, f.bot.accessToken, form);
    expect(response.status).toBe(200);
    const body = response.body as { attachments: { file_type: string; content_type: string }[] };
    expect(body.attachments.map((a) => [a.file_type, a.content_type])).toEqual([
      ['audio', 'audio/ogg'],
      ['image', 'image/png'],
    ]);
    await f.sim.waitForIdle();
    const send = f.sim.recorder.channelSends.at(-1)!;
    expect(send.type).toBe('audio');
    expect(send.body.audio).toMatchObject({ voice: true });
    expect(send.body.audio).not.toHaveProperty('caption');
    const call = f.sim.recorder.apiCalls.at(-1)!;
    expect(call.requestBody).toMatchObject({
      content: 'ouça isto',
      attachments: [{ fileName: 'reply.ogg' }, { fileName: 'chart.png' }],
    });
  });

  it('refuses more than 15 attachments with 422', async () => {
    const form = new FormData();
    for (let index = 0; index < 16; index += 1)
      form.append('attachments[]', new Blob(['x'], { type: 'text/plain' }), `f${index}.txt`);
    const response = await f.api('POST', path, f.bot.accessToken, form);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: 'Validation failed: Attachments exceeded maximum allowed (15)' });
  });

  it('a document keeps caption and file name; a message with source_id is never sent', async () => {
    const form = new FormData();
    form.append('content', 'seu boleto');
    form.append('attachments[]', new Blob(['%PDF'], { type: 'application/pdf' }), 'boleto.pdf');
    await f.api('POST', path, f.bot.accessToken, form);
    await f.api('POST', path, f.bot.accessToken, { content: 'echo', source_id: 'wamid.external' });
    await f.sim.waitForIdle();
    expect(f.sim.recorder.channelSends.map((send) => send.type)).toEqual(['document']);
    expect(f.sim.recorder.channelSends[0]!.body.document).toMatchObject({
      caption: 'seu boleto',
      filename: 'boleto.pdf',
    });
  });
});

describe('status receipts', () => {
  it('sent → delivered → read produce message_updated; a repeated status changes nothing', async () => {
    const response = await f.api('POST', path, f.bot.accessToken, { content: 'Olá' });
    const id = (response.body as { id: number }).id;
    await f.sim.waitForIdle();
    const before = f.sim.webhooks({ event: 'message_updated' }).length; // the source_id update
    expect(before).toBe(1);
    expect(f.sim.receipt(id, 'delivered')).toBe(true);
    expect(f.sim.receipt(id, 'read')).toBe(true);
    expect(f.sim.receipt(id, 'read')).toBe(false);
    await f.sim.waitForIdle();
    const updates = f.sim.webhooks({ event: 'message_updated' }).slice(before);
    expect(updates).toHaveLength(2);
    expect(
      updates.map((u) => (u.payload.conversation as { messages: { status: string }[] }).messages[0]!.status),
    ).toEqual(['delivered', 'read']);
    expect(updates.every((u) => !('status' in u.payload))).toBe(true);
  });

  it('a failed receipt carries "code: title" in external_error', async () => {
    const response = await f.api('POST', path, f.bot.accessToken, { content: 'Olá' });
    const id = (response.body as { id: number }).id;
    await f.sim.waitForIdle();
    f.sim.receipt(id, 'failed', { code: 131047, title: 'Re-engagement message' });
    const update = await f.sim.waitForWebhook({
      event: 'message_updated',
      where: (r) => JSON.stringify(r.payload).includes('131047'),
    });
    expect(update.payload.content_attributes).toEqual({ external_error: '131047: Re-engagement message' });
  });

  it('plays receipts automatically when autoReceipts is on', async () => {
    f.sim.behaviour.autoReceipts = true;
    const response = await f.api('POST', path, f.bot.accessToken, { content: 'Olá' });
    await f.sim.waitForIdle();
    expect(f.sim.store.messages.get((response.body as { id: number }).id)!.status).toBe('read');
  });
});

describe('flooding', () => {
  it('answers 422 "Too many messages" past 200 messages per conversation per minute', async () => {
    f.sim.behaviour.messagesPerConversationPerMinute = 5;
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1)
      statuses.push((await f.api('POST', path, f.bot.accessToken, { content: `m${index}` })).status);
    const refused = await f.api('POST', path, f.bot.accessToken, { content: 'one more' });
    expect(statuses).toEqual([200, 200, 200, 200, 422]); // the customer's message counts too
    expect(refused).toEqual({ status: 422, body: { error: 'Validation failed: Too many messages' } });
    f.sim.clock.advance(61_000);
    expect((await f.api('POST', path, f.bot.accessToken, { content: 'later' })).status).toBe(200);
  });

  it("defaults to Chatwoot's 200", () => {
    expect(f.sim.behaviour.messagesPerConversationPerMinute).toBe(200);
  });
});
