import { safeFetch, SafeFetchError, type FetchedMedia, type FetchPolicy } from '@switchboard/core';
import { MediaError } from './media-error.js';

export type { FetchedMedia, FetchPolicy };

/**
 * GET a Chatwoot `data_url` under the shared fetcher's rules (core/src/http/safe-fetch.ts: every
 * hop's scheme, host, port and resolved address checked, body cut off at `maxBytes`, one
 * deadline), its refusals as the media pipeline's own MediaError reasons.
 */
export async function fetchMedia(
  url: string,
  policy: FetchPolicy,
  signal?: AbortSignal,
): Promise<FetchedMedia> {
  try {
    return await safeFetch(url, { userAgent: 'switchboard-agent-bot', ...policy }, signal);
  } catch (error) {
    if (error instanceof SafeFetchError) {
      throw new MediaError(error.reason, error.message, { cause: error.cause });
    }
    throw error;
  }
}
