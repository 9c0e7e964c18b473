import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatorFixture, type SimulatorFixture } from '../testing-setup.js';

let f: SimulatorFixture;
beforeEach(async () => {
  f = await startSimulatorFixture();
});
afterEach(async () => {
  await f.close();
});

describe('conversation lifecycle', () => {
  it('WhatsApp starts a new conversation (new display id, pending) after resolution', async () => {
    const first = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.resolve(f.agent.id, first.conversation);
    expect(first.conversation.status).toBe('resolved');
    const second = f.sim.customer.sendText(f.customer, 'Oi de novo');
    expect(second.conversation.displayId).toBe(2);
    expect(second.conversation.status).toBe('pending');
    expect(second.contact.id).toBe(first.contact.id);
    await f.sim.waitForIdle();
    expect(f.sim.webhooks({ event: 'conversation_resolved' })).toHaveLength(1);
  });

  it('reopens a resolved conversation as pending when the inbox locks to one conversation', async () => {
    f.inbox.lockToSingleConversation = true;
    const first = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.resolve(f.agent.id, first.conversation);
    const again = f.sim.customer.sendText(f.customer, 'voltei');
    expect(again.conversation).toBe(first.conversation);
    expect(again.conversation.status).toBe('pending');
    // ...and open when the bot has been disconnected.
    f.sim.agent.resolve(f.agent.id, first.conversation);
    f.sim.seed.connectAgentBot(f.inbox.id, null);
    expect(f.sim.customer.sendText(f.customer, 'oi?').conversation.status).toBe('open');
  });

  it('a snoozed conversation opens on the next customer message', () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.toggleStatus(f.agent.id, conversation, 'snoozed', Math.floor(Date.now() / 1000) + 3600);
    expect(conversation.status).toBe('snoozed');
    expect(conversation.snoozedUntil).not.toBeNull();
    f.sim.customer.sendText(f.customer, 'acordou?');
    expect(conversation.status).toBe('open');
    expect(conversation.snoozedUntil).toBeNull();
  });

  it('new conversations start open without an active bot, and for inactive bots', () => {
    f.sim.seed.connectAgentBot(f.inbox.id, f.bot.id, 'inactive');
    expect(f.sim.customer.sendText(f.customer, 'Oi').conversation.status).toBe('open');
  });

  it('bots receive human replies and private notes; activity messages reach nobody', async () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.reply(f.agent.id, conversation, 'Olá, sou a Ana');
    f.sim.agent.note(f.agent.id, conversation, 'cliente VIP');
    f.sim.agent.assign(f.agent.id, conversation, f.agent.id);
    await f.sim.waitForIdle();
    const created = f.receiver.received.filter((w) => w.payload.event === 'message_created');
    expect(
      created.map((w) => [
        w.payload.content,
        w.payload.private,
        (w.payload.sender as { type?: string }).type,
      ]),
    ).toEqual([
      ['Oi', false, undefined],
      ['Olá, sou a Ana', false, 'user'],
      ['cliente VIP', true, 'user'],
    ]);
    // The nested last message skips the private note.
    const note = created[2]!.payload.conversation as { messages: { content: string }[] };
    expect(note.messages[0]!.content).toBe('Olá, sou a Ana');
    // The private note is never sent to WhatsApp.
    expect(f.sim.customer.received(f.customer.phone).map((send) => send.body.text)).toEqual([
      { body: 'Olá, sou a Ana', preview_url: true },
    ]);
    expect(
      f.sim
        .messages(conversation)
        .some((m) => m.messageType === 'activity' && m.content === 'Assigned to Ana by Ana'),
    ).toBe(true);
    // first_reply_created_at comes from the human reply, waiting_since was cleared by it.
    expect(conversation.firstReplyCreatedAt).not.toBeNull();
    expect(conversation.waitingSince).toBeNull();
  });

  it('a voice note, image, document, location and button reply arrive as Chatwoot stores them', async () => {
    f.sim.customer.sendVoiceNote(f.customer, Buffer.from('OggS voice'));
    f.sim.customer.sendImage(f.customer, Buffer.from([0xff, 0xd8, 0xff]), { caption: 'meu comprovante' });
    f.sim.customer.sendDocument(f.customer, Buffer.from('%PDF-1.4'), { fileName: 'boleto.pdf' });
    f.sim.customer.sendLocation(f.customer, {
      latitude: -23.56,
      longitude: -46.65,
      name: 'Loja',
      address: 'Av. Paulista 1000',
    });
    f.sim.customer.sendButtonReply(f.customer, 'Falar com atendente');
    await f.sim.waitForIdle();
    const payloads = f.receiver.received
      .filter((w) => w.payload.event === 'message_created')
      .map((w) => w.payload);
    expect(payloads.map((p) => p.content)).toEqual([
      null,
      'meu comprovante',
      null,
      null,
      'Falar com atendente',
    ]);
    const attachment = (index: number) => (payloads[index]!.attachments as Record<string, unknown>[])[0]!;
    expect(attachment(0)).toMatchObject({
      file_type: 'audio',
      content_type: 'audio/ogg',
      transcribed_text: '',
    });
    expect(attachment(1)).toMatchObject({
      file_type: 'image',
      content_type: 'image/jpeg',
      extension: 'jpg',
      file_size: 3,
    });
    expect(attachment(2)).toMatchObject({ file_type: 'file', content_type: 'application/pdf' });
    expect(attachment(3)).toMatchObject({
      file_type: 'location',
      coordinates_lat: -23.56,
      coordinates_long: -46.65,
      fallback_title: 'Loja, Av. Paulista 1000',
    });
    expect(payloads[4]).not.toHaveProperty('attachments');
    // data_url is a public redirect to the stored bytes.
    const first = await fetch(String(attachment(0).data_url), { redirect: 'manual' });
    expect(first.status).toBe(302);
    const followed = await fetch(String(attachment(1).data_url));
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await followed.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('a transcript arrives later as message_updated with transcribed_text', async () => {
    const { message } = f.sim.customer.sendVoiceNote(f.customer, Buffer.from('OggS voice'));
    f.sim.transcribe(message.id, 'quero cancelar meu plano');
    // The first message_updated is the audio attachment's own (no text yet); the transcript's follows.
    const updated = await f.sim.waitForWebhook({
      event: 'message_updated',
      where: (r) => JSON.stringify(r.payload).includes('quero cancelar'),
    });
    expect((updated.payload.attachments as { transcribed_text: string }[])[0]!.transcribed_text).toBe(
      'quero cancelar meu plano',
    );
    expect(updated.payload.content).toBeNull();
  });
});

describe('replies to a bot message', () => {
  it('a tapped button carries in_reply_to and in_reply_to_external_id of the bot message', async () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    const menu = f.sim.agent.reply(f.agent.id, conversation, 'Escolha', {
      contentType: 'input_select',
      contentAttributes: { items: [{ title: 'Planos', value: 'plans' }] },
    });
    await f.sim.waitForIdle();
    const sourceId = f.sim.store.messages.get(menu.id)!.sourceId;
    expect(sourceId).toMatch(/^wamid\./);
    const { message } = f.sim.customer.sendButtonReply(f.customer, 'Planos', { replyToMessageId: menu.id });
    expect(message.content).toBe('Planos');
    expect(message.contentAttributes).toEqual({ in_reply_to_external_id: sourceId, in_reply_to: menu.id });
  });
});

describe('messages with no sender', () => {
  it('the inbox greeting is a template message with sender null, sent once per conversation', async () => {
    f.inbox.greetingMessage = 'Olá! Em que podemos ajudar?';
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.customer.sendText(f.customer, 'alguém aí?');
    await f.sim.waitForIdle();
    const templates = f.receiver.received.filter(
      (w) => w.payload.event === 'message_created' && w.payload.message_type === 'template',
    );
    expect(templates).toHaveLength(1);
    expect(templates[0]!.payload).toMatchObject({ sender: null, content: 'Olá! Em que podemos ajudar?' });
    expect(f.sim.customer.received(f.customer.phone).map((send) => send.type)).toEqual(['text']);
    expect(f.sim.messages(conversation).map((m) => m.messageType)).toEqual([
      'incoming',
      'template',
      'incoming',
    ]);
  });

  it('a WhatsApp Business app echo is outgoing, sender null, external_echo, and not sent again', async () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    f.sim.agent.businessAppEcho(conversation, 'respondi pelo celular');
    await f.sim.waitForIdle();
    const echo = f.receiver.received.find((w) => w.payload.content === 'respondi pelo celular')!;
    expect(echo.payload).toMatchObject({
      message_type: 'outgoing',
      sender: null,
      content_attributes: { external_echo: true },
    });
    expect(String(echo.payload.source_id)).toMatch(/^wamid\./);
    expect(f.sim.recorder.channelSends).toHaveLength(0);
    expect(conversation.firstReplyCreatedAt).not.toBeNull();
  });
});

describe('scheduled jobs', () => {
  it('reopens snoozed conversations once their time has come', async () => {
    const { conversation } = f.sim.customer.sendText(f.customer, 'Oi');
    const until = Math.floor(f.sim.clock.nowMs() / 1000) + 3600;
    f.sim.agent.toggleStatus(f.agent.id, conversation, 'snoozed', until);
    expect(f.sim.runScheduledJobs()).toEqual({ reopenedSnoozed: 0 });
    f.sim.clock.advance(3600 * 1000);
    expect(f.sim.runScheduledJobs()).toEqual({ reopenedSnoozed: 1 });
    expect(conversation.status).toBe('open');
    await f.sim.waitForIdle();
    expect(f.sim.webhooks({ event: 'conversation_opened' })).toHaveLength(1);
  });
});
