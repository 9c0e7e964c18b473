import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@switchboard/core';

/** CI always has the shared Chatwoot material at ../shared/chatwoot next to the repository. */
export const CHATWOOT_SHARED_DIR =
  process.env.CHATWOOT_SHARED_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'chatwoot');

export function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(CHATWOOT_SHARED_DIR, 'fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;
}

export function readSwagger(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(CHATWOOT_SHARED_DIR, 'swagger.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}
