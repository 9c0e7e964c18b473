import { parseJob } from '../../jobs/job-contracts.js';
import type { EngineContext } from '../engine-context.js';

/**
 * A new website visitor opened the widget of an inbox with a greeting: the bot opens the
 * conversation with it (POST /conversations with the message; Chatwoot makes it pending, so it
 * stays the bot's, and the visitor's first message lands in it: the widget writes into the
 * visitor's last conversation). The webhook only queued it: it never calls Chatwoot itself.
 */
export async function sendWebGreeting(engine: EngineContext, data: unknown): Promise<void> {
  const job = parseJob('webGreeting', data);
  const binding = engine.inbox(job.accountId, job.inboxId);
  if (!binding?.greeting) return;
  const created = await engine.client(job.accountId).createConversation({
    sourceId: job.sourceId,
    inboxId: job.inboxId,
    contactId: job.contactId,
    content: binding.greeting,
  });
  engine.logger.info(
    { account: job.accountId, inbox: job.inboxId, conversation: created.id },
    'website visitor greeted',
  );
}
