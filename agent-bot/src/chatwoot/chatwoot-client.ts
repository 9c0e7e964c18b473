import { z } from 'zod';
import { HttpRequestError, httpRequest, parseRetryAfter, retry } from '@switchboard/core';
import type { ChatwootAccountConfig } from '@switchboard/core';
import { ChatwootError } from './chatwoot-error.js';
import { escapeLiquid, escapeLiquidInRequest } from './escape-liquid.js';
import { MessageRateLimiter } from './message-rate-limiter.js';
import { markerOf, REPLY_MARKER_KEY, restTime } from './reply-marker.js';

export { REPLY_MARKER_KEY } from './reply-marker.js';

type Method = 'get' | 'post' | 'put';

export interface ChatwootClientOptions {
  account: ChatwootAccountConfig;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubles each attempt (with jitter), capped at 30 s. */
  baseDelayMs?: number;
  rateLimiter?: MessageRateLimiter;
}

/** What the bot posts to /messages (contract §3.3). */
export interface CreateMessageRequest {
  content: string;
  message_type?: 'outgoing';
  private?: boolean;
  content_type?: 'text' | 'input_select';
  content_attributes?: {
    items?: { title: string; value: string }[];
    in_reply_to?: number;
    [REPLY_MARKER_KEY]?: string;
  };
  template_params?: {
    name: string;
    category?: string;
    language: string;
    processed_params?: { body?: Record<string, string> };
  };
}

export interface OutgoingFile {
  name: string;
  contentType: string;
  base64: string;
}

/** Attachments go as multipart `attachments[]` (contract §3.3). */
function toForm(body: CreateMessageRequest, file: OutgoingFile): FormData {
  const form = new FormData();
  form.append('content', body.content);
  form.append('message_type', body.message_type ?? 'outgoing');
  if (body.private) form.append('private', 'true');
  // Rails parses a JSON string here (MessageBuilder#content_attributes).
  if (body.content_attributes) form.append('content_attributes', JSON.stringify(body.content_attributes));
  form.append(
    'attachments[]',
    new Blob([Buffer.from(file.base64, 'base64')], { type: file.contentType }),
    file.name,
  );
  return form;
}

const createdMessageSchema = z.looseObject({
  id: z.number().int(),
  /** REST responses carry epoch seconds here (contract §1.5). */
  created_at: z.union([z.number(), z.string()]).optional(),
});
export type CreatedMessage = z.infer<typeof createdMessageSchema>;

/** A WhatsApp inbox's synced templates (`message_templates` of GET inboxes/{id}, Meta's shape). */
export const whatsappTemplateSchema = z.looseObject({
  name: z.string(),
  language: z.string().optional(),
  status: z.string().optional(),
  components: z
    .array(z.looseObject({ type: z.string(), text: z.string().optional() }))
    .optional()
    .default([]),
});
export type WhatsappTemplate = z.infer<typeof whatsappTemplateSchema>;
const inboxTemplatesSchema = z.looseObject({
  message_templates: z.array(whatsappTemplateSchema).nullable().optional(),
});

const conversationSchema = z.looseObject({
  id: z.number().int(),
  status: z.enum(['open', 'resolved', 'pending', 'snoozed']),
  labels: z.array(z.string()).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).nullable().optional(),
});
const labelsSchema = z.looseObject({ payload: z.array(z.string()) });
/** GET …/messages: `payload` in ascending id order; `created_at` epoch seconds. */
const messageListSchema = z.looseObject({
  payload: z.array(
    z.looseObject({
      id: z.number().int(),
      created_at: z.union([z.number(), z.string()]).nullish(),
      content_attributes: z.unknown().optional(),
    }),
  ),
});

/** A message found again by the marker the bot set on it. */
export interface MarkedMessage {
  id: number;
  createdAt: Date | null;
}

/** Pages of 20 read back before giving up on a marker (the flood guard caps a minute's messages). */
const MARKER_SEARCH_PAGES = 10;

/**
 * The Chatwoot REST API for one account. The bot token is used for everything on the bot
 * allow-list; the user token for what a bot may not call (contacts). Retries 429/5xx/network
 * errors with exponential backoff (honouring Retry-After) and never logs a token.
 */
export class ChatwootClient {
  private readonly base: string;
  /** The token sent as `api_access_token`. */
  private readonly bot: string;
  private readonly user: string | null;
  private readonly limiter: MessageRateLimiter;

  constructor(private readonly options: ChatwootClientOptions) {
    this.base = `${options.account.baseUrl.replace(/\/$/, '')}/api/v1/accounts/${options.account.id}`;
    this.bot = options.account.bot.accessToken;
    this.user = options.account.userAccessToken ?? null;
    this.limiter = options.rateLimiter ?? new MessageRateLimiter();
  }

  get accountId(): number {
    return this.options.account.id;
  }

  /** Whether messages can be read back (GET …/messages is not on the bot allow-list). */
  get canReadMessages(): boolean {
    return this.user !== null;
  }

  /** How long one call may take before it counts as unanswered. */
  get requestTimeoutMs(): number {
    return this.options.timeoutMs;
  }

  /**
   * Creates a message. Chatwoot has no idempotency key, so a POST is tried again only when it
   * surely created nothing (429, the flood guard's 422, a refused connection); after a timeout,
   * a dropped connection or a 5xx it throws a ChatwootError with `mayHaveArrived`, and the caller
   * looks for `marker` (findMessageByMarker) before posting again.
   */
  async createMessage(
    conversationId: number,
    request: CreateMessageRequest & { file?: OutgoingFile; template?: unknown },
    options: { marker?: string } = {},
  ): Promise<CreatedMessage> {
    await this.waitForMessageBudget(conversationId);
    // `template` is the engine's own bookkeeping, not a Chatwoot parameter.
    const { file, template: _template, ...escaped } = escapeLiquidInRequest(request);
    void _template;
    const body: CreateMessageRequest = options.marker
      ? {
          ...escaped,
          content_attributes: { ...escaped.content_attributes, [REPLY_MARKER_KEY]: options.marker },
        }
      : escaped;
    const data = await this.call(
      'post',
      `/conversations/${conversationId}/messages`,
      file ? toForm(body, file) : body,
      { retryOnlyIfNotArrived: true },
    );
    return createdMessageSchema.parse(data);
  }

  /**
   * The message of this conversation carrying `marker`, read newest first from GET …/messages
   * (user token), back to messages created before `notBefore`; null when there is none.
   */
  async findMessageByMarker(
    conversationId: number,
    marker: string,
    notBefore: Date,
  ): Promise<MarkedMessage | null> {
    if (!this.user) {
      throw new ChatwootError('reading messages needs chatwoot userAccessToken', null, false, '/messages');
    }
    let before: number | null = null;
    for (let page = 0; page < MARKER_SEARCH_PAGES; page++) {
      const query: string = before === null ? '' : `?before=${before}`;
      const { payload } = messageListSchema.parse(
        await this.call('get', `/conversations/${conversationId}/messages${query}`, undefined, {
          token: this.user,
        }),
      );
      const hit = payload.find((message) => markerOf(message.content_attributes) === marker);
      if (hit) return { id: hit.id, createdAt: restTime(hit.created_at) };
      const oldest = payload[0];
      if (!oldest) return null;
      const oldestAt = restTime(oldest.created_at);
      if (oldestAt && oldestAt.getTime() < notBefore.getTime()) return null;
      before = oldest.id;
    }
    return null;
  }

  /** pending → open by a bot token is Chatwoot's `bot_handoff!` (counted as a bot handoff). */
  async toggleStatus(conversationId: number, status: 'open' | 'pending' | 'resolved'): Promise<void> {
    await this.call('post', `/conversations/${conversationId}/toggle_status`, { status });
  }

  /** Dashboard-only (never relayed to WhatsApp): best effort, a single attempt. */
  async toggleTyping(conversationId: number, on: boolean): Promise<void> {
    await this.call(
      'post',
      `/conversations/${conversationId}/toggle_typing_status`,
      { typing_status: on ? 'on' : 'off' },
      { retries: 0 },
    );
  }

  async assign(conversationId: number, target: { assigneeId?: number; teamId?: number }): Promise<void> {
    const body =
      target.assigneeId !== undefined ? { assignee_id: target.assigneeId } : { team_id: target.teamId };
    await this.call('post', `/conversations/${conversationId}/assignments`, body);
  }

  /**
   * POST /conversations (a bot may): a conversation for a contact inbox, with our first message
   * in it. Used to greet a website visitor before they wrote (Chatwoot creates a widget conversation
   * only on the visitor's first message otherwise).
   */
  async createConversation(input: {
    sourceId: string;
    inboxId: number;
    contactId: number;
    content: string;
  }): Promise<{ id: number }> {
    const data = await this.call('post', '/conversations', {
      source_id: input.sourceId,
      inbox_id: input.inboxId,
      contact_id: input.contactId,
      message: { content: escapeLiquid(input.content) },
    });
    return z.looseObject({ id: z.number().int() }).parse(data);
  }

  async getConversation(conversationId: number): Promise<z.infer<typeof conversationSchema>> {
    return conversationSchema.parse(await this.call('get', `/conversations/${conversationId}`));
  }

  /** Chatwoot replaces the whole label list: read, merge, write. */
  async addLabels(conversationId: number, labels: string[]): Promise<string[]> {
    const current = labelsSchema.parse(
      await this.call('get', `/conversations/${conversationId}/labels`),
    ).payload;
    const merged = [...new Set([...current, ...labels])];
    if (merged.length !== current.length) {
      await this.call('post', `/conversations/${conversationId}/labels`, { labels: merged });
    }
    return merged;
  }

  /** Chatwoot replaces conversation custom attributes: read, merge, write. */
  async mergeConversationAttributes(
    conversationId: number,
    attributes: Record<string, unknown>,
  ): Promise<void> {
    const conversation = await this.getConversation(conversationId);
    const merged = { ...(conversation.custom_attributes ?? {}), ...attributes };
    await this.call('post', `/conversations/${conversationId}/custom_attributes`, {
      custom_attributes: merged,
    });
  }

  /** Contacts are off-limits to bot tokens; Chatwoot merges contact custom attributes itself. */
  async updateContact(
    contactId: number,
    update: {
      name?: string;
      email?: string;
      phone_number?: string;
      custom_attributes?: Record<string, unknown>;
    },
  ): Promise<void> {
    if (!this.user) {
      throw new ChatwootError('updating a contact needs chatwoot userAccessToken', null, false, '/contacts');
    }
    await this.call('put', `/contacts/${contactId}`, update, { token: this.user });
  }

  /**
   * The inbox's approved WhatsApp templates as Chatwoot last synced them. Inbox details are
   * off-limits to bot tokens: null without a user token.
   */
  async inboxTemplates(inboxId: number): Promise<WhatsappTemplate[] | null> {
    if (!this.user) return null;
    const data = await this.call('get', `/inboxes/${inboxId}`, undefined, { token: this.user, retries: 1 });
    return inboxTemplatesSchema.parse(data).message_templates ?? [];
  }

  private async waitForMessageBudget(conversationId: number): Promise<void> {
    for (;;) {
      const wait = this.limiter.reserve(`${this.accountId}:${conversationId}`);
      if (wait === 0) return;
      await sleep(wait);
    }
  }

  private async call(
    method: Method,
    path: string,
    body?: unknown,
    options: { retries?: number; token?: string; retryOnlyIfNotArrived?: boolean } = {},
  ): Promise<unknown> {
    const token = options.token ?? this.bot;
    return retry(() => this.attempt(token, method, path, body), {
      maxAttempts: (options.retries ?? this.options.maxRetries) + 1,
      ...(options.retryOnlyIfNotArrived
        ? {
            classify: (error: unknown) =>
              ChatwootError.isInstance(error) && error.retryable && !error.mayHaveArrived
                ? { retryable: true, retryAfterMs: error.retryAfterMs }
                : { retryable: false },
          }
        : {}),
      baseDelayMs: this.options.baseDelayMs ?? 500,
      maxDelayMs: 30_000,
      // ±25 % rather than full jitter, and Chatwoot's Retry-After (at most a minute) as a floor:
      // a flood-guarded conversation must not be hit again sooner than it asked.
      jitter: 'proportional',
      retryAfter: 'floor',
      maxRetryAfterMs: 60_000,
    });
  }

  /** One request; a failure is a ChatwootError that says whether another try is worth it. */
  private async attempt(token: string, method: Method, path: string, body: unknown): Promise<unknown> {
    let status: number | null = null;
    let retryAfterMs: number | null = null;
    let detail: string;
    try {
      const response = await httpRequest({
        method: method.toUpperCase(),
        url: `${this.base}${path}`,
        headers: { api_access_token: token },
        ...(body instanceof FormData ? { body } : body === undefined ? {} : { json: body }),
        timeoutMs: this.options.timeoutMs,
      });
      status = response.status;
      if (status >= 200 && status < 300) return response.data;
      retryAfterMs = parseRetryAfter(response.headers);
      detail = describeBody(response.data);
    } catch (error) {
      // Timeouts and unreachable hosts: no status, always worth another try.
      detail = error instanceof HttpRequestError ? error.detail : String(error);
    }
    throw new ChatwootError(
      `Chatwoot ${method.toUpperCase()} ${path} failed: ${status ?? 'network'} ${detail}`.trim(),
      status,
      isRetryable(status, detail),
      path,
      retryAfterMs,
      mayHaveArrived(status, detail),
    );
  }
}

/**
 * Whether a failed request may still have been acted on: no answer (timeout, reset) unless the
 * connection was never made, or a 5xx (Rails raising after the save, a proxy timing out).
 */
function mayHaveArrived(status: number | null, detail: string): boolean {
  if (status === null) return !NEVER_CONNECTED.has(detail);
  return status >= 500;
}

/** System errors that mean the request never left: nothing can have been created. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** 429, 5xx, no response, and Chatwoot's per-conversation flood guard (422 "Too many messages"). */
function isRetryable(status: number | null, detail: string): boolean {
  if (status === null) return true;
  if (status === 429 || status >= 500) return true;
  return status === 422 && /too many messages/i.test(detail);
}

function describeBody(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 200);
  if (data && typeof data === 'object') {
    const error =
      (data as { error?: unknown; message?: unknown }).error ?? (data as { message?: unknown }).message;
    if (typeof error === 'string') return error.slice(0, 200);
    return JSON.stringify(data).slice(0, 200);
  }
  return '';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
