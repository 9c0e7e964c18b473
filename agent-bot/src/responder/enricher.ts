import type { AnalyticsEventInput } from '@switchboard/events';
import type { TranscriptEntry } from './responder.js';

/**
 * Media enrichment hook (the media part plugs in here): runs on each pending customer message
 * that has attachments, before the responder. Return text that describes the media (voice
 * transcript, image description, OCR) or null; it is stored on the message, shown to the model
 * as `TranscriptEntry.enrichment` in this and later turns. An enricher that throws is logged and
 * skipped: media trouble never blocks an answer.
 */
export type Enricher = (
  entry: TranscriptEntry,
  context: {
    accountId: number;
    conversationId: number;
    assistant: string;
    signal: AbortSignal;
    /** The turn the media is read for (its events carry it, so the turn's cost includes them). */
    turnId?: string;
    /** Analytics events (transcription, vision), written with the turn like TurnContext.emit. */
    emit?: (event: AnalyticsEventInput) => void;
    /** A private note for the agents, posted at once (so it lands right after the media). */
    addPrivateNote?: (text: string) => Promise<void>;
  },
) => Promise<{ enrichment: string } | null>;
