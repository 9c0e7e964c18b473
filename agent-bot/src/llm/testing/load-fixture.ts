import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a provider response body kept under `<provider>/__fixtures__/`. */
export function loadFixture(providerDir: string, name: string): Record<string, unknown> {
  const file = path.join(import.meta.dirname, '..', providerDir, '__fixtures__', name);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A 1x1 PNG: enough to check that images reach the provider in its own format. */
export const TINY_PNG = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);
