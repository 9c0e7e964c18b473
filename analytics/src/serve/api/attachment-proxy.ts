import type dns from 'node:dns';
import { z } from 'zod';
import { safeFetch, SafeFetchError, type FetchPolicy, type SwitchboardConfig } from '@switchboard/core';
import type { AttachmentKind, ConversationAttachment } from './conversation-attachments.js';

export interface ProxyDependencies {
  config: Pick<SwitchboardConfig, 'chatwoot' | 'media'>;
  /** DNS resolution; injected in tests to point a name at a given address. */
  lookup?: typeof dns.lookup;
}

/** The bytes and the type they were checked to be. */
export interface ServedMedia {
  bytes: Buffer;
  contentType: string;
  /** True when the stored URL had expired and Chatwoot gave a fresh one. */
  refreshed: boolean;
}

/** Why an attachment is not served; `reason` is a code for the caller, never internal text. */
export class ProxyRefusal extends Error {
  constructor(
    readonly status: 404 | 415 | 502 | 504,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ProxyRefusal';
  }
}

/**
 * Types served per kind. Never SVG or HTML (script in a same-origin response); anything else a
 * customer sends is listed in the gallery but not served.
 */
const SERVED_TYPES: Record<'image' | 'audio' | 'video' | 'document', readonly string[]> = {
  image: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  audio: [
    'audio/ogg',
    'audio/mpeg',
    'audio/mp4',
    'audio/aac',
    'audio/amr',
    'audio/wav',
    'audio/x-wav',
    'audio/webm',
    'audio/opus',
  ],
  video: ['video/mp4', 'video/3gpp', 'video/webm', 'video/quicktime'],
  document: [
    'application/pdf',
    'text/plain',
    'text/csv',
    'application/msword',
    'application/vnd.ms-excel',
    'application/vnd.ms-powerpoint',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
};

/** Magic numbers of the types whose bytes are easy to check: a declared type must match them. */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'audio/ogg': (b) => b.subarray(0, 4).toString('latin1') === 'OggS',
  'video/mp4': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
};

/** Statuses an expired or rotated ActiveStorage link answers with. */
const EXPIRED_STATUSES = new Set([401, 403, 404, 410]);

/** The fetcher's rules for this account and kind: exactly agent-bot's media fetch policy. */
export function proxyPolicy(deps: ProxyDependencies, accountId: number, kind: AttachmentKind): FetchPolicy {
  const { media, chatwoot } = deps.config;
  const account = chatwoot.accounts.find((candidate) => candidate.id === accountId);
  return {
    allowedOrigins: account ? [new URL(account.baseUrl).origin, ...account.storageHosts] : [],
    allowPrivateAddresses: media.fetch.allowPrivateAddresses,
    privateAddressHosts: media.fetch.privateAddressHosts,
    maxRedirects: media.fetch.maxRedirects,
    timeoutMs: media.fetch.timeoutMs,
    maxBytes:
      kind === 'audio'
        ? media.maxBytes.audio
        : kind === 'image'
          ? media.maxBytes.image
          : media.maxBytes.document,
    userAgent: 'switchboard-analytics',
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
  };
}

/**
 * The attachment's bytes (or its thumbnail), fetched under the media fetcher's rules and checked
 * against the kind's types. When the stored link has expired, the message is re-read through
 * Chatwoot's API for a fresh one, once.
 */
export async function fetchAttachment(
  deps: ProxyDependencies,
  accountId: number,
  attachment: ConversationAttachment,
  variant: 'file' | 'thumb',
  signal?: AbortSignal,
): Promise<ServedMedia> {
  const kind = attachment.kind;
  if (kind === 'location' || kind === 'other') throw new ProxyRefusal(404, 'not_servable');
  const stored = variant === 'thumb' ? attachment.thumbUrl : attachment.dataUrl;
  if (!stored) throw new ProxyRefusal(404, 'no_url');
  const policy = proxyPolicy(deps, accountId, kind);
  let refreshed = false;
  let fetched;
  try {
    fetched = await safeFetch(stored, policy, signal);
  } catch (error) {
    if (!(error instanceof SafeFetchError) || !EXPIRED_STATUSES.has(error.status ?? 0)) throw refusal(error);
    const fresh = await freshUrl(deps, accountId, attachment, variant, signal);
    if (!fresh) throw new ProxyRefusal(502, 'expired');
    refreshed = true;
    fetched = await safeFetch(fresh, policy, signal).catch((retry: unknown) => {
      throw refusal(retry);
    });
  }
  const declared = (fetched.declaredContentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!SERVED_TYPES[kind].includes(declared)) throw new ProxyRefusal(415, 'unsupported_type');
  const signature = SIGNATURES[declared];
  if (signature && !signature(fetched.bytes)) throw new ProxyRefusal(415, 'type_mismatch');
  return { bytes: fetched.bytes, contentType: declared, refreshed };
}

function refusal(error: unknown): ProxyRefusal {
  if (error instanceof ProxyRefusal) return error;
  if (error instanceof SafeFetchError)
    return new ProxyRefusal(error.reason === 'timeout' ? 504 : 502, error.reason);
  return new ProxyRefusal(502, 'fetch_failed');
}

const chatwootMessagesSchema = z.object({
  payload: z.array(
    z.looseObject({
      id: z.number(),
      attachments: z
        .array(
          z.looseObject({ id: z.number(), data_url: z.string().nullish(), thumb_url: z.string().nullish() }),
        )
        .nullish(),
    }),
  ),
});

/**
 * A fresh link from Chatwoot: GET …/conversations/:id/messages?before=<id + 1> lists the
 * message (the 20 before `before`) with newly signed attachment URLs. Read with the account's
 * user token (history is not on the bot token's allow-list), through the same fetcher
 * (Chatwoot's origin is allowed; the token never follows a redirect).
 */
async function freshUrl(
  deps: ProxyDependencies,
  accountId: number,
  attachment: ConversationAttachment,
  variant: 'file' | 'thumb',
  signal?: AbortSignal,
): Promise<string | null> {
  const account = deps.config.chatwoot.accounts.find((candidate) => candidate.id === accountId);
  // The messages index is not on the bot token's allow-list (contract §3): without a user token
  // Chatwoot would answer 401, so it is not asked.
  if (!account?.userAccessToken) return null;
  const base = account.baseUrl.replace(/\/+$/, '');
  const url = `${base}/api/v1/accounts/${accountId}/conversations/${attachment.conversationId}/messages?before=${attachment.messageId + 1}`;
  const policy = { ...proxyPolicy(deps, accountId, 'document'), maxBytes: 5 * 1024 * 1024, maxRedirects: 0 };
  let body: unknown;
  try {
    const response = await safeFetch(url, policy, signal, {
      api_access_token: account.userAccessToken,
      accept: 'application/json',
    });
    body = JSON.parse(response.bytes.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = chatwootMessagesSchema.safeParse(body);
  if (!parsed.success) return null;
  const message = parsed.data.payload.find((m) => m.id === attachment.messageId);
  const attachments = message?.attachments ?? [];
  const match =
    (attachment.attachmentId !== null
      ? attachments.find((a) => a.id === attachment.attachmentId)
      : undefined) ?? attachments[attachment.position];
  const fresh = variant === 'thumb' ? match?.thumb_url : match?.data_url;
  return fresh ? fresh : null;
}
