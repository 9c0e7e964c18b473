import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderCallError } from '../../llm/provider-error.js';
import { decodeAudio } from '../audio-decoder.js';
import { makeVoiceNote } from '../testing/make-voice-note.js';
import { GeminiTranscriber } from './gemini-transcriber.js';
import { OpenAITranscriber } from './openai-transcriber.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const OPENAI = 'https://api.openai.com';
/** nock hands binary (multipart) bodies over hex-encoded. */
const multipart = (raw: string): string =>
  /^[0-9a-f]+$/.test(raw) ? Buffer.from(raw, 'hex').toString('latin1') : raw;
const GEMINI = 'https://generativelanguage.googleapis.com';

let voice: Buffer;
let mp3: Buffer;
beforeAll(async () => {
  nock.disableNetConnect();
  voice = await makeVoiceNote('Hello, I would like to change my delivery address to 42 Baker Street.');
  mp3 = (await decodeAudio(voice, { mime: 'audio/ogg', mp3: true })).mp3!;
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

const request = (language: string | null) => ({
  audio: voice,
  mime: 'audio/ogg',
  language,
  durationSeconds: 4.35,
  signal: AbortSignal.timeout(10_000),
});

describe('OpenAITranscriber', () => {
  it('sends the OGG/Opus note unconverted with model and language, and reads token usage', async () => {
    let body = '';
    nock(OPENAI)
      .post('/v1/audio/transcriptions', (raw: string) => {
        body = multipart(raw);
        return true;
      })
      .reply(200, fixture('openai-transcribe-json.json') as nock.Body);
    const transcriber = new OpenAITranscriber({ model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' });
    const result = await transcriber.transcribe(request('pt-BR'));
    expect(result.text).toBe('Hello, I would like to change my delivery address to 42 Baker Street.');
    expect(result.billing).toMatchObject({
      unit: 'tokens',
      inputTokens: 79,
      audioInputTokens: 79,
      outputTokens: 19,
    });
    expect(body).toContain('name="model"\r\n\r\ngpt-4o-mini-transcribe');
    expect(body).toContain('name="language"\r\n\r\npt');
    expect(body).toContain('name="response_format"\r\n\r\njson');
    expect(body).toMatch(/filename="voice-note\.ogg"/);
    expect(body).toContain('OggS');
  });

  it('uses verbose_json for whisper-1 (billed seconds, detected language) and omits language on auto', async () => {
    let body = '';
    nock(OPENAI)
      .post('/v1/audio/transcriptions', (raw: string) => {
        body = multipart(raw);
        return true;
      })
      .reply(200, fixture('openai-whisper-verbose.json') as nock.Body);
    const result = await new OpenAITranscriber({ model: 'whisper-1', apiKey: 'sk-test' }).transcribe(
      request(null),
    );
    expect(result.billing).toEqual({ unit: 'seconds', seconds: 5 });
    expect(result.detectedLanguage).toBe('english');
    expect(body).toContain('name="response_format"\r\n\r\nverbose_json');
    expect(body).not.toContain('name="language"');
  });

  it('classifies 429 (with retry-after) and 500 as retryable provider errors', async () => {
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(
        429,
        {
          error: {
            message: 'Rate limit reached for gpt-4o-mini-transcribe',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        },
        { 'retry-after': '2' },
      );
    const transcriber = new OpenAITranscriber({ model: 'gpt-4o-mini-transcribe', apiKey: 'sk-test' });
    const limited = await transcriber.transcribe(request('en')).catch((e: unknown) => e);
    expect(ProviderCallError.isInstance(limited) && limited.kind).toBe('rate_limited');
    expect((limited as ProviderCallError).retryAfterMs).toBe(2000);
    nock(OPENAI)
      .post('/v1/audio/transcriptions')
      .reply(500, { error: { message: 'The server had an error', type: 'server_error' } });
    const failed = await transcriber.transcribe(request('en')).catch((e: unknown) => e);
    expect(ProviderCallError.isInstance(failed) && failed.retryable).toBe(true);
  });

  it('refuses a malformed success body', async () => {
    nock(OPENAI).post('/v1/audio/transcriptions').reply(200, { transcript: 'wrong field' });
    const error = await new OpenAITranscriber({ model: 'gpt-4o-transcribe', apiKey: 'sk-test' })
      .transcribe(request('en'))
      .catch((e: unknown) => e);
    expect(ProviderCallError.isInstance(error) && error.kind).toBe('invalid_response');
  });
});

describe('GeminiTranscriber', () => {
  const PATH = '/v1beta/models/gemini-2.5-flash:generateContent';

  it('sends ffmpeg MP3 as inline audio with a language instruction and reads audio tokens', async () => {
    let sent: {
      contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string } }[] }[];
    } | null = null;
    nock(GEMINI)
      .post(PATH, (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, fixture('gemini-transcribe.json') as nock.Body);
    const transcriber = new GeminiTranscriber({ model: 'gemini-2.5-flash', apiKey: 'AIza-test' });
    const result = await transcriber.transcribe({ ...request('pt-BR'), mp3 });
    expect(result.text).toBe('Hello, I would like to change my delivery address to 42 Baker Street.');
    expect(result.billing).toMatchObject({
      unit: 'tokens',
      inputTokens: 189,
      audioInputTokens: 139,
      outputTokens: 17,
    });
    const parts = sent!.contents[0]!.parts;
    expect(parts[0]!.text).toContain('Brazilian Portuguese');
    expect(parts[1]!.inlineData!.mimeType).toBe('audio/mp3');
    expect(Buffer.from(parts[1]!.inlineData!.data, 'base64').equals(mp3)).toBe(true);
  });

  it('maps "[no speech]" to an empty transcript and a 503 to a retryable error', async () => {
    nock(GEMINI)
      .post(PATH)
      .reply(200, {
        candidates: [{ content: { parts: [{ text: '[no speech]' }], role: 'model' }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 80, candidatesTokenCount: 3 },
      });
    const transcriber = new GeminiTranscriber({ model: 'gemini-2.5-flash', apiKey: 'AIza-test' });
    expect((await transcriber.transcribe({ ...request(null), mp3 })).text).toBe('');
    nock(GEMINI)
      .post(PATH)
      .reply(503, {
        error: {
          code: 503,
          message: 'The model is overloaded. Please try again later.',
          status: 'UNAVAILABLE',
        },
      });
    const error = await transcriber.transcribe({ ...request(null), mp3 }).catch((e: unknown) => e);
    expect(ProviderCallError.isInstance(error) && error.retryable).toBe(true);
  });
});
