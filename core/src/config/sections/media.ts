import net from 'node:net';
import { z } from 'zod';

/**
 * One entry of an attachment allow-list (`chatwoot.accounts[].storageHosts`,
 * `media.fetch.privateAddressHosts`), canonical so that every spelling of an address compares
 * equal: `0x7f000001`, `2130706433`, `0177.0.0.1`, `127.1` and `::ffff:127.0.0.1` are all
 * `127.0.0.1`. A URL is allowed when its scheme, host AND port match an entry.
 */
export interface FetchOrigin {
  scheme: 'http' | 'https';
  /** Lower case, no trailing dot, IPv6 without brackets, IPv4-mapped IPv6 as its IPv4; `*.` prefix for a wildcard. */
  host: string;
  port: number;
}

const defaultPorts = { http: 80, https: 443 } as const;
// The WHATWG parser does the numeric-IP normalising; it cannot parse a `*` label, so a wildcard
// travels through it under this stand-in.
const wildcardLabel = 'x-wildcard-x';

/**
 * `http://127.0.0.1:3100` (an origin: that scheme, host and port only) or a bare host
 * `chat.example.com` / `*.s3.amazonaws.com` / `::1`, which means **https on port 443 only**: what a
 * production Chatwoot or bucket serves, so a bare entry never opens another port or plain HTTP.
 * Returns null for anything else (a path, credentials, another scheme, a bare `host:port`).
 */
export function parseFetchOrigin(entry: string): FetchOrigin | null {
  const text = entry.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  const bareIpv6 = net.isIP(text.replace(/^\[(.*)\]$/, '$1')) === 6;
  if (!hasScheme && (/[/?#@\\]/.test(text) || (text.includes(':') && !bareIpv6))) return null;
  let raw = hasScheme ? text : `https://${bareIpv6 ? `[${text.replace(/^\[(.*)\]$/, '$1')}]` : text}`;
  const wildcard = /^(https?:\/\/)\*\./i.exec(raw);
  if (wildcard) raw = `${wildcard[1]}${wildcardLabel}.${raw.slice(wildcard[0].length)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const scheme = url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : null;
  if (!scheme || url.username || url.password || url.search || url.hash) return null;
  if (url.pathname !== '/') return null;
  let host = canonicalHost(url.hostname);
  if (wildcard) {
    if (!host.startsWith(`${wildcardLabel}.`)) return null;
    host = `*${host.slice(wildcardLabel.length)}`;
  }
  if (!host || host.includes('*', wildcard ? 1 : 0)) return null;
  return { scheme, host, port: url.port ? Number(url.port) : defaultPorts[scheme] };
}

/** A WHATWG `URL.hostname` made comparable: brackets and trailing dot off, mapped IPv6 as IPv4. */
export function canonicalHost(hostname: string): string {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (net.isIP(host) !== 6) return host;
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (dotted) return dotted[1]!;
  // The parser writes ::ffff:127.0.0.1 as ::ffff:7f00:1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (!hex) return host;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** An allow-list entry, checked when the configuration loads (the text is kept as written). */
export const fetchOriginSchema = z.string().refine((entry) => parseFetchOrigin(entry) !== null, {
  message:
    'expected an origin such as http://127.0.0.1:3100 or a host such as chat.example.com (https, port 443)',
});

/**
 * Media from customers (owned by agent-bot/src/media): fetching attachments, transcribing voice
 * notes, interpreting images, reading PDFs. One global section with optional per-assistant
 * overrides, so the assistants section stays the providers' own.
 */
const mediaModelSchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic', 'gemini', 'openai-compatible']),
  model: z.string().min(1),
  baseUrl: z.string().url().optional(),
  /** Usually ${OPENAI_API_KEY}; an absent or empty key disables this provider (never an error). */
  apiKey: z.string().optional(),
});

export const transcriptionSchema = z.strictObject({
  provider: z.enum(['openai', 'gemini', 'none']).default('none'),
  /** openai: gpt-4o-mini-transcribe | gpt-4o-transcribe | whisper-1; gemini: e.g. gemini-2.5-flash. */
  model: z.string().min(1).optional(),
  baseUrl: z.string().url().optional(),
  apiKey: z.string().optional(),
  /** 'assistant': the assistant's configured language; 'auto': let the model detect it; or a code. */
  language: z.string().min(2).default('assistant'),
});

export const visionSchema = z.strictObject({
  /**
   * 'assistant': the assistant's own model when it accepts images; 'model': the model below;
   * 'ocr': text only, offline (tesseract.js); 'off': images are not interpreted.
   */
  use: z.enum(['assistant', 'model', 'ocr', 'off']).default('assistant'),
  model: mediaModelSchema.optional(),
  /** When no vision model is available, read the text in images with OCR. */
  ocrFallback: z.boolean().default(true),
  /** Tesseract languages; each needs its @tesseract.js-data/<lang> npm package. */
  ocrLanguages: z.array(z.string().regex(/^[a-z_]+$/)).default(['eng']),
  /** Also give the original image to the answering model when it accepts images. */
  passImageToAssistant: z.boolean().default(true),
});

const mediaOverrideSchema = z.strictObject({
  transcription: transcriptionSchema.partial().optional(),
  vision: visionSchema.partial().optional(),
  withoutTranscription: z.enum(['ask_to_type', 'handoff']).optional(),
});

export const mediaSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    fetch: z
      .strictObject({
        timeoutMs: z.coerce.number().int().positive().default(20_000),
        maxRedirects: z.coerce.number().int().min(0).max(10).default(5),
        /**
         * Local mode and tests only: let attachments come from loopback/private addresses
         * (the simulator on 127.0.0.1). Production keeps this false (SSRF protection).
         */
        allowPrivateAddresses: z.boolean().default(false),
        /**
         * Origins that may resolve to private addresses (Chatwoot on the same Docker network):
         * `http://chatwoot-web:3000`, or a bare host meaning https on 443 (see parseFetchOrigin).
         */
        privateAddressHosts: z.array(fetchOriginSchema).default([]),
      })
      .default({ timeoutMs: 20_000, maxRedirects: 5, allowPrivateAddresses: false, privateAddressHosts: [] }),
    /** Byte limits per kind (WhatsApp's own: audio 16 MB, image 5 MB, document 100 MB). */
    maxBytes: z
      .strictObject({
        audio: z.coerce
          .number()
          .int()
          .positive()
          .default(16 * 1024 * 1024),
        image: z.coerce
          .number()
          .int()
          .positive()
          .default(5 * 1024 * 1024),
        document: z.coerce
          .number()
          .int()
          .positive()
          .default(100 * 1024 * 1024),
      })
      .default({ audio: 16 * 1024 * 1024, image: 5 * 1024 * 1024, document: 100 * 1024 * 1024 }),
    transcription: transcriptionSchema.default({ provider: 'none', language: 'assistant' }),
    vision: visionSchema.default({
      use: 'assistant',
      ocrFallback: true,
      ocrLanguages: ['eng'],
      passImageToAssistant: true,
    }),
    /** A voice note nobody can transcribe: ask the customer to type, or hand off to a human. */
    withoutTranscription: z.enum(['ask_to_type', 'handoff']).default('ask_to_type'),
    /** Post transcripts and interpretations as private notes for the agents. */
    privateNotes: z.boolean().default(true),
    /** Per-attempt timeout of a transcription or vision call (long notes get 1 s more per 5 s). */
    providerTimeoutMs: z.coerce.number().int().positive().default(45_000),
    /** Characters of extracted PDF text kept for the model. */
    maxDocumentChars: z.coerce.number().int().positive().default(20_000),
    /** Per-assistant overrides, keyed by assistant name. */
    assistants: z.record(z.string(), mediaOverrideSchema).default({}),
  })
  .default({
    enabled: true,
    fetch: { timeoutMs: 20_000, maxRedirects: 5, allowPrivateAddresses: false, privateAddressHosts: [] },
    maxBytes: { audio: 16 * 1024 * 1024, image: 5 * 1024 * 1024, document: 100 * 1024 * 1024 },
    transcription: { provider: 'none', language: 'assistant' },
    vision: { use: 'assistant', ocrFallback: true, ocrLanguages: ['eng'], passImageToAssistant: true },
    withoutTranscription: 'ask_to_type',
    privateNotes: true,
    providerTimeoutMs: 45_000,
    maxDocumentChars: 20_000,
    assistants: {},
  });

export type MediaConfig = z.infer<typeof mediaSchema>;
export type TranscriptionConfig = z.infer<typeof transcriptionSchema>;
export type VisionConfig = z.infer<typeof visionSchema>;
export type MediaModelConfig = z.infer<typeof mediaModelSchema>;
