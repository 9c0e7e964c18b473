import type dns from 'node:dns';
import type { Logger, SwitchboardConfig } from '@switchboard/core';
import type { Responder, TurnContext, TurnReply } from '../responder/responder.js';
import type { ModelFactory } from '../llm/create-language-model.js';
import { hasReadableMedia, hasUntranscribedVoice } from './enrichment-text.js';
import type { ImageCache } from './image-cache.js';
import { fetchPolicy } from './media-enricher.js';
import { resolveMediaSettings, type MediaSettings } from './media-settings.js';
import { detectCustomerLanguage } from '../language/customer-language.js';
import { askToTypeMessage } from './ask-to-type.js';
import { fetchMedia } from './safe-fetch.js';
import { requireKind } from './sniff-media-type.js';

export interface MediaResponderDependencies {
  config: SwitchboardConfig;
  logger: Logger;
  images: ImageCache;
  modelFactory?: ModelFactory;
  lookup?: typeof dns.lookup;
}

/**
 * Wraps the assistant's responder with the two things media needs at answer time:
 * - the original image goes to the answering model when it accepts images
 *   (`TranscriptAttachment.data`), from the enricher's cache or fetched again;
 * - a turn made only of voice notes nobody could transcribe gets the policy's answer (a polite
 *   request to type, or a handoff) instead of a model guessing at an empty message.
 */
export function withMediaResponder(inner: Responder, deps: MediaResponderDependencies): Responder {
  const settingsCache = new Map<string, MediaSettings>();
  const settingsFor = (assistant: string): MediaSettings => {
    let settings = settingsCache.get(assistant);
    if (!settings) {
      settings = resolveMediaSettings(deps.config.media, assistant, deps.config.assistants[assistant], {
        ...(deps.modelFactory ? { model: deps.modelFactory } : {}),
        transcriber: () => null,
      });
      settingsCache.set(assistant, settings);
    }
    return settings;
  };

  return {
    async respond(context: TurnContext): Promise<TurnReply> {
      if (!deps.config.media.enabled) return inner.respond(context);
      const settings = settingsFor(context.assistant);
      const unreadable = unreadableVoiceOnly(context);
      if (unreadable) return fallbackReply(settings, conversationLanguage(context, settings.language));
      if (settings.passImageToAssistant && settings.assistantSeesImages) await attachImages(deps, context);
      return inner.respond(context);
    },
  };
}

/** Every pending message is a voice note we could not transcribe, with no text besides. */
function unreadableVoiceOnly(context: TurnContext): boolean {
  if (context.pending.length === 0) return false;
  return context.pending.every(
    (entry) =>
      entry.text.trim() === '' &&
      hasUntranscribedVoice(entry.enrichment) &&
      !hasReadableMedia(entry.enrichment),
  );
}

function fallbackReply(settings: MediaSettings, language: string): TurnReply {
  if (settings.withoutTranscription === 'handoff') {
    return {
      messages: [],
      handoff: {
        reason: 'unsupported_media',
        summary: 'The customer sent a voice note that could not be transcribed; please listen to it.',
      },
    };
  }
  return { messages: [{ kind: 'text', text: askToTypeMessage(language) }] };
}

/**
 * The language the customer writes in (their earlier messages), so the request to type is
 * understood; the assistant's language when they have not written anything yet.
 */
function conversationLanguage(context: TurnContext, assistantLanguage: string): string {
  const written = context.transcript
    .filter((entry) => entry.author === 'customer')
    .map((entry) => entry.text);
  return detectCustomerLanguage(written, assistantLanguage);
}

async function attachImages(deps: MediaResponderDependencies, context: TurnContext): Promise<void> {
  for (const entry of context.pending) {
    for (const attachment of entry.attachments) {
      if (attachment.fileType !== 'image' || attachment.data) continue;
      const cached = deps.images.get(context.accountId, attachment.id);
      if (cached) {
        attachment.data = cached.data;
        attachment.contentType = cached.mime;
        continue;
      }
      if (!attachment.dataUrl) continue;
      try {
        const fetched = await fetchMedia(
          attachment.dataUrl,
          fetchPolicy(deps, context.accountId, 'image'),
          context.signal,
        );
        const sniffed = await requireKind(fetched.bytes, 'image');
        deps.images.set(context.accountId, attachment.id, fetched.bytes, sniffed.mime);
        attachment.data = fetched.bytes;
        attachment.contentType = sniffed.mime;
      } catch (error) {
        // The enrichment already tells the model what the image showed (or that it failed).
        deps.logger.debug(
          { attachmentId: attachment.id, error: (error as Error).message },
          'image not passed to the model',
        );
      }
    }
  }
}
