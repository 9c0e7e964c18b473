import type { AnalyticsEventInput } from '@switchboard/events';
import { outcomeFor } from './media-error.js';
import type { MediaOutcome } from './media-outcome.js';

/** An event without its envelope: the engine adds ids, time and conversation fields. */
export type MediaEvent = Pick<
  Extract<AnalyticsEventInput, { type: 'transcription' | 'vision' }>,
  'type' | 'payload' | 'costUsd' | 'costKind'
>;

/**
 * One `transcription` or `vision` event per attachment, failures included (outcome + error),
 * with the turn it was read for (so the turn's cost includes its media work).
 */
export function mediaEvent(outcome: MediaOutcome, turnId?: string): MediaEvent {
  const turn = turnId ? { turnId } : {};
  // What was read, for the insight panel (before, an image's OCR showed as "(no text)").
  const read = outcome.text ? { text: outcome.text.slice(0, MAX_EVENT_TEXT) } : {};
  const result = outcome.ok ? 'ok' : outcomeFor(outcome.failure?.reason ?? 'provider_failed');
  const error = outcome.failure
    ? { error: `${outcome.failure.reason}: ${outcome.failure.message}`.slice(0, 300) }
    : outcome.warning
      ? { error: `warning: ${outcome.warning}`.slice(0, 300) }
      : {};
  if (outcome.kind === 'voice') {
    return {
      type: 'transcription',
      costUsd: outcome.costUsd,
      costKind: 'transcription',
      payload: {
        messageId: outcome.messageId,
        provider: outcome.provider,
        model: outcome.model,
        ...(outcome.language ? { language: outcome.language } : {}),
        durationSeconds: outcome.durationSeconds ?? 0,
        latencyMs: outcome.latencyMs,
        outcome: result,
        priceVersion: outcome.priceVersion,
        ...error,
        ...read,
        ...turn,
      },
    };
  }
  return {
    type: 'vision',
    costUsd: outcome.costUsd,
    costKind: 'vision',
    payload: {
      messageId: outcome.messageId,
      method: outcome.method === 'transcription' ? 'vision' : outcome.method,
      provider: outcome.provider,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      outcome: result,
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      priceVersion: outcome.priceVersion,
      ...error,
      ...read,
      ...turn,
    },
  };
}

/** A long PDF's text stays in the message's enrichment; the event keeps what a panel shows. */
const MAX_EVENT_TEXT = 4000;
