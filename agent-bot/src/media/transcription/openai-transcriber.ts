import OpenAI, { toFile } from 'openai';
import { z } from 'zod';
import { classifySdkError } from '../../llm/classify-sdk-error.js';
import { ProviderCallError } from '../../llm/provider-error.js';
import type { Transcriber, TranscriptionRequest, TranscriptionResult } from './transcriber.js';
import { primaryLanguage } from './transcriber.js';

/** The /v1/audio/transcriptions bodies we rely on (json for gpt-4o*, verbose_json for whisper-1). */
const transcriptionResponseSchema = z.object({
  text: z.string(),
  language: z.string().optional(),
  duration: z.number().nonnegative().optional(),
  usage: z
    .discriminatedUnion('type', [
      z.object({
        type: z.literal('tokens'),
        input_tokens: z.number().int().nonnegative(),
        output_tokens: z.number().int().nonnegative(),
        total_tokens: z.number().int().nonnegative().optional(),
        input_token_details: z
          .object({
            text_tokens: z.number().int().nonnegative().optional(),
            audio_tokens: z.number().int().nonnegative().optional(),
          })
          .optional(),
      }),
      z.object({ type: z.literal('duration'), seconds: z.number().nonnegative() }),
    ])
    .optional(),
});

export interface OpenAITranscriberSettings {
  model: string;
  apiKey: string;
  baseUrl?: string;
}

/** OpenAI accepts OGG/Opus as is (ogg is in its list), so WhatsApp voice notes go unconverted. */
export class OpenAITranscriber implements Transcriber {
  readonly provider = 'openai';
  readonly model: string;
  readonly needsMp3 = false;
  private readonly client: OpenAI;

  constructor(settings: OpenAITranscriberSettings) {
    this.model = settings.model;
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      // The caller's retry policy owns retries and timeouts (llm/retry-policy.ts).
      maxRetries: 0,
      timeout: 10 * 60_000,
    });
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    const isWhisper = this.model.startsWith('whisper');
    let raw: unknown;
    try {
      raw = await this.client.audio.transcriptions.create(
        {
          file: await toFile(request.audio, fileNameFor(request.mime), { type: request.mime }),
          model: this.model,
          // whisper-1's verbose_json adds the detected language and the billed duration.
          response_format: isWhisper ? 'verbose_json' : 'json',
          temperature: 0,
          ...(request.language ? { language: primaryLanguage(request.language) } : {}),
        },
        { signal: request.signal },
      );
    } catch (error) {
      throw classifySdkError(this.provider, error);
    }
    const parsed = transcriptionResponseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'invalid_response',
        message: `unexpected transcription response: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    const body = parsed.data;
    const usage = body.usage;
    const billing: TranscriptionResult['billing'] =
      usage?.type === 'tokens'
        ? {
            unit: 'tokens',
            inputTokens: usage.input_tokens,
            audioInputTokens: usage.input_token_details?.audio_tokens ?? usage.input_tokens,
            outputTokens: usage.output_tokens,
            raw: usage,
          }
        : // whisper-1 bills by the second; fall back to our own measurement if usage is absent.
          {
            unit: 'seconds',
            seconds: usage?.type === 'duration' ? usage.seconds : (body.duration ?? request.durationSeconds),
          };
    return {
      text: body.text.trim(),
      detectedLanguage: body.language ?? null,
      billing,
      responseModelId: this.model,
    };
  }
}

function fileNameFor(mime: string): string {
  const extension: Record<string, string> = {
    'audio/ogg': 'ogg',
    'audio/mpeg': 'mp3',
    'audio/mp4': 'm4a',
    'audio/x-m4a': 'm4a',
    'video/mp4': 'mp4',
    'audio/wav': 'wav',
    'audio/x-wav': 'wav',
    'audio/webm': 'webm',
    'audio/flac': 'flac',
  };
  // OpenAI picks the decoder from the file name's extension.
  return `voice-note.${extension[mime] ?? 'ogg'}`;
}
