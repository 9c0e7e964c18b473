import { Document } from '@langchain/core/documents';
import mammoth from 'mammoth';
import { htmlToMarkdown } from './html-to-markdown.js';
import { LoadError, titleFromFileName, type LoaderInput, type LoaderOutput } from './loaded-source.js';

/** mammoth maps Word's Heading styles to <h1>..<h6>, so sections survive into chunks. */
export async function loadDocx(input: LoaderInput): Promise<LoaderOutput> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: input.bytes })).value;
  } catch (error) {
    throw new LoadError(input.source, `not a readable DOCX file (${firstLine(error)})`);
  }
  const { text } = htmlToMarkdown(html);
  const heading = /^# (.+)$/m.exec(text)?.[1];
  return {
    title: heading ?? titleFromFileName(input.fileName),
    documents: text ? [new Document({ pageContent: text, metadata: {} })] : [],
  };
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 160);
}
