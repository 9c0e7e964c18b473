import { afterAll, describe, expect, it } from 'vitest';
import { renderTextImage } from '../testing/render-text-image.js';
import { recognizeText, terminateOcrWorkers } from './ocr.js';

afterAll(() => terminateOcrWorkers());

/** Character error rate: edit distance over the reference length (whitespace normalised). */
function characterErrorRate(reference: string, hypothesis: string): number {
  const a = reference.replace(/\s+/g, ' ').trim();
  const b = hypothesis.replace(/\s+/g, ' ').trim();
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]! / a.length;
}

const RECEIPT = [
  'BIKE SHOP LISBOA',
  'Order #48213',
  'Inner tube 700x25c   2 x 6.50',
  'Brake pads Shimano   1 x 18.90',
  'TOTAL EUR 31.90',
  'Paid 2026-11-20 14:32',
];

describe('OCR (tesseract.js, language data from npm)', () => {
  it('reads a rendered receipt (PNG) with a low character error rate', async () => {
    const image = await renderTextImage(RECEIPT);
    const result = await recognizeText(image, ['eng']);
    const cer = characterErrorRate(RECEIPT.join('\n'), result.text);
    console.info(
      `OCR receipt PNG: CER ${(cer * 100).toFixed(1)}%, ${result.latencyMs} ms, confidence ${result.confidence}%`,
    );
    expect(cer).toBeLessThan(0.05);
    expect(result.text).toContain('48213');
    expect(result.text).toContain('31.90');
  });

  it('reads a noisy photo-like JPEG well enough to find the order number and total', async () => {
    const image = await renderTextImage(RECEIPT, { format: 'jpeg', noise: true, fontSize: 24 });
    const result = await recognizeText(image, ['eng']);
    const cer = characterErrorRate(RECEIPT.join('\n'), result.text);
    console.info(
      `OCR noisy JPEG: CER ${(cer * 100).toFixed(1)}%, ${result.latencyMs} ms, confidence ${result.confidence}%`,
    );
    // Speckles come back as stray punctuation (measured CER ~20%), but the facts survive.
    expect(cer).toBeLessThan(0.3);
    expect(result.text).toContain('48213');
    expect(result.text).toContain('31.90');
  });

  it('returns empty text for an image without text', async () => {
    const result = await recognizeText(await renderTextImage(['']), ['eng']);
    expect(result.text).toBe('');
  });
});
