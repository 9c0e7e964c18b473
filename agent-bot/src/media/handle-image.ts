import { ProviderCallError, describeError } from '../llm/provider-error.js';
import { priceModelUsage, type PriceTable } from '../pricing/index.js';
import { MediaError } from './media-error.js';
import type { MediaOutcome } from './media-outcome.js';
import type { MediaSettings } from './media-settings.js';
import type { SniffedType } from './sniff-media-type.js';
import { interpretImage } from './vision/image-interpreter.js';
import { recognizeText } from './vision/ocr.js';

type ImageResult = Omit<MediaOutcome, 'messageId' | 'attachmentId'>;

/**
 * A vision model when the assistant has one; OCR (offline, text only) when it has none or the
 * vision call fails, so a photographed receipt is still read.
 */
export async function readImage(
  image: Uint8Array,
  sniffed: SniffedType,
  caption: string,
  settings: MediaSettings,
  prices: PriceTable,
  signal: AbortSignal,
): Promise<ImageResult> {
  let visionFailure: MediaError | null = null;
  const model = settings.visionModel;
  if (model) {
    try {
      const result = await interpretImage(
        model,
        { data: image, mime: sniffed.mime, caption },
        { language: settings.language, signal, timeoutMs: settings.providerTimeoutMs },
      );
      const priced = priceModelUsage(prices, {
        provider: model.provider,
        model: model.modelId,
        usage: result.usage,
      });
      const { raw: _raw, ...usage } = result.usage;
      return {
        kind: 'image',
        method: 'vision',
        ok: true,
        text: result.text,
        provider: model.provider,
        model: model.modelId,
        costUsd: priced.totalUsd,
        priceVersion: priced.priceVersion,
        latencyMs: result.latencyMs,
        usage,
      };
    } catch (error) {
      const reason =
        ProviderCallError.isInstance(error) && error.kind === 'timeout' ? 'timeout' : 'provider_failed';
      visionFailure = new MediaError(reason, `${model.provider} vision failed (${describeError(error)})`, {
        cause: error,
      });
      if (!settings.ocr.enabled) throw visionFailure;
    }
  }
  if (!settings.ocr.enabled) throw new MediaError('no_provider', 'no vision model or OCR is configured');
  // Tesseract reads PNG/JPEG/WebP/GIF (first frame) directly.
  const ocr = await recognizeText(image, settings.ocr.languages);
  return {
    kind: 'image',
    method: 'ocr',
    ok: true,
    text: ocr.text,
    provider: 'tesseract',
    model: `tesseract.js (${settings.ocr.languages.join('+')})`,
    costUsd: '0',
    priceVersion: 'offline',
    latencyMs: ocr.latencyMs,
    detail: `OCR confidence ${ocr.confidence}%${visionFailure ? `; ${visionFailure.message}` : ''}`,
  };
}
