import { Document } from '@langchain/core/documents';
import { htmlToMarkdown } from './html-to-markdown.js';
import { titleFromFileName, type LoaderInput, type LoaderOutput } from './loaded-source.js';

export function loadHtml(input: LoaderInput): LoaderOutput {
  const { title, text } = htmlToMarkdown(input.bytes.toString('utf8'));
  return {
    title: title ?? titleFromFileName(input.fileName),
    documents: text ? [new Document({ pageContent: text, metadata: {} })] : [],
  };
}
