import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { LABELS } from './enrichment-text.js';
import {
  entry,
  fixture,
  IMAGE,
  OPENAI,
  setup,
  useMediaFixture,
  validate,
} from './testing/enricher-fixture.js';

useMediaFixture();

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

  it('records Gemini image tokens for a Gemini vision model', async () => {
    const { enricher, events, context } = setup({
      model: 'offline',
      media: {
        vision: {
          use: 'model',
          model: { provider: 'gemini', model: 'gemini-2.5-flash', apiKey: 'AIza-test' },
        },
      },
    });
    nock('https://generativelanguage.googleapis.com')
      .post('/v1beta/models/gemini-2.5-flash:generateContent')
      .reply(200, fixture('./__fixtures__/gemini-vision.json'));
    const result = await enricher(entry('image', IMAGE), context);
    expect(result?.enrichment).toContain('Order #48213');
    // 330 input tokens (258 of them image) at $0.30/M + 80 output at $2.50/M.
    expect(validate(events[0]!)).toMatchObject({
      costUsd: '0.000299',
      payload: { provider: 'gemini', usage: { inputTokens: 330, imageInputTokens: 258, outputTokens: 80 } },
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
