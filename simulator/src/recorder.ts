/**
 * Everything that crossed the simulator's boundary, in order: webhooks it delivered (with each attempt),
 * API calls it answered, and what it "sent to WhatsApp". Tests and benchmarks assert on these.
 */

export interface WebhookAttempt {
  attempt: number;
  startedAt: number;
  durationMs: number;
  /** HTTP status, or null when the request failed before a response (timeout, refused, blocked). */
  statusCode: number | null;
  error: string | null;
  headers: Record<string, string>;
}

export interface WebhookRecord {
  deliveryId: string;
  kind: 'agent_bot' | 'account_webhook';
  /** The bot or account webhook row it went to. */
  targetId: number;
  url: string;
  event: string;
  /** The exact bytes sent (the signature covers them). */
  body: string;
  payload: Record<string, unknown>;
  enqueuedAt: number;
  finishedAt: number | null;
  outcome: 'pending' | 'delivered' | 'failed';
  attempts: WebhookAttempt[];
}

export interface ApiCallRecord {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, unknown>;
  /** The route pattern that matched, e.g. `/api/v1/accounts/:accountId/conversations/:conversationId/messages`. */
  route: string | null;
  /** Who called: a bot token, a user token, or nobody/unknown. */
  caller: { type: 'agent_bot' | 'user'; id: number } | null;
  requestBody: unknown;
  statusCode: number;
  responseBody: unknown;
  startedAt: number;
  durationMs: number;
}

export interface ChannelSendRecord {
  messageId: number;
  conversationDisplayId: number;
  inboxId: number;
  /** The customer's number (wa_id). */
  to: string;
  /** What WhatsApp Cloud would receive: `text`, `template`, `interactive`, `image`, `audio`, `document`, ... */
  type: string;
  /** The request body Chatwoot would POST to the Graph API. */
  body: Record<string, unknown>;
  outcome: 'sent' | 'failed';
  error: string | null;
  at: number;
}

export type RecorderEntry =
  | { kind: 'webhook'; record: WebhookRecord }
  | { kind: 'api_call'; record: ApiCallRecord }
  | { kind: 'channel_send'; record: ChannelSendRecord };

export interface Recorder {
  readonly webhooks: WebhookRecord[];
  readonly apiCalls: ApiCallRecord[];
  readonly channelSends: ChannelSendRecord[];
  addWebhook(record: WebhookRecord): void;
  /** Call after mutating a webhook record (attempt added, outcome set) so waiters re-check. */
  touch(): void;
  addApiCall(record: ApiCallRecord): void;
  addChannelSend(record: ChannelSendRecord): void;
  /** Notified after every change; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  clear(): void;
}

/** `limit()` > 0 keeps only the newest entries of each list (a long-running playground must not grow forever). */
export function createRecorder(limit: () => number = () => 0): Recorder {
  const webhooks: WebhookRecord[] = [];
  const apiCalls: ApiCallRecord[] = [];
  const channelSends: ChannelSendRecord[] = [];
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const push = <T>(list: T[], record: T): void => {
    list.push(record);
    const max = limit();
    if (max > 0 && list.length > max) list.splice(0, list.length - max);
    notify();
  };
  return {
    webhooks,
    apiCalls,
    channelSends,
    addWebhook: (record) => push(webhooks, record),
    touch: notify,
    addApiCall: (record) => push(apiCalls, record),
    addChannelSend: (record) => push(channelSends, record),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear() {
      webhooks.length = 0;
      apiCalls.length = 0;
      channelSends.length = 0;
      notify();
    },
  };
}
