import type { LanguageModel, ModelUsage } from '../../llm/language-model.js';
import { callWithRetry, DEFAULT_RETRY } from '../../llm/retry-policy.js';
import { languageName } from '../transcription/transcriber.js';

export interface ImageInterpretation {
  text: string;
  usage: ModelUsage;
  responseModelId: string;
  latencyMs: number;
  attempts: number;
}

/**
 * What agents and the answering model need from a customer's photo: what it shows, every piece
 * of text and every number exactly as written (order numbers, totals, error codes, serials), and
 * product details. Written in the conversation's language so the private note reads naturally.
 */
export function visionInstructions(language: string | null): string {
  const inLanguage = language ? `Write in ${languageName(language)}.` : "Write in the customer's language.";
  return [
    'A customer sent this image to a customer-support assistant.',
    'Describe it for a support agent in 1-3 sentences, then list, exactly as written, any text,',
    'numbers (order or invoice numbers, amounts, dates, error codes, serial numbers) and product',
    'details (brand, model, size, colour, visible damage). Do not invent what is not visible;',
    `say "unreadable" for text you cannot read. ${inLanguage} No preamble.`,
  ].join(' ');
}

export async function interpretImage(
  model: LanguageModel,
  image: { data: Uint8Array; mime: string; caption: string },
  options: { language: string | null; signal: AbortSignal; timeoutMs?: number },
): Promise<ImageInterpretation> {
  const started = performance.now();
  let attempts = 0;
  const result = await callWithRetry(
    model.provider,
    (signal) =>
      model.generate({
        system: visionInstructions(options.language),
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', mediaType: image.mime, data: image.data },
              ...(image.caption
                ? [{ type: 'text' as const, text: `The customer's caption: ${image.caption}` }]
                : []),
            ],
          },
        ],
        temperature: 0,
        maxOutputTokens: 600,
        signal,
      }),
    {
      ...DEFAULT_RETRY,
      timeoutMs: options.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
      signal: options.signal,
      onAttempt: (attempt) => {
        attempts = attempt.attempt;
      },
    },
  );
  return {
    text: result.text.trim(),
    usage: result.usage,
    responseModelId: result.responseModelId,
    latencyMs: Math.round(performance.now() - started),
    attempts,
  };
}
