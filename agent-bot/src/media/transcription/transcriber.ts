/**
 * Speech to text, one implementation per provider (OpenAI's transcription endpoint, Gemini's
 * audio input). The media enricher never sees a wire format.
 */
export interface Transcriber {
  readonly provider: 'openai' | 'gemini';
  readonly model: string;
  /** True when the provider needs the MP3 conversion (it does not accept OGG/Opus). */
  readonly needsMp3: boolean;
  transcribe(request: TranscriptionRequest): Promise<TranscriptionResult>;
}

export interface TranscriptionRequest {
  /** The voice note as received (OGG/Opus from WhatsApp). */
  audio: Uint8Array;
  mime: string;
  /** ffmpeg's 16 kHz mono MP3 of the same audio, when `needsMp3`. */
  mp3?: Uint8Array;
  /** BCP 47 tag ('en', 'pt-BR'), or null to let the model detect the language. */
  language: string | null;
  durationSeconds: number;
  signal: AbortSignal;
}

export interface TranscriptionResult {
  text: string;
  /** The language the provider reports, when it does (whisper-1 verbose_json). */
  detectedLanguage: string | null;
  /** What the provider billed: seconds (whisper-1) or tokens (gpt-4o*-transcribe, Gemini). */
  billing: TranscriptionBilling;
  responseModelId: string;
}

export type TranscriptionBilling =
  | { unit: 'seconds'; seconds: number }
  | { unit: 'tokens'; inputTokens: number; audioInputTokens: number; outputTokens: number; raw: unknown };

/** 'pt-BR' → 'pt': OpenAI takes ISO-639-1 codes only. */
export function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0]!.toLowerCase();
}

/** 'pt-BR' → 'Portuguese (Brazil)', for prompts; falls back to the tag itself. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
