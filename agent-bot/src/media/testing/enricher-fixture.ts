import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { analyticsEventSchema } from '@switchboard/events';
import { createLogger, switchboardConfigSchema, type SwitchboardConfigInput } from '@switchboard/core';
import type { TranscriptEntry } from '../../responder/responder.js';
import { loadPriceTable } from '../../pricing/index.js';
import { ImageCache } from '../image-cache.js';
import { createMediaEnricher, type MediaEnricherContext } from '../media-enricher.js';
import type { MediaEvent } from '../media-events.js';
import { terminateOcrWorkers } from '../vision/ocr.js';
import { makePdf } from './make-pdf.js';
import { makeVoiceNote } from './make-voice-note.js';
import { redirectTo, serve, startMediaServer, streamBytes } from './media-server.js';
import { renderTextImage } from './render-text-image.js';

/**
 * Shared by the enricher tests: a local "Chatwoot" serving real media (an espeak-ng voice note,
 * a rendered receipt, a PDF) and bad media, nock closed to the internet, and a hand-built hook
 * context that records notes and events. Call useMediaFixture() at the top of a test file.
 */
export const OPENAI = 'https://api.openai.com';
export const fixture = (path: string): nock.Body =>
  JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')) as nock.Body;
export const SPOKEN = 'Hello, I would like to change my delivery address to 42 Baker Street.';
export const RECEIPT = ['BIKE SHOP LISBOA', 'Order #48213', 'TOTAL EUR 31.90'];

/** Real Ogg headers (so the magic bytes say OGG/Opus), damaged audio pages after them. */
function corrupted(ogg: Buffer): Buffer {
  const copy = Buffer.from(ogg);
  for (let i = 300; i < copy.length - 50; i++) copy[i] = (i * 7919) % 256;
  return copy;
}

let server: Awaited<ReturnType<typeof startMediaServer>>;
let voice: Buffer;
let receipt: Buffer;

export const media = {
  get voice(): Buffer {
    return voice;
  },
  get receipt(): Buffer {
    return receipt;
  },
};

export function useMediaFixture(): void {
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
}

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

export function setup(
  options: { media?: SwitchboardConfigInput['media']; model?: 'openai' | 'offline' } = {},
) {
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

export function entry(
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
export function validate(event: MediaEvent) {
  return analyticsEventSchema.parse({
    id: '6f1c1d2e-8a4b-4c1d-9e2f-0a1b2c3d4e5f',
    occurredAt: '2026-11-25T10:00:01.000Z',
    accountId: 1,
    conversationId: 77,
    ...event,
  });
}

export const VOICE = '/rails/active_storage/blobs/redirect/v1/voice.ogg?disposition=inline';
export const IMAGE = '/rails/active_storage/blobs/redirect/i1/receipt.png';
