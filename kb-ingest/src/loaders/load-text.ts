import { Document } from '@langchain/core/documents';
import { titleFromFileName, type LoaderInput, type LoaderOutput } from './loaded-source.js';

/** Markdown and plain text: the text as is; a Markdown title is its first `# ` heading. */
export function loadText(input: LoaderInput, markdown: boolean): LoaderOutput {
  const text = input.bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .trim();
  const heading = markdown ? /^#\s+(.+)$/m.exec(text)?.[1]?.trim() : undefined;
  return {
    title: heading ?? titleFromFileName(input.fileName),
    documents: text ? [new Document({ pageContent: text, metadata: {} })] : [],
  };
}
