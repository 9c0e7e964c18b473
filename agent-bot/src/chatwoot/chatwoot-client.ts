import { z } from 'zod';
import { HttpRequestError, httpRequest, parseRetryAfter, retry } from '@switchboard/core';
import type { ChatwootAccountConfig } from '@switchboard/core';
import { ChatwootError } from './chatwoot-error.js';
import { escapeLiquidInRequest } from './escape-liquid.js';
import { MessageRateLimiter } from './message-rate-limiter.js';

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
  content_attributes?: { items?: { title: string; value: string }[]; in_reply_to?: number };
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

  async createMessage(
    conversationId: number,
    request: CreateMessageRequest & { file?: OutgoingFile; template?: unknown },
  ): Promise<CreatedMessage> {
    await this.waitForMessageBudget(conversationId);
    // `template` is the engine's own bookkeeping, not a Chatwoot parameter.
    const { file, template: _template, ...body } = escapeLiquidInRequest(request);
    void _template;
    const data = await this.call(
      'post',
      `/conversations/${conversationId}/messages`,
      file ? toForm(body, file) : body,
    );
    return createdMessageSchema.parse(data);
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
    options: { retries?: number; token?: string } = {},
  ): Promise<unknown> {
    const token = options.token ?? this.bot;
    return retry(() => this.attempt(token, method, path, body), {
      maxAttempts: (options.retries ?? this.options.maxRetries) + 1,
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
    );
  }
}

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
