import { extractPdfText } from './documents/pdf-text.js';
import type { MediaOutcome } from './media-outcome.js';

/** PDFs only (invoices, order confirmations); the text layer, offline and free. */
export async function readDocument(
  pdf: Uint8Array,
  maxChars: number,
): Promise<Omit<MediaOutcome, 'messageId' | 'attachmentId'>> {
  const started = performance.now();
  const result = await extractPdfText(pdf, maxChars);
  const pages = `${result.pages} page${result.pages === 1 ? '' : 's'}${result.truncated ? `, first ${maxChars} characters` : ''}`;
  return {
    kind: 'document',
    method: 'pdf_text',
    ok: true,
    text: result.text,
    provider: 'pdf-parse',
    model: 'pdf-parse',
    costUsd: '0',
    priceVersion: 'offline',
    latencyMs: Math.round(performance.now() - started),
    detail: pages,
  };
}
