import type { AssistantConfig, SwitchboardConfig } from '@switchboard/core';
import { createLanguageModel, type ModelFactory } from '../llm/create-language-model.js';
import type { LanguageModel } from '../llm/language-model.js';
import { GeminiTranscriber } from './transcription/gemini-transcriber.js';
import { OpenAITranscriber } from './transcription/openai-transcriber.js';
import type { Transcriber } from './transcription/transcriber.js';

type MediaConfig = SwitchboardConfig['media'];
type TranscriptionConfig = MediaConfig['transcription'];

/** What one assistant does with media, after its overrides are applied. */
export interface MediaSettings {
  transcriber: Transcriber | null;
  /** BCP 47 tag, or null for auto-detection. */
  transcriptionLanguage: string | null;
  /** The language interpretations are written in (the assistant's). */
  language: string;
  visionModel: LanguageModel | null;
  ocr: { enabled: boolean; languages: string[] };
  passImageToAssistant: boolean;
  /** Whether the assistant's own model accepts images (decides whether bytes are passed on). */
  assistantSeesImages: boolean;
  withoutTranscription: 'ask_to_type' | 'handoff';
  providerTimeoutMs: number;
}

export type TranscriberFactory = (config: TranscriptionConfig) => Transcriber | null;

const DEFAULT_TRANSCRIPTION_MODEL = { openai: 'gpt-4o-mini-transcribe', gemini: 'gemini-2.5-flash' } as const;

/** An absent key (an unset ${OPENAI_API_KEY}) means "not configured", never an error. */
export const createTranscriber: TranscriberFactory = (config) => {
  const apiKey = config.apiKey?.trim() ?? '';
  if (config.provider === 'none' || !apiKey) return null;
  const model = config.model ?? DEFAULT_TRANSCRIPTION_MODEL[config.provider];
  const baseUrl = config.baseUrl ? { baseUrl: config.baseUrl } : {};
  return config.provider === 'openai'
    ? new OpenAITranscriber({ model, apiKey, ...baseUrl })
    : new GeminiTranscriber({ model, apiKey, ...baseUrl });
};

export function resolveMediaSettings(
  media: MediaConfig,
  assistantName: string,
  assistant: AssistantConfig | undefined,
  factories: { model?: ModelFactory; transcriber?: TranscriberFactory } = {},
): MediaSettings {
  const override = media.assistants[assistantName] ?? {};
  const transcription = { ...media.transcription, ...override.transcription };
  const vision = { ...media.vision, ...override.vision };
  const buildModel = factories.model ?? createLanguageModel;
  const language = assistant?.language ?? 'en';
  const assistantModel = assistant ? buildModel(assistant.model) : null;

  let visionModel: LanguageModel | null = null;
  if (vision.use === 'model' && vision.model) visionModel = buildModel(vision.model);
  if (vision.use === 'assistant' && assistantModel?.supportsImages) visionModel = assistantModel;

  return {
    transcriber: (factories.transcriber ?? createTranscriber)(transcription),
    transcriptionLanguage:
      transcription.language === 'auto'
        ? null
        : transcription.language === 'assistant'
          ? language
          : transcription.language,
    language,
    visionModel,
    ocr: {
      enabled: vision.use === 'ocr' || (vision.use !== 'off' && vision.ocrFallback),
      languages: vision.ocrLanguages,
    },
    passImageToAssistant: vision.passImageToAssistant,
    assistantSeesImages: assistantModel?.supportsImages ?? false,
    withoutTranscription: override.withoutTranscription ?? media.withoutTranscription,
    providerTimeoutMs: media.providerTimeoutMs,
  };
}
