import { Document } from '@langchain/core/documents';
import { PDFParse } from 'pdf-parse';
import { LoadError, titleFromFileName, type LoaderInput, type LoaderOutput } from './loaded-source.js';

/** One Document per page, so a passage can cite its page. */
export async function loadPdf(input: LoaderInput): Promise<LoaderOutput> {
  if (input.bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
    throw new LoadError(input.source, 'not a PDF file (missing %PDF header)');
  }
  const parser = new PDFParse({ data: new Uint8Array(input.bytes) });
  try {
    const result = await parser.getText();
    let title: string | null = null;
    try {
      const info = (await parser.getInfo()).info as { Title?: unknown } | undefined;
      if (typeof info?.Title === 'string' && info.Title.trim()) title = info.Title.trim();
    } catch {
      // A missing or broken Info dictionary only costs us the title.
    }
    const documents = result.pages
      .map((page) => ({ page: page.num, text: page.text.replace(/[ \t]+\n/g, '\n').trim() }))
      .filter((page) => page.text !== '')
      .map((page) => new Document({ pageContent: page.text, metadata: { page: page.page } }));
    return { title: title ?? titleFromFileName(input.fileName), documents };
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw new LoadError(
      input.source,
      `corrupt or unreadable PDF (${String((error as Error)?.message ?? error).slice(0, 160)})`,
    );
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}
