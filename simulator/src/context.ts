import type { SimulatorClock } from './clock.js';
import type { Recorder } from './recorder.js';
import type { SimulatorStore } from './state/store.js';
import type { SimulatorEvent } from './events/simulator-events.js';

/** Behaviour switches; defaults are Chatwoot v4.15's. */
export interface SimulatorBehaviour {
  /** Webhook read/open timeout (WEBHOOK_TIMEOUT, default 5 s). */
  webhookTimeoutMs: number;
  /** Wait between agent-bot retries on 429/500 (Chatwoot: 3 s). */
  webhookRetryDelayMs: number;
  /** Attempts per agent-bot delivery, first one included (Chatwoot: 3). */
  webhookAttempts: number;
  /** Deliveries in flight at once (Sidekiq workers); 1 gives strict order. */
  webhookConcurrency: number;
  /** Pick queued deliveries in random order, to shake out ordering assumptions. */
  shuffleWebhooks: boolean;
  /** Seed of the shuffle, so a failing order can be replayed. */
  shuffleSeed: number;
  /** Sign agent-bot webhooks (Chatwoot ≥ 4.13). false = no X-Chatwoot-* headers at all, as before 4.13. */
  signWebhooks: boolean;
  /** Which clock stamps X-Chatwoot-Timestamp: the wall clock (a real server's Time.now) or the simulator clock. */
  webhookTimestampClock: 'system' | 'simulator';
  /**
   * Refuse webhook URLs whose host has no public address (loopback, private, link-local…), every
   * redirect included, as Chatwoot ≥ 4.14 does unless SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true: the
   * default reads that variable the way Chatwoot does.
   */
  blockPrivateNetwork: boolean;
  /** Delay before an outgoing message is handed to WhatsApp (SendReplyJob). */
  sendDelayMs: number;
  /** After WhatsApp accepts a message, play delivered and read receipts automatically. */
  autoReceipts: boolean;
  /** CONVERSATION_MESSAGE_PER_MINUTE_LIMIT (200). */
  messagesPerConversationPerMinute: number;
  /** Keep at most this many webhooks, API calls and channel sends each in the recorder; 0 = all. */
  recorderLimit: number;
}

export const DEFAULT_BEHAVIOUR: SimulatorBehaviour = {
  webhookTimeoutMs: 5000,
  webhookRetryDelayMs: 3000,
  webhookAttempts: 3,
  webhookConcurrency: 8,
  shuffleWebhooks: false,
  shuffleSeed: 1,
  signWebhooks: true,
  webhookTimestampClock: 'system',
  blockPrivateNetwork: process.env.SAFE_FETCH_ALLOW_PRIVATE_NETWORK !== 'true',
  sendDelayMs: 0,
  autoReceipts: false,
  messagesPerConversationPerMinute: 200,
  recorderLimit: 0,
};

/** What every service function receives: the rows, the clock, the switches and the event dispatcher. */
export interface SimulatorContext {
  store: SimulatorStore;
  clock: SimulatorClock;
  behaviour: SimulatorBehaviour;
  recorder: Recorder;
  /** Public base URL (FRONTEND_URL) used in attachment data_url; set once the server listens. */
  frontendUrl: string;
  dispatch(event: SimulatorEvent): void;
  /** Run work later, like a background job, and count it until it settles (for waitForIdle). */
  enqueueJob(name: string, delayMs: number, work: () => Promise<void> | void): void;
}
