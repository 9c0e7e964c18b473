import { z } from 'zod';

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
        /** Hosts that may resolve to private addresses (Chatwoot on the same Docker network). */
        privateAddressHosts: z.array(z.string()).default([]),
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
