import { describe, expect, it } from 'vitest';
import { MediaError } from '../media-error.js';
import { sniffMediaType } from '../sniff-media-type.js';
import { makePdf } from '../testing/make-pdf.js';
import { extractPdfText } from './pdf-text.js';

describe('extractPdfText', () => {
  it('extracts every page of a real PDF and truncates to the limit', async () => {
    const pdf = makePdf([
      ['Invoice INV-2026-0042', 'Total due: EUR 129.00'],
      ['Page two: warranty until 2028-11-20'],
    ]);
    expect(await sniffMediaType(pdf)).toEqual({ kind: 'pdf', mime: 'application/pdf' });
    const result = await extractPdfText(pdf, 10_000);
    expect(result.pages).toBe(2);
    expect(result.text).toContain('INV-2026-0042');
    expect(result.text).toContain('warranty until 2028-11-20');
    const short = await extractPdfText(pdf, 20);
    expect(short.truncated).toBe(true);
    expect(short.text).toHaveLength(20);
  });

  it('reports a broken PDF as corrupt', async () => {
    const broken = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x41)]);
    const error = await extractPdfText(broken, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).reason).toBe('corrupt');
  });
});
