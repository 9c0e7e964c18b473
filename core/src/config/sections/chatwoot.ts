import { z } from 'zod';
import { fetchOriginSchema } from './media.js';

/**
 * Chatwoot accounts this deployment serves (one deployment, many accounts). Owned by the
 * conversation engine; secrets come from ${ENV} interpolation, never from the file itself.
 */
export const agentBotSchema = z.strictObject({
  /** Chatwoot's agent bot id (for recognising the bot's own messages and assignments). */
  id: z.number().int().positive(),
  /** The bot's api_access_token: may call only the bot allow-list (see the contract). */
  accessToken: z.string().min(1),
  /** HMAC secret for X-Chatwoot-Signature (Chatwoot >= 4.13). */
  webhookSecret: z.string().min(1).optional(),
  /** For Chatwoot < 4.13 (unsigned webhooks): a secret token the webhook URL must carry. Opt-in. */
  urlToken: z.string().min(16).optional(),
});

export const chatwootInboxSchema = z.strictObject({
  id: z.number().int().positive(),
  /** Config key of the assistant that answers this inbox. */
  assistant: z.string().min(1),
  channel: z.enum(['whatsapp', 'web', 'api', 'test']).default('whatsapp'),
  /** Website inboxes: what the bot says when a new visitor opens the widget (webwidget_triggered). */
  greeting: z.string().trim().min(1).max(2000).optional(),
});

export const chatwootAccountSchema = z.strictObject({
  id: z.number().int().positive(),
  /** Base URL of Chatwoot, e.g. https://chat.example.com */
  baseUrl: z.string().url(),
  bot: agentBotSchema,
  /** A user (agent/admin) token for what a bot token may not call: contacts, history, templates. */
  userAccessToken: z.string().min(1).optional(),
  /** Secret for verifying this account's *account* webhooks (analytics). */
  accountWebhookSecret: z.string().min(1).optional(),
  inboxes: z.array(chatwootInboxSchema).default([]),
  /** Origins attachments may come from besides baseUrl's (a bare host: https on 443 only). */
  storageHosts: z.array(fetchOriginSchema).default([]),
  /**
   * Chatwoot >= 4.x renders a reply's Markdown into WhatsApp formatting itself
   * (Messages::MarkdownRendererService#render_whatsapp), so the bot sends normalized Markdown.
   * Set false for a Chatwoot that passes content through unchanged: the bot then converts.
   */
  rendersMarkdown: z.boolean().default(true),
});

export const chatwootSchema = z
  .strictObject({
    accounts: z.array(chatwootAccountSchema).default([]),
    /** Largest webhook body accepted, bytes. */
    maxWebhookBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    /** Signed webhooks older or newer than this are refused (replay protection). */
    signatureMaxSkewSeconds: z.number().int().positive().default(300),
    /** Per-request timeout for Chatwoot API calls. */
    requestTimeoutMs: z.number().int().positive().default(10_000),
    /** Retries (with exponential backoff) on 429, 5xx and network errors before a call fails. */
    maxRetries: z.number().int().min(0).max(10).default(4),
  })
  .default({
    accounts: [],
    maxWebhookBytes: 1024 * 1024,
    signatureMaxSkewSeconds: 300,
    requestTimeoutMs: 10_000,
    maxRetries: 4,
  });

export type ChatwootConfig = z.infer<typeof chatwootSchema>;
export type ChatwootAccountConfig = z.infer<typeof chatwootAccountSchema>;
