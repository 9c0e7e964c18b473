import type { AnalyticsEventInput } from '@switchboard/events';
import type { TranscriptEntry, TurnContext } from '../responder/responder.js';
import type { ConversationState } from '../store/conversations.js';
import { loadTranscript } from '../store/lane-snapshot.js';
import { saveEnrichment, type StoredMessage } from '../store/messages.js';
import { toTranscriptEntry } from './to-transcript-entry.js';
import { matchChoice } from '../whatsapp/choices.js';
import { replyWindow } from '../policies/reply-window.js';
import { businessHours } from '../policies/business-hours.js';
import { conversationActions } from './conversation-actions.js';
import { recordMediaSpend } from '../assistant/budget/record-spend.js';
import type { EngineContext, InboxBinding } from './engine-context.js';

/**
 * The responder's view of the conversation, from the engine's own transcript: private notes
 * only when the policy says so, human agents' replies included, a button reply resolved to
 * the option it picked.
 */
export async function buildTurnContext(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  pending: StoredMessage[],
  turnId: string,
  signal: AbortSignal,
  emitted: AnalyticsEventInput[],
  preloaded: StoredMessage[] | null = null,
): Promise<TurnContext> {
  const policy = binding.assistant.conversation;
  const read =
    preloaded ?? (await loadTranscript(engine.db.pool, conversation.accountId, conversation.conversationId));
  // The pending messages as enriched in memory just now (voice transcripts, image notes).
  const current = new Map(pending.map((m) => [m.messageId, m]));
  const stored = read.map((m) => current.get(m.messageId) ?? m);
  const visible = stored.filter((m) => !m.private || policy.includePrivateNotes);
  const entries: TranscriptEntry[] = [];
  let offered: string[] = [];
  for (const message of visible) {
    if (message.author === 'ai' && message.contentType === 'input_select') {
      const items = (message.contentAttributes.items as { title?: string }[] | undefined) ?? [];
      offered = items.map((item) => item.title ?? '').filter(Boolean);
    }
    const selected =
      message.author === 'customer' && offered.length > 0
        ? matchChoice(message.content ?? '', offered)
        : undefined;
    if (message.author === 'customer') offered = selected ? [] : offered;
    entries.push(toTranscriptEntry(message, selected));
  }
  const pendingIds = new Set(pending.map((m) => m.messageId));
  const now = engine.clock.now();
  const hours = businessHours(binding.assistant, now);
  return {
    turnId,
    accountId: conversation.accountId,
    conversationId: conversation.conversationId,
    inboxId: conversation.inboxId,
    assistant: binding.assistantName,
    channel: binding.channel,
    transcript: entries,
    pending: entries.filter((entry) => pendingIds.has(entry.messageId)),
    customer: {
      contactId: conversation.contact.id,
      name: conversation.contact.name,
      phone: conversation.contact.phone,
      email: conversation.contact.email,
      attributes: conversation.contact.attributes ?? {},
    },
    window: replyWindow(conversation.lastCustomerMessageAt, now, binding.channel),
    businessHours: { ...hours, policy: policy.outsideBusinessHours },
    now,
    signal,
    actions: conversationActions(engine, conversation),
    emit: (event) => emitted.push(event),
  };
}

/** Runs the media enrichers on pending messages with attachments and keeps what they found. */
export async function enrichPending(
  engine: EngineContext,
  binding: InboxBinding,
  conversation: ConversationState,
  pending: StoredMessage[],
  signal: AbortSignal,
  emitted: AnalyticsEventInput[],
  turnId?: string,
): Promise<void> {
  if (engine.enrichers.length === 0) return;
  const actions = conversationActions(engine, conversation);
  for (const message of pending) {
    if (message.attachments.length === 0 || message.enrichment) continue;
    const entry = toTranscriptEntry(message);
    const found: string[] = [];
    for (const enricher of engine.enrichers) {
      const spent: AnalyticsEventInput[] = [];
      try {
        const result = await enricher(entry, {
          accountId: conversation.accountId,
          conversationId: conversation.conversationId,
          assistant: binding.assistantName,
          signal,
          ...(turnId ? { turnId } : {}),
          emit: (event) => {
            emitted.push(event);
            spent.push(event);
          },
          addPrivateNote: (text) => actions.addPrivateNote(text),
        });
        if (result?.enrichment) found.push(result.enrichment);
        // Budgets count media work too (model calls record theirs in the model chain); a failed
        // ledger write costs the budget a few cents of accuracy, never the enrichment.
        await recordMediaSpend(engine.db.pool, conversation, turnId ?? null, spent, engine.clock.now()).catch(
          (error: unknown) =>
            engine.logger.warn({ error: (error as Error).message }, 'spend ledger write failed'),
        );
      } catch (error) {
        engine.logger.warn(
          { messageId: message.messageId, error: (error as Error).message },
          'enricher failed; skipped',
        );
      }
    }
    if (found.length > 0) {
      message.enrichment = found.join('\n');
      await saveEnrichment(engine.db.pool, conversation.accountId, message.messageId, message.enrichment);
    }
  }
}
