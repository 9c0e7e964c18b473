import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { analyticsEventSchema } from '@switchboard/analytics';
import { createLogger, switchboardConfigSchema, type SwitchboardConfigInput } from '@switchboard/core';
import type { Responder, TranscriptEntry, TurnContext } from '../assistant/responder.js';
import { loadPriceTable } from '../pricing/index.js';
import { LABELS } from './enrichment-text.js';
import { ImageCache } from './image-cache.js';
import { createMediaEnricher, type MediaEnricherContext } from './media-enricher.js';
import type { MediaEvent } from './media-events.js';
import { withMediaResponder } from './media-responder.js';
import { makePdf } from './testing/make-pdf.js';
import { makeVoiceNote } from './testing/make-voice-note.js';
import { redirectTo, serve, startMediaServer, streamBytes } from './testing/media-server.js';
import { renderTextImage } from './testing/render-text-image.js';
import { terminateOcrWorkers } from './vision/ocr.js';

const OPENAI = 'https://api.openai.com';
const fixture = (path: string): nock.Body =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as nock.Body;
const SPOKEN = 'Hello, I would like to change my delivery address to 42 Baker Street.';
const RECEIPT = ['BIKE SHOP LISBOA', 'Order #48213', 'TOTAL EUR 31.90'];

/** Real Ogg headers (so the magic bytes say OGG/Opus), damaged audio pages after them. */
function corrupted(ogg: Buffer): Buffer {
  const copy = Buffer.from(ogg);
  for (let i = 300; i < copy.length - 50; i++) copy[i] = (i * 7919) % 256;
  return copy;
}

let server: Awaited<ReturnType<typeof startMediaServer>>;
let voice: Buffer;
let receipt: Buffer;

beforeAll(async () => {
  voice = await makeVoiceNote(SPOKEN);
  receipt = await renderTextImage(RECEIPT);
  server = await startMediaServer({
    '/rails/active_storage/blobs/redirect/v1/voice.ogg': redirectTo(
      '/rails/active_storage/disk/v1/voice.ogg',
    ),
    '/rails/active_storage/disk/v1/voice.ogg': serve(voice, 'audio/ogg'),
    '/rails/active_storage/blobs/redirect/i1/receipt.png': redirectTo(
      '/rails/active_storage/disk/i1/receipt.png',
    ),
    '/rails/active_storage/disk/i1/receipt.png': serve(receipt, 'image/png'),
    '/blob/invoice.pdf': serve(
      makePdf([['Invoice INV-2026-0042', 'Total due: EUR 129.00']]),
      'application/pdf',
    ),
    '/blob/corrupt.ogg': serve(corrupted(voice), 'audio/ogg'),
    '/blob/not-an-image.jpg': serve(Buffer.from('<html>this is not an image</html>'), 'image/jpeg'),
    '/blob/huge.ogg': streamBytes(50 * 1024 * 1024),
    '/blob/elsewhere.ogg': redirectTo('http://169.254.169.254/latest/meta-data/'),
  });
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await server.close();
  await terminateOcrWorkers();
});
beforeEach(() => nock.cleanAll());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

function config(media: SwitchboardConfigInput['media'] = {}, model: 'openai' | 'offline' = 'openai') {
  return switchboardConfigSchema.parse({
    chatwoot: {
      accounts: [
        {
          id: 1,
          baseUrl: server.origin,
          bot: { id: 9, accessToken: 'bot-token' },
          inboxes: [{ id: 3, assistant: 'shop' }],
        },
      ],
    },
    assistants: {
      shop: {
        name: 'Bike shop',
        systemPrompt: 'You help bike shop customers.',
        language: 'en',
        model:
          model === 'openai'
            ? { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test' }
            : { provider: 'offline', model: 'offline' },
      },
    },
    media: {
      // Local mode: the "Chatwoot" here is on 127.0.0.1.
      fetch: { allowPrivateAddresses: true, timeoutMs: 5_000 },
      transcription: { provider: 'openai', model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' },
      ...media,
    },
  });
}

function setup(options: { media?: SwitchboardConfigInput['media']; model?: 'openai' | 'offline' } = {}) {
  const cfg = config(options.media, options.model);
  const images = new ImageCache();
  const logger = createLogger({ level: 'silent', format: 'json' });
  const enricher = createMediaEnricher({ config: cfg, logger, prices: loadPriceTable(), images });
  const notes: string[] = [];
  const events: MediaEvent[] = [];
  const context: MediaEnricherContext = {
    accountId: 1,
    conversationId: 77,
    assistant: 'shop',
    signal: AbortSignal.timeout(60_000),
    emit: (event) => events.push(event as MediaEvent),
    addPrivateNote: async (text) => {
      notes.push(text);
    },
  };
  return { cfg, images, logger, enricher, notes, events, context };
}

function entry(
  fileType: 'audio' | 'image' | 'file',
  path: string,
  extra: Partial<TranscriptEntry> = {},
): TranscriptEntry {
  return {
    messageId: 501,
    author: 'customer',
    private: false,
    text: '',
    createdAt: '2026-11-25T10:00:00.000Z',
    attachments: [{ id: 901, fileType, dataUrl: `${server.origin}${path}` }],
    ...extra,
  };
}

/** The event as the engine would write it (envelope added) must satisfy the analytics schema. */
function validate(event: MediaEvent) {
  return analyticsEventSchema.parse({
    id: '6f1c1d2e-8a4b-4c1d-9e2f-0a1b2c3d4e5f',
    occurredAt: '2026-11-25T10:00:01.000Z',
    accountId: 1,
    conversationId: 77,
    ...event,
  });
}

const VOICE = '/rails/active_storage/blobs/redirect/v1/voice.ogg?disposition=inline';
const IMAGE = '/rails/active_storage/blobs/redirect/i1/receipt.png';

describe('media enricher: voice notes', () => {
  it('transcribes a voice note, posts a labelled note with model and cost, emits the event', async () => {
    const { enricher, notes, events, context } = setup();
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(200, fixture('./transcription/__fixtures__/openai-transcribe-json.json'));
    const result = await enricher(entry('audio', VOICE), context);
    expect(result?.enrichment).toBe(`${LABELS.voice} ${SPOKEN}`);
    // 79 audio tokens at $3/M + 19 output tokens at $5/M (genai-prices) = $0.000332.
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /^🎤 Voice note transcript · gpt-4o-mini-transcribe · \d\.\d s · \$0\.000332\n> Hello, I would like/,
    );
    const event = validate(events[0]!);
    expect(event).toMatchObject({ type: 'transcription', costUsd: '0.000332', costKind: 'transcription' });
    expect(event.payload).toMatchObject({
      messageId: 501,
      provider: 'openai',
      model: 'gpt-4o-mini-transcribe',
      language: 'en',
      outcome: 'ok',
    });
    expect((event.payload as { durationSeconds: number }).durationSeconds).toBeGreaterThan(3);
  });

  it('does not transcribe again when Chatwoot already provided transcribed_text', async () => {
    const { enricher, notes, events, context } = setup();
    const result = await enricher(entry('audio', VOICE, { enrichment: 'Chatwoot transcript' }), context);
    expect(result).toBeNull();
    expect(notes).toEqual([]);
    expect(events).toEqual([]);
  });

  it('prices whisper-1 by the second and Gemini by audio tokens', async () => {
    const whisper = setup({
      media: {
        transcription: { provider: 'openai', model: 'whisper-1', apiKey: 'sk-test', language: 'auto' },
      },
    });
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(200, fixture('./transcription/__fixtures__/openai-whisper-verbose.json'));
    await whisper.enricher(entry('audio', VOICE), whisper.context);
    // 5 billed seconds at $0.006/min (config/prices.yaml).
    expect(validate(whisper.events[0]!)).toMatchObject({
      costUsd: '0.0005',
      payload: { language: 'english' },
    });

    const gemini = setup({
      media: { transcription: { provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'AIza-test' } },
    });
    nock('https://generativelanguage.googleapis.com')
      .post('/v1beta/models/gemini-2.5-flash:generateContent')
      .reply(200, fixture('./transcription/__fixtures__/gemini-transcribe.json'));
    const result = await gemini.enricher(entry('audio', VOICE), gemini.context);
    expect(result?.enrichment).toContain(SPOKEN);
    // 50 text tokens at $0.30/M + 139 audio tokens at $1/M + 17 output at $2.50/M.
    expect(gemini.events[0]!.costUsd).toBe('0.0001965');
  });

  it('retries a 429 and then records a provider failure with a clear note, after 3 attempts', async () => {
    const { enricher, notes, events, context } = setup();
    const limited = {
      error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
    };
    nock(OPENAI).post('/v1/audio/transcriptions').times(3).reply(429, limited, { 'retry-after-ms': '10' });
    const result = await enricher(entry('audio', VOICE), context);
    expect(result?.enrichment).toContain(LABELS.voiceFailed);
    expect(notes[0]).toMatch(
      /^⚠️ Voice note not transcribed · gpt-4o-mini-transcribe\nopenai transcription failed \(HTTP 429/,
    );
    expect(validate(events[0]!).payload).toMatchObject({ outcome: 'error' });
  });

  it('records a provider timeout as a timeout', async () => {
    const { enricher, events, context } = setup({ media: { providerTimeoutMs: 200 } });
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .times(3)
      .delay(5_000)
      .reply(200, fixture('./transcription/__fixtures__/openai-transcribe-json.json'));
    const result = await enricher(entry('audio', VOICE), context);
    expect(result?.enrichment).toContain(LABELS.voiceFailed);
    expect(validate(events[0]!).payload).toMatchObject({ outcome: 'timeout' });
    nock.abortPendingRequests();
  });

  it.each([
    ['a corrupt OGG', '/blob/corrupt.ogg', 'corrupt', 'invalid'],
    ['a 50 MB upload', '/blob/huge.ogg', 'too_large', 'invalid'],
    ['a redirect to the metadata address', '/blob/elsewhere.ogg', 'blocked_host', 'invalid'],
  ])(
    'turns %s into a recorded failure, a note and an enrichment line',
    async (_name, path, reason, outcome) => {
      const { enricher, notes, events, context } = setup();
      const result = await enricher(entry('audio', path), context);
      expect(result?.enrichment).toContain(LABELS.voiceFailed);
      expect(notes[0]).toMatch(/^⚠️ Voice note not transcribed/);
      expect(validate(events[0]!).payload).toMatchObject({
        outcome,
        error: expect.stringContaining(`${reason}:`) as unknown,
      });
    },
  );
});

describe('media enricher: images and documents', () => {
  it('interprets an image with the assistant vision model and keeps it for the answer', async () => {
    const { enricher, notes, events, context, images } = setup();
    let sent: { messages: { role: string; content: unknown }[] } | null = null;
    nock(OPENAI)
      .post('/v1/chat/completions', (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('./__fixtures__/openai-vision.json'));
    const result = await enricher(entry('image', IMAGE, { text: 'is this right?' }), context);
    expect(result?.enrichment).toMatch(/^\[Image description\] A printed receipt .* order #48213/);
    expect(JSON.stringify(sent!.messages)).toContain('data:image/png;base64,');
    expect(JSON.stringify(sent!.messages)).toContain("The customer's caption: is this right?");
    // 8642 input tokens at $0.15/M + 74 output at $0.60/M (gpt-4o-mini).
    expect(notes[0]).toMatch(
      /^🖼️ Image, as the AI sees it · gpt-4o-mini · \$0\.0013407\n> A printed receipt/,
    );
    expect(validate(events[0]!)).toMatchObject({
      type: 'vision',
      costKind: 'vision',
      costUsd: '0.0013407',
      payload: { method: 'vision', outcome: 'ok' },
    });
    expect(images.get(1, 901)?.mime).toBe('image/png');
  });

  it('uses a configured Claude vision model, in the assistant language', async () => {
    const { enricher, notes, events, context } = setup({
      model: 'offline',
      media: {
        vision: {
          use: 'model',
          model: { provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'sk-ant-test' },
        },
      },
    });
    let sent: {
      system: unknown;
      messages: { content: { type: string; source?: { media_type: string } }[] }[];
    } | null = null;
    nock('https://api.anthropic.com')
      .post('/v1/messages', (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('./__fixtures__/anthropic-vision.json'));
    const result = await enricher(entry('image', IMAGE), context);
    expect(result?.enrichment).toContain('encomenda #48213');
    expect(sent!.messages[0]!.content[0]).toMatchObject({
      type: 'image',
      source: { media_type: 'image/png' },
    });
    expect(JSON.stringify(sent!.system)).toContain('Write in English');
    // 1123 input tokens at $3/M + 61 output at $15/M.
    expect(notes[0]).toMatch(/^🖼️ Image, as the AI sees it · claude-sonnet-4-5 · \$0\.004284\n/);
    expect(validate(events[0]!)).toMatchObject({
      costUsd: '0.004284',
      payload: { provider: 'anthropic', usage: { inputTokens: 1123, outputTokens: 61 } },
    });
  });

  it('falls back to OCR when the vision provider keeps failing, and says so', async () => {
    const { enricher, notes, events, context } = setup();
    nock(OPENAI)
      .post('/v1/chat/completions')
      .times(3)
      .reply(500, {
        error: { message: 'The server had an error while processing your request.', type: 'server_error' },
      });
    const result = await enricher(entry('image', IMAGE), context);
    expect(result?.enrichment).toContain(LABELS.ocr);
    expect(result?.enrichment).toContain('48213');
    expect(notes[0]).toContain('openai vision failed (HTTP 500');
    expect(validate(events[0]!).payload).toMatchObject({ method: 'ocr', outcome: 'ok' });
  });

  it('reads the text with OCR when the assistant has no vision model', async () => {
    const { enricher, notes, events, context } = setup({ model: 'offline' });
    const result = await enricher(entry('image', IMAGE), context);
    expect(result?.enrichment).toContain(LABELS.ocr);
    expect(result?.enrichment).toContain('48213');
    expect(result?.enrichment).toContain('31.90');
    expect(notes[0]).toMatch(
      /^🖼️ Image text \(OCR\) · tesseract\.js \(eng\) · OCR confidence \d+% · \$0 \(offline\)/,
    );
    expect(validate(events[0]!)).toMatchObject({
      costUsd: '0',
      payload: { method: 'ocr', provider: 'tesseract', outcome: 'ok' },
    });
  });

  it('refuses an "image" whose bytes are not an image', async () => {
    const { enricher, notes, events, context } = setup({ model: 'offline' });
    const result = await enricher(entry('image', '/blob/not-an-image.jpg'), context);
    expect(result?.enrichment).toContain(LABELS.imageFailed);
    expect(notes[0]).toMatch(/^⚠️ Image not interpreted/);
    expect(validate(events[0]!).payload).toMatchObject({
      outcome: 'invalid',
      error: expect.stringContaining('unsupported_type') as unknown,
    });
  });

  it('extracts the text of a PDF', async () => {
    const { enricher, notes, events, context } = setup();
    const result = await enricher(entry('file', '/blob/invoice.pdf'), context);
    expect(result?.enrichment).toContain('INV-2026-0042');
    expect(notes[0]).toMatch(/^📄 PDF text · pdf-parse · 1 page · \$0 \(offline\)/);
    expect(validate(events[0]!).payload).toMatchObject({ method: 'pdf_text', outcome: 'ok' });
  });
});

describe('media enricher: other documents and superseded turns', () => {
  it('refuses a document that is not a PDF with a clear note', async () => {
    const { enricher, notes, context } = setup();
    const result = await enricher(entry('file', '/blob/not-an-image.jpg'), context);
    expect(result?.enrichment).toContain('only PDF documents are read');
    expect(notes[0]).toMatch(/^⚠️ Document not read/);
  });

  it('records nothing when the turn is superseded mid-download (the next turn reads it again)', async () => {
    const { enricher, notes, events, context } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(enricher(entry('audio', VOICE), { ...context, signal: controller.signal })).rejects.toThrow(
      'superseded',
    );
    expect(notes).toEqual([]);
    expect(events).toEqual([]);
  });
});

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
      { kind: 'text', text: "Sorry, I can't listen to voice messages. Could you type your message, please?" },
    ]);
    expect(answering.seen).toHaveLength(0);
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
    expect(Buffer.from(attachment.data!).equals(receipt)).toBe(true);
  });
});
