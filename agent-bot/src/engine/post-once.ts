import type { CreateMessageRequest } from '../chatwoot/chatwoot-client.js';
import type { ConversationState } from '../store/conversations.js';
import type { EngineContext } from './engine-context.js';

/** How far back a retried step looks for the message it may already have posted. */
const LOOK_BACK_MS = 24 * 3_600_000;

/**
 * Posts a message the bot writes outside a reply plan (the handoff note, the call-back
 * confirmation) at most once per `key`, however often its step is retried. Chatwoot has no
 * idempotency key, so the message carries the key as its marker and, when the account can read
 * messages back (userAccessToken), a retry first looks for it (docs/exactly-once-replies.md).
 * Without that token a retry after a lost answer may post twice, as any Chatwoot client would.
 */
export async function postOnce(
  engine: EngineContext,
  conversation: ConversationState,
  key: string,
  request: CreateMessageRequest,
): Promise<void> {
  const client = engine.client(conversation.accountId);
  if (client.canReadMessages) {
    const since = new Date(engine.clock.now().getTime() - LOOK_BACK_MS);
    if (await client.findMessageByMarker(conversation.conversationId, key, since)) return;
  }
  await client.createMessage(conversation.conversationId, request, { marker: key });
}
