import { ProviderCallError, describeError } from '../llm/provider-error.js';
import { callWithRetry, DEFAULT_RETRY } from '../llm/retry-policy.js';
import { priceModelUsage, priceTranscription, type PriceTable } from '../pricing/index.js';
import { decodeAudio } from './audio-decoder.js';
import { MediaError } from './media-error.js';
import type { MediaOutcome } from './media-outcome.js';
import type { MediaSettings } from './media-settings.js';
import type { SniffedType } from './sniff-media-type.js';

type VoiceResult = Omit<MediaOutcome, 'messageId' | 'attachmentId'>;

const MAX_INLINE_AUDIO_BYTES = 18 * 1024 * 1024;

/**
 * Decode (validity, duration, MP3 when the provider needs it), then transcribe with the
 * provider's retry policy. Throws MediaError for anything the customer should hear about.
 */
export async function transcribeVoiceNote(
  audio: Uint8Array,
  sniffed: SniffedType,
  settings: MediaSettings,
  prices: PriceTable,
  signal: AbortSignal,
): Promise<VoiceResult> {
  const transcriber = settings.transcriber;
  const decoded = await decodeAudio(audio, {
    mime: sniffed.mime,
    mp3: transcriber?.needsMp3 ?? false,
    signal,
  });
  if (!transcriber) {
    throw new MediaError('no_provider', 'no transcription provider is configured');
  }
  // Gemini takes inline audio up to a 20 MB request; longer notes would need its Files API.
  if (decoded.mp3 && decoded.mp3.length > MAX_INLINE_AUDIO_BYTES) {
    throw new MediaError('too_large', `the recording is too long for ${transcriber.provider} inline audio`);
  }
  const started = performance.now();
  let result;
  try {
    result = await callWithRetry(
      transcriber.provider,
      (attemptSignal) =>
        transcriber.transcribe({
          audio,
          mime: sniffed.mime,
          ...(decoded.mp3 ? { mp3: decoded.mp3 } : {}),
          language: settings.transcriptionLanguage,
          durationSeconds: decoded.durationSeconds,
          signal: attemptSignal,
        }),
      // Long recordings take longer to transcribe: a second more per 5 s of audio.
      {
        ...DEFAULT_RETRY,
        timeoutMs: settings.providerTimeoutMs + Math.ceil(decoded.durationSeconds / 5) * 1000,
        signal,
      },
    );
  } catch (error) {
    const reason =
      ProviderCallError.isInstance(error) && error.kind === 'timeout' ? 'timeout' : 'provider_failed';
    throw new MediaError(reason, `${transcriber.provider} transcription failed (${describeError(error)})`, {
      cause: error,
    });
  }
  const billing = result.billing;
  const priced =
    billing.unit === 'seconds'
      ? {
          ...priceTranscription(prices, {
            provider: transcriber.provider,
            model: transcriber.model,
            durationSeconds: billing.seconds,
          }),
          byKind: {},
        }
      : priceModelUsage(prices, {
          provider: transcriber.provider,
          model: transcriber.model,
          usage: {
            inputTokens: billing.inputTokens,
            cachedInputTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: billing.outputTokens,
            reasoningTokens: 0,
            audioInputTokens: billing.audioInputTokens,
            imageInputTokens: 0,
            raw: billing.raw,
          },
        });
  return {
    kind: 'voice',
    method: 'transcription',
    ok: true,
    text: result.text,
    provider: transcriber.provider,
    model: transcriber.model,
    costUsd: priced.totalUsd,
    priceVersion: priced.priceVersion,
    latencyMs: Math.round(performance.now() - started),
    durationSeconds: decoded.durationSeconds,
    ...(decoded.truncated
      ? {
          warning: `the recording is cut off: only the first ${decoded.durationSeconds.toFixed(1)} s arrived`,
        }
      : {}),
    ...(result.detectedLanguage || settings.transcriptionLanguage
      ? { language: result.detectedLanguage ?? settings.transcriptionLanguage! }
      : {}),
    ...(billing.unit === 'tokens'
      ? {
          usage: {
            inputTokens: billing.inputTokens,
            cachedInputTokens: 0,
            cacheWriteTokens: 0,
            outputTokens: billing.outputTokens,
            reasoningTokens: 0,
            audioInputTokens: billing.audioInputTokens,
            imageInputTokens: 0,
          },
        }
      : {}),
  };
}
