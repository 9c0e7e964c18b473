import fs from 'node:fs/promises';
import path from 'node:path';
import { detectContentType } from '../loaders/detect-content-type.js';
import { expandUrl } from '../loaders/load-url.js';
import { LoadError, type LoadedSource } from '../loaders/loaded-source.js';
import type { IngestFailure, SourceRef } from './source-ref.js';

export interface CollectOptions {
  maxPages: number;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/**
 * Paths and URLs to the list of sources to ingest. A folder's files are named by their path
 * relative to the folder (so re-uploading the folder from anywhere finds the same documents);
 * a single file by its name; a page by its URL; a sitemap stands for its pages.
 */
export async function collectSources(
  inputs: readonly string[],
  options: CollectOptions,
): Promise<{ refs: SourceRef[]; failures: IngestFailure[]; skipped: string[] }> {
  const refs: SourceRef[] = [];
  const failures: IngestFailure[] = [];
  const skipped: string[] = [];
  const seen = new Map<string, string>();
  const add = (ref: SourceRef, origin: string): void => {
    const previous = seen.get(ref.source);
    if (previous !== undefined) {
      if (previous !== origin)
        failures.push({ source: ref.source, reason: `duplicate source (also ${previous})` });
      return;
    }
    seen.set(ref.source, origin);
    refs.push(ref);
  };

  for (const input of inputs) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
      try {
        for (const url of await expandUrl(input, options)) add({ kind: 'url', source: url, url }, url);
      } catch (error) {
        failures.push(toFailure(input, error));
      }
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch {
      failures.push({ source: input, reason: 'no such file or directory' });
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of await listFiles(input)) {
        const source = path.relative(input, file).split(path.sep).join('/');
        // Inside a folder, files of other types (images, .DS_Store...) are listed, not failed;
        // a file named on the command line with an unsupported type does fail.
        if (!detectContentType(file)) {
          skipped.push(source);
          continue;
        }
        add({ kind: 'file', source, path: file }, file);
      }
    } else {
      add({ kind: 'file', source: path.basename(input), path: input }, path.resolve(input));
    }
  }
  return { refs, failures, skipped };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) files.push(...(await listFiles(full)));
    } else if (entry.isFile()) files.push(full);
  }
  return files;
}

export function toFailure(source: string, error: unknown): IngestFailure {
  if (error instanceof LoadError) return { source: error.source, reason: error.reason };
  return { source, reason: (error as Error)?.message ?? String(error) };
}

export type { LoadedSource };
