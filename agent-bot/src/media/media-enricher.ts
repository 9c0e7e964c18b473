import type dns from 'node:dns';
import type { AnalyticsEventInput } from '@switchboard/events';
import type { Logger, SwitchboardConfig } from '@switchboard/core';
import type { TranscriptAttachment, TranscriptEntry } from '../responder/responder.js';
import type { Enricher } from '../responder/enricher.js';
import type { ModelFactory } from '../llm/create-language-model.js';
import type { PriceTable } from '../pricing/index.js';
import { readDocument } from './handle-document.js';
import { readImage } from './handle-image.js';
import { transcribeVoiceNote } from './handle-voice-note.js';
import { enrichmentLine } from './enrichment-text.js';
import type { ImageCache } from './image-cache.js';
import { MediaError } from './media-error.js';
import { mediaEvent } from './media-events.js';
import type { MediaOutcome } from './media-outcome.js';
import { resolveMediaSettings, type MediaSettings, type TranscriberFactory } from './media-settings.js';
import { formatPrivateNote } from './private-note.js';
import { fetchMedia, type FetchPolicy } from './safe-fetch.js';
import { requireKind, type MediaKind } from './sniff-media-type.js';

export interface MediaDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  prices: PriceTable;
  images: ImageCache;
  modelFactory?: ModelFactory;
  transcriberFactory?: TranscriberFactory;
  /** DNS resolution for the SSRF check (tests point names at chosen addresses). */
  lookup?: typeof dns.lookup;
  /** Used when the engine's hook does not pass `addPrivateNote` itself. */
  postPrivateNote?: (accountId: number, conversationId: number, text: string) => Promise<void>;
}

/** The engine's hook context (emit and addPrivateNote are passed by the engine's turn). */
export type MediaEnricherContext = Parameters<Enricher>[1];

const KIND_OF: Partial<Record<TranscriptAttachment['fileType'], MediaOutcome['kind']>> = {
  audio: 'voice',
  image: 'image',
  file: 'document',
};

/**
 * The media enricher plugged into the engine's hook: for each voice note, image or PDF of a
 * pending customer message, fetch it safely, read it, post a labelled private note with the
 * model and cost, emit the analytics event, and return the text the answering model reads.
 * Every failure becomes an outcome too (note, event, enrichment line): never a silent drop.
 */
export function createMediaEnricher(deps: MediaDependencies): Enricher {
  const settingsCache = new Map<string, MediaSettings>();
  const settingsFor = (assistant: string): MediaSettings => {
    let settings = settingsCache.get(assistant);
    if (!settings) {
      settings = resolveMediaSettings(deps.config.media, assistant, deps.config.assistants[assistant], {
        ...(deps.modelFactory ? { model: deps.modelFactory } : {}),
        ...(deps.transcriberFactory ? { transcriber: deps.transcriberFactory } : {}),
      });
      settingsCache.set(assistant, settings);
    }
    return settings;
  };

  return async (entry: TranscriptEntry, context: MediaEnricherContext) => {
    if (!deps.config.media.enabled || entry.author !== 'customer') return null;
    const settings = settingsFor(context.assistant);
    const lines: string[] = [];
    for (const attachment of entry.attachments) {
      const kind = KIND_OF[attachment.fileType];
      if (!kind) continue;
      // Chatwoot already transcribed it (transcribed_text): never pay for a second transcript.
      if (kind === 'voice' && entry.enrichment) continue;
      const outcome = await readAttachment(deps, settings, entry, attachment, kind, context);
      // A failure caused by the turn being superseded is not the media's fault: nothing is
      // recorded and the next turn reads it again. A result already paid for is kept.
      if (!outcome.ok && context.signal.aborted) {
        throw new MediaError('timeout', 'turn superseded while reading media');
      }
      lines.push(enrichmentLine(outcome));
      // Like TurnContext.emit: the engine adds id, time and the conversation envelope.
      context.emit?.(mediaEvent(outcome, context.turnId) as AnalyticsEventInput);
      await postNote(deps, context, outcome);
      deps.logger.info(
        {
          messageId: entry.messageId,
          attachmentId: attachment.id,
          method: outcome.method,
          model: outcome.model,
          ok: outcome.ok,
          reason: outcome.failure?.reason,
          latencyMs: outcome.latencyMs,
          costUsd: outcome.costUsd,
        },
        'media read',
      );
    }
    return lines.length ? { enrichment: lines.join('\n') } : null;
  };
}

async function readAttachment(
  deps: MediaDependencies,
  settings: MediaSettings,
  entry: TranscriptEntry,
  attachment: TranscriptAttachment,
  kind: MediaOutcome['kind'],
  context: MediaEnricherContext,
): Promise<MediaOutcome> {
  const ids = { messageId: entry.messageId, attachmentId: attachment.id };
  const started = performance.now();
  try {
    if (!attachment.dataUrl) throw new MediaError('fetch_failed', 'the attachment has no data_url');
    const expected: MediaKind = kind === 'voice' ? 'audio' : kind === 'image' ? 'image' : 'pdf';
    const fetched = await fetchMedia(
      attachment.dataUrl,
      fetchPolicy(deps, context.accountId, expected),
      context.signal,
    );
    const sniffed = await requireKind(fetched.bytes, expected);
    if (kind === 'voice') {
      return {
        ...ids,
        ...(await transcribeVoiceNote(fetched.bytes, sniffed, settings, deps.prices, context.signal)),
      };
    }
    if (kind === 'image') {
      if (settings.passImageToAssistant && settings.assistantSeesImages) {
        deps.images.set(context.accountId, attachment.id, fetched.bytes, sniffed.mime);
      }
      return {
        ...ids,
        ...(await readImage(fetched.bytes, sniffed, entry.text, settings, deps.prices, context.signal)),
      };
    }
    return { ...ids, ...(await readDocument(fetched.bytes, deps.config.media.maxDocumentChars)) };
  } catch (error) {
    const failure =
      error instanceof MediaError
        ? { reason: error.reason, message: error.message }
        : {
            reason: 'corrupt' as const,
            message: `unexpected error: ${(error as Error)?.message ?? String(error)}`.slice(0, 200),
          };
    return {
      ...ids,
      kind,
      method:
        kind === 'voice'
          ? 'transcription'
          : kind === 'document'
            ? 'pdf_text'
            : settings.visionModel
              ? 'vision'
              : 'ocr',
      ok: false,
      text: '',
      ...providerOf(kind, settings),
      costUsd: '0',
      priceVersion: 'unpriced',
      latencyMs: Math.round(performance.now() - started),
      failure,
    };
  }
}

function providerOf(
  kind: MediaOutcome['kind'],
  settings: MediaSettings,
): { provider: string; model: string } {
  if (kind === 'voice')
    return settings.transcriber
      ? { provider: settings.transcriber.provider, model: settings.transcriber.model }
      : { provider: 'none', model: 'none' };
  if (kind === 'document') return { provider: 'pdf-parse', model: 'pdf-parse' };
  if (settings.visionModel)
    return { provider: settings.visionModel.provider, model: settings.visionModel.modelId };
  return settings.ocr.enabled
    ? { provider: 'tesseract', model: 'tesseract.js' }
    : { provider: 'none', model: 'none' };
}

/** Only Chatwoot's own host and its configured storage hosts; private addresses per config. */
export function fetchPolicy(
  deps: Pick<MediaDependencies, 'config' | 'lookup'>,
  accountId: number,
  kind: MediaKind,
): FetchPolicy {
  const media = deps.config.media;
  const account = deps.config.chatwoot.accounts.find((candidate) => candidate.id === accountId);
  const allowedOrigins = account ? [new URL(account.baseUrl).origin, ...account.storageHosts] : [];
  return {
    allowedOrigins,
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
    ...(deps.lookup ? { lookup: deps.lookup } : {}),
  };
}

async function postNote(
  deps: MediaDependencies,
  context: MediaEnricherContext,
  outcome: MediaOutcome,
): Promise<void> {
  if (!deps.config.media.privateNotes) return;
  const text = formatPrivateNote(outcome);
  try {
    if (context.addPrivateNote) await context.addPrivateNote(text);
    else await deps.postPrivateNote?.(context.accountId, context.conversationId, text);
  } catch (error) {
    // The note is for agents; failing to post it must not cost the customer an answer.
    deps.logger.warn(
      { messageId: outcome.messageId, error: (error as Error).message },
      'media private note not posted',
    );
  }
}
