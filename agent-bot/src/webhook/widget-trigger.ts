import { z } from 'zod';
import type { InboxBinding } from '../inboxes/inbox-binding.js';
import { sendJob, type JobSender } from '../jobs/job-contracts.js';

/**
 * `webwidget_triggered` (a visitor opened a website widget): `ContactInbox#webhook_data` plus
 * `event_info`. A greeting goes out only for a visitor with no conversation yet (the first
 * opening; a returning visitor's widget already shows the conversation), and only when the
 * inbox has one configured. The greeting itself is a job: the webhook answers in milliseconds.
 */
const widgetTriggerSchema = z.looseObject({
  event: z.literal('webwidget_triggered'),
  id: z.number().int(),
  source_id: z.string().min(1).max(255),
  contact: z.looseObject({ id: z.number().int() }),
  inbox: z.looseObject({ id: z.number().int() }),
  current_conversation: z.looseObject({ id: z.number().int() }).nullable().optional(),
});

export type WidgetTriggerOutcome = 'greeting_queued' | 'ignored';

export async function acceptWidgetTrigger(
  intake: {
    queue: JobSender;
    inbox(accountId: number, inboxId: number): InboxBinding | undefined;
  },
  accountId: number,
  body: unknown,
): Promise<WidgetTriggerOutcome> {
  const parsed = widgetTriggerSchema.safeParse(body);
  if (!parsed.success) return 'ignored';
  const trigger = parsed.data;
  const binding = intake.inbox(accountId, trigger.inbox.id);
  if (binding?.channel !== 'web' || !binding.greeting || trigger.current_conversation) return 'ignored';
  await sendJob(intake.queue, 'webGreeting', {
    accountId,
    inboxId: trigger.inbox.id,
    contactId: trigger.contact.id,
    sourceId: trigger.source_id,
  });
  return 'greeting_queued';
}
