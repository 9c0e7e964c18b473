import { loadCsv, loadJson } from './load-records.js';
import { loadText } from './load-text.js';
import {
  LoadError,
  sha256,
  type ContentType,
  type LoadedSource,
  type LoaderInput,
  type LoaderOutput,
} from './loaded-source.js';

/** Bytes of a known type to a LoadedSource; fails with a LoadError when nothing is readable. */
export async function loadContent(input: LoaderInput, contentType: ContentType): Promise<LoadedSource> {
  if (input.bytes.length === 0) throw new LoadError(input.source, 'empty file');
  const output = await parse(input, contentType);
  const documents = output.documents.filter((d) => d.pageContent.trim() !== '');
  if (documents.length === 0) {
    throw new LoadError(
      input.source,
      contentType === 'pdf' ? 'no text found (a scanned PDF? run OCR first)' : 'no text found',
    );
  }
  return {
    source: input.source,
    title: output.title.slice(0, 300),
    contentType,
    checksum: sha256(input.bytes),
    byteSize: input.bytes.length,
    documents,
  };
}

/** PDF, DOCX and HTML parsers load on first use: together they cost seconds of start-up. */
async function parse(input: LoaderInput, contentType: ContentType): Promise<LoaderOutput> {
  switch (contentType) {
    case 'pdf':
      return (await import('./load-pdf.js')).loadPdf(input);
    case 'docx':
      return (await import('./load-docx.js')).loadDocx(input);
    case 'html':
      return (await import('./load-html.js')).loadHtml(input);
    case 'markdown':
      return loadText(input, true);
    case 'text':
      return loadText(input, false);
    case 'csv':
      return loadCsv(input);
    case 'json':
      return loadJson(input);
  }
}
