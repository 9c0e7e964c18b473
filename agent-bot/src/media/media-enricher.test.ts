import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { LABELS } from './enrichment-text.js';
import {
  entry,
  fixture,
  OPENAI,
  setup,
  SPOKEN,
  useMediaFixture,
  validate,
  VOICE,
} from './testing/enricher-fixture.js';

useMediaFixture();

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
