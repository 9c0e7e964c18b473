import type { SwitchboardConfig } from '@switchboard/core';
import { ChatwootClient } from '../chatwoot/chatwoot-client.js';
import { MessageRateLimiter } from '../chatwoot/message-rate-limiter.js';

/** One Chatwoot client per configured account, sharing one message rate limiter. */
export function chatwootClients(config: SwitchboardConfig): Map<number, ChatwootClient> {
  const chatwoot = config.chatwoot;
  const limiter = new MessageRateLimiter();
  return new Map(
    chatwoot.accounts.map((account) => [
      account.id,
      new ChatwootClient({
        account,
        timeoutMs: chatwoot.requestTimeoutMs,
        maxRetries: chatwoot.maxRetries,
        rateLimiter: limiter,
      }),
    ]),
  );
}
