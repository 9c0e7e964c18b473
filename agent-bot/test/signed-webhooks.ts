import { readFileSync } from 'node:fs';
import { signChatwootPayload } from '@switchboard/core';
import type { Harness } from './harness.js';

/** The contract's hand-derived payloads (shared/chatwoot/fixtures, see its README). */
export const FIXTURES = '/work/shared/chatwoot/fixtures';
export const FIXTURE = {
  text: 'derived_agent_bot_message_created_whatsapp_text.json',
  voice: 'derived_agent_bot_message_created_whatsapp_voice_note.json',
  failedReply: 'derived_agent_bot_message_updated_failed_outside_window.json',
  statusChanged: 'derived_agent_bot_conversation_status_changed.json',
} as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- contract fixtures are patched freely
export type Payload = Record<string, any>;

/**
 * A contract fixture re-pointed at the harness's account and inbox, its media URLs at the
 * simulator (a test never reaches outside this machine), then patched.
 */
export function fixturePayload(
  h: Harness,
  name: string,
  patch: (payload: Payload) => void = () => undefined,
): Payload {
  const text = readFileSync(`${FIXTURES}/${name}`, 'utf8').replaceAll('https://chat.example.com', h.sim.url);
  const payload = JSON.parse(text) as Payload;
  payload.account.id = h.accountId;
  const conversation = payload.conversation ?? payload;
  conversation.inbox_id = h.inboxId;
  if (conversation.account) conversation.account.id = h.accountId;
  if (payload.inbox) payload.inbox.id = h.inboxId;
  patch(payload);
  return payload;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown> | null;
  text: string;
}

/** POSTs a body to the harness's webhook route, signed with its bot's secret (unless `sign: false`). */
export async function postSigned(
  h: Harness,
  body: string | Buffer,
  headers: Record<string, string> = {},
  options: { sign?: boolean } = {},
): Promise<WebhookAnswer> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const ts = String(Math.floor(Date.now() / 1000));
  const secret = h.config.chatwoot.accounts[0]!.bot.webhookSecret!;
  const signed: Record<string, string> =
    options.sign === false
      ? {}
      : { 'x-chatwoot-timestamp': ts, 'x-chatwoot-signature': signChatwootPayload(secret, ts, bytes) };
  const response = await fetch(`${h.bot!.url}/webhooks/chatwoot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...headers },
    body: bytes,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed, text };
}
