import fs from 'node:fs/promises';
import path from 'node:path';
import { detectContentType, SUPPORTED_EXTENSIONS } from './detect-content-type.js';
import { loadContent } from './load-content.js';
import { LoadError, type LoadedSource } from './loaded-source.js';

/** A file from disk; the size is checked before a single byte is read. */
export async function loadFile(
  filePath: string,
  source: string,
  options: { maxBytes: number },
): Promise<LoadedSource> {
  const contentType = detectContentType(filePath);
  if (!contentType) {
    throw new LoadError(
      source,
      `unsupported file type "${path.extname(filePath) || '(none)'}" (supported: ${SUPPORTED_EXTENSIONS.join(' ')})`,
    );
  }
  let stat;
  try {
    stat = await fs.stat(filePath);
  } catch (error) {
    throw new LoadError(source, `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (stat.size > options.maxBytes) {
    throw new LoadError(
      source,
      `file too large (${formatBytes(stat.size)}; limit ${formatBytes(options.maxBytes)})`,
    );
  }
  const bytes = await fs.readFile(filePath);
  return loadContent({ source, fileName: path.basename(filePath), bytes }, contentType);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
