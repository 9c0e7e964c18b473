import { describe, expect, it } from 'vitest';
import type { Responder, TranscriptEntry, TurnContext } from '../responder/responder.js';
import { LABELS } from './enrichment-text.js';
import { withMediaResponder } from './media-responder.js';
import { entry, IMAGE, media, setup, useMediaFixture, VOICE } from './testing/enricher-fixture.js';

useMediaFixture();

describe('media responder', () => {
  function turn(entries: TranscriptEntry[]): TurnContext {
    return {
      turnId: 't1',
      accountId: 1,
      conversationId: 77,
      inboxId: 3,
      assistant: 'shop',
      channel: 'whatsapp',
      transcript: entries,
      pending: entries,
      customer: { contactId: 5, name: null, phone: null, email: null, attributes: {} },
      window: { open: true, closesAt: null },
      now: new Date(),
      signal: AbortSignal.timeout(10_000),
      actions: {} as TurnContext['actions'],
      emit: () => undefined,
    };
  }
  const answering: Responder & { seen: TurnContext[] } = {
    seen: [],
    async respond(context) {
      this.seen.push(context);
      return { messages: [{ kind: 'text', text: 'model answer' }] };
    },
  };

  it('asks the customer to type when the only message is a voice note nobody could transcribe', async () => {
    const { cfg, images, logger, enricher, context } = setup({
      media: { transcription: { provider: 'none' } },
    });
    const note = entry('audio', VOICE);
    note.enrichment = (await enricher(note, context))!.enrichment;
    expect(note.enrichment).toContain('no transcription provider is configured');
    answering.seen = [];
    const reply = await withMediaResponder(answering, { config: cfg, logger, images }).respond(turn([note]));
    expect(reply.messages).toEqual([
      { kind: 'text', text: "Sorry, I couldn't listen to your voice message. Could you type it, please?" },
    ]);
    expect(answering.seen).toHaveLength(0);
  });

  it("asks in the customer's language when they wrote in another one before", async () => {
    const { cfg, images, logger } = setup({ media: { transcription: { provider: 'none' } } });
    const earlier: TranscriptEntry = {
      ...entry('file', '/x'),
      messageId: 500,
      attachments: [],
      text: 'Olá, para quando é a minha encomenda?',
    };
    const note = entry('audio', VOICE, {
      enrichment: `${LABELS.voiceFailed} no transcription provider is configured.]`,
    });
    const context = turn([earlier, note]);
    context.pending = [note];
    const reply = await withMediaResponder(answering, { config: cfg, logger, images }).respond(context);
    expect(reply.messages).toEqual([
      {
        kind: 'text',
        text: 'Desculpe, não consegui ouvir a sua mensagem de voz. Pode escrevê-la, por favor?',
      },
    ]);
  });

  it('hands off instead when the policy says so', async () => {
    const { cfg, images, logger } = setup({
      media: { transcription: { provider: 'none' }, withoutTranscription: 'handoff' },
    });
    const note = entry('audio', VOICE, {
      enrichment: `${LABELS.voiceFailed} no transcription provider is configured.]`,
    });
    const reply = await withMediaResponder(answering, { config: cfg, logger, images }).respond(turn([note]));
    expect(reply.handoff?.reason).toBe('unsupported_media');
  });

  it('passes the original image to a model that accepts images', async () => {
    const { cfg, images, logger } = setup();
    const photo = entry('image', IMAGE, { enrichment: '[Image description] a receipt' });
    answering.seen = [];
    await withMediaResponder(answering, { config: cfg, logger, images }).respond(turn([photo]));
    const attachment = answering.seen[0]!.pending[0]!.attachments[0]!;
    expect(attachment.contentType).toBe('image/png');
    expect(Buffer.from(attachment.data!).equals(media.receipt)).toBe(true);
  });
});
