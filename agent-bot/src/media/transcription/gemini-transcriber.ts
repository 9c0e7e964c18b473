import { GoogleGenAI } from '@google/genai';
import { ProviderCallError } from '../../llm/provider-error.js';
import { convertGeminiUsage } from '../../llm/gemini/convert-gemini-usage.js';
import { geminiResponseSchema } from '../../llm/gemini/gemini-api.js';
import { classifyGeminiError } from '../../llm/gemini/gemini-error.js';
import type { Transcriber, TranscriptionRequest, TranscriptionResult } from './transcriber.js';
import { languageName } from './transcriber.js';

export interface GeminiTranscriberSettings {
  model: string;
  apiKey: string;
  baseUrl?: string;
}

export const NO_SPEECH = '[no speech]';

/**
 * Gemini has no transcription endpoint: the audio goes in as an inline part of generateContent
 * with an instruction to transcribe verbatim. Its documented formats list OGG Vorbis, not Opus,
 * so WhatsApp voice notes are sent as ffmpeg's MP3. Billed as audio tokens (32 per second).
 */
export class GeminiTranscriber implements Transcriber {
  readonly provider = 'gemini';
  readonly model: string;
  readonly needsMp3 = true;
  private readonly client: GoogleGenAI;

  constructor(settings: GeminiTranscriberSettings) {
    this.model = settings.model;
    this.client = new GoogleGenAI({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}),
    });
  }

  async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
    if (!request.mp3)
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'bad_request',
        message: 'MP3 audio missing',
      });
    const language = request.language
      ? `The speaker uses ${languageName(request.language)}; write the transcript in that language.`
      : 'Write the transcript in the language the speaker uses.';
    let raw: unknown;
    try {
      raw = await this.client.models.generateContent({
        model: this.model,
        contents: [
          {
            role: 'user',
            parts: [
              {
                text: `Transcribe this voice message verbatim. ${language} Output only the transcript, without timestamps, labels or comments. If there is no speech, output exactly ${NO_SPEECH}.`,
              },
              { inlineData: { mimeType: 'audio/mp3', data: Buffer.from(request.mp3).toString('base64') } },
            ],
          },
        ],
        config: { temperature: 0, abortSignal: request.signal },
      });
    } catch (error) {
      throw classifyGeminiError(error);
    }
    const parsed = geminiResponseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'invalid_response',
        message: 'unexpected response shape',
      });
    }
    const text = (parsed.data.candidates?.[0]?.content?.parts ?? [])
      .filter((part) => part.text !== undefined && !part.thought)
      .map((part) => part.text)
      .join('')
      .trim();
    const usage = convertGeminiUsage(parsed.data.usageMetadata);
    return {
      text: text === NO_SPEECH ? '' : text,
      detectedLanguage: null,
      billing: {
        unit: 'tokens',
        inputTokens: usage.inputTokens,
        audioInputTokens: usage.audioInputTokens,
        outputTokens: usage.outputTokens,
        raw: usage.raw,
      },
      responseModelId: parsed.data.modelVersion ?? this.model,
    };
  }
}
