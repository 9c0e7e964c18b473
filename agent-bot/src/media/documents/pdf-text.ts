import { MediaError } from '../media-error.js';

export interface PdfText {
  text: string;
  pages: number;
  truncated: boolean;
}

/**
 * The text layer of a PDF a customer sent (invoices, order confirmations). A scanned PDF has
 * none: the result is empty and the caller says so rather than guessing.
 */
export async function extractPdfText(bytes: Uint8Array, maxChars: number): Promise<PdfText> {
  // Loaded on first use: importing pdf-parse (pdf.js) takes ~2 s, too much for every start.
  const { PDFParse } = await import('pdf-parse');
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const result = await parser.getText();
    const text = result.pages
      .map((page) => page.text.replace(/[ \t]+\n/g, '\n').trim())
      .filter(Boolean)
      .join('\n\n');
    return { text: text.slice(0, maxChars), pages: result.pages.length, truncated: text.length > maxChars };
  } catch (error) {
    throw new MediaError(
      'corrupt',
      `the PDF cannot be read (${String((error as Error)?.message ?? error).slice(0, 120)})`,
      { cause: error },
    );
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
