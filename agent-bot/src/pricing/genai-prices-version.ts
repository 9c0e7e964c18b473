import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The installed @pydantic/genai-prices version, recorded with every cost it priced (its data
 * is bundled, so the package version identifies the prices). Read from its package.json
 * because the package does not export it.
 */
export const GENAI_PRICES_VERSION: string = (() => {
  const entry = fileURLToPath(import.meta.resolve('@pydantic/genai-prices'));
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
})();
