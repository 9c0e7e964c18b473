import { enqueueEvents, envelopeFor, outboxInsert, stableEventId } from '@switchboard/events';
import type { Sql } from 'sql-template-tag';
import type { ChatwootClient, CreatedMessage } from '../../chatwoot/chatwoot-client.js';
import { ChatwootError } from '../../chatwoot/chatwoot-error.js';
import { oweHandoff, type ConversationState } from '../../store/conversations.js';
import { inTransaction } from '../../store/db.js';
import {
  abandonPart,
  claimPart,
  findEcho,
  loadPartOutcomes,
  loadParts,
  markPartSent,
  replyMarker,
  type OutgoingRow,
} from '../../store/reply-parts.js';
import type { TurnClose } from '../../store/turns.js';
import type { PlannedPart } from '../../whatsapp/plan-reply.js';
import { defaultPriceTable, whatsAppFeeThisMonth } from '../../pricing/index.js';
import { spendLedgerInsert } from '../../assistant/budget/spend-ledger.js';
import { deliveredMessageEvents } from '../../pricing/whatsapp-fee-events.js';
import { rememberPostedOwnMessage, trackOwnPost } from '../../store/webhook-intake.js';
import type { EngineContext } from '../engine-context.js';
import { postedOwnMessage } from './reply-sender-own-row.js';

export type { OutgoingRow } from '../../store/reply-parts.js';

export interface SendResult {
  messageIds: number[];
  /** Kinds of the parts that were sent (template, text, …), in part order. */
  sentKinds: PlannedPart['kind'][];
  firstAcceptedAt: Date | null;
  /** Parts given up on (Chatwoot refused them, or the delivery budget ran out). */
  abandoned: number;
  /** Set when the last part's mark-sent closed the turn too (`closeWith`): what it said of the lane. */
  closed?: { close: TurnClose; kept: boolean | null };
}

/**
 * Posts a turn's planned parts in order, each exactly once. The idempotency key is
 * (turn, part): `posting` is committed before the POST, and the POST carries the part's marker
 * (replyMarker) in content_attributes. After a crash, a timeout or a 5xx the outcome is unknown
 * (Chatwoot has no idempotency key), so recovery looks for the part's webhook echo and then for
 * its marker among the conversation's messages; only when neither is there is it posted again.
 * `known` are the rows the caller just committed (the fresh path); otherwise they are read.
 * `closeWith`: the turn's close for the result so far; when the last part is posted here, its
 * mark-sent statement closes the turn too (one round trip less per turn) and `closed` says so.
 */
export async function sendPlannedParts(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  known?: OutgoingRow[],
  closeWith?: (result: SendResult) => TurnClose,
): Promise<SendResult> {
  const client = engine.client(conversation.accountId);
  const { pool } = engine.db;
  const rows = known ?? (await loadParts(pool, turnId));
  const final = new Map<
    number,
    { state: OutgoingRow['state']; messageId: number | null; acceptedAt: Date | null }
  >();
  let someoneElse = false;
  let closed: SendResult['closed'];
  const summary = (): SendResult => {
    const kindOf = new Map(rows.map((r) => [r.part, r.kind]));
    return summarize(
      rows.filter((r) => final.has(r.part)).map((r) => ({ part: r.part, ...final.get(r.part)! })),
      kindOf,
    );
  };
  const sent = async (
    row: OutgoingRow,
    messageId: number,
    acceptedAt: Date,
    posted?: { created: CreatedMessage; postedAt: Date },
  ): Promise<void> => {
    final.set(row.part, { state: 'sent', messageId, acceptedAt });
    // The last part, with every earlier one's outcome known here: the turn closes with it.
    const close = posted && closeWith && !someoneElse && row === rows.at(-1) ? closeWith(summary()) : null;
    try {
      const kept = await markSent(engine, conversation, turnId, row, messageId, acceptedAt, posted, close);
      if (close) closed = { close, kept };
    } catch (error) {
      final.delete(row.part);
      throw error;
    }
  };
  for (const row of rows) {
    if (row.state === 'sent' || row.state === 'abandoned') {
      const acceptedAt = row.accepted_at ? new Date(row.accepted_at) : null;
      final.set(row.part, {
        state: row.state,
        messageId: row.message_id ? Number(row.message_id) : null,
        acceptedAt,
      });
      continue;
    }
    if (!row.claimedByCommit) {
      if (row.state === 'posting' && row.posting_since) {
        let found: DeliveredPart | null;
        try {
          found = await findDeliveredPart(engine, client, conversation, turnId, row);
        } catch (error) {
          // Chatwoot cannot be read now. With the budget spent a human takes over (below);
          // otherwise the failed read counts as an attempt, so an outage still ends in a handoff.
          if (row.attempts < engine.tuning.deliveryAttempts) {
            await claimPart(pool, turnId, row);
            throw error;
          }
          found = null;
        }
        if (found) {
          await sent(row, found.messageId, found.createdAt);
          continue;
        }
      }
      if (row.attempts >= engine.tuning.deliveryAttempts) {
        await abandon(engine, conversation, turnId, row, 'delivery attempts exhausted', true);
        final.set(row.part, { state: 'abandoned', messageId: null, acceptedAt: null });
        continue;
      }
      // Optimistic claim: if anyone else moved this part on, it is theirs.
      if (!(await claimPart(pool, turnId, row))) {
        someoneElse = true;
        continue;
      }
    }
    try {
      // Tracked: its echo, often faster than Chatwoot's answer, waits for the row mark-sent stores.
      await trackOwnPost(pool, conversation.accountId, conversation.conversationId, async () => {
        const postedAt = engine.clock.now();
        const created = await client.createMessage(conversation.conversationId, row.request, {
          marker: replyMarker(turnId, row.part),
        });
        await sent(row, created.id, engine.clock.now(), { created, postedAt });
      });
    } catch (error) {
      if (ChatwootError.isInstance(error) && !error.retryable) {
        // Chatwoot refused this message (4xx): sending it again cannot help.
        await abandon(engine, conversation, turnId, row, error.message, false);
        final.set(row.part, { state: 'abandoned', messageId: null, acceptedAt: null });
        continue;
      }
      // Unanswered (maybe created) or still refused: the part stays `posting`, and the lane's
      // retry finds it by its marker before posting it again.
      throw error;
    }
  }
  // A part another holder moved on: its outcome is only in the database.
  if (!someoneElse) return { ...summary(), ...(closed ? { closed } : {}) };
  const kindOf = new Map(rows.map((r) => [r.part, r.kind]));
  return summarize(await loadPartOutcomes(pool, turnId), kindOf);
}

function summarize(
  outcomes: {
    part: number;
    state: OutgoingRow['state'];
    messageId: number | null;
    acceptedAt: Date | null;
  }[],
  kindOf: Map<number, PlannedPart['kind']>,
): SendResult {
  const delivered = outcomes.filter((r) => r.state === 'sent');
  return {
    messageIds: delivered.map((r) => r.messageId!),
    sentKinds: delivered.map((r) => kindOf.get(r.part)!),
    firstAcceptedAt: delivered[0]?.acceptedAt ?? null,
    abandoned: outcomes.filter((r) => r.state === 'abandoned').length,
  };
}

interface DeliveredPart {
  messageId: number;
  createdAt: Date;
}

/**
 * Whether Chatwoot created a part whose POST went unanswered (a crash, a timeout, a 5xx). Its
 * webhook echo may already be stored; otherwise, once the POST can no longer be running (its
 * timeout plus the echo wait), the conversation's latest messages are read for the part's marker.
 * Without a user token messages cannot be read, and only the echo can tell.
 */
async function findDeliveredPart(
  engine: EngineContext,
  client: ChatwootClient,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
): Promise<DeliveredPart | null> {
  const { pool } = engine.db;
  const postedAt = new Date(row.posting_since!);
  const echo = await findEcho(pool, conversation, row);
  if (echo) return echo;
  const settleMs = (client.canReadMessages ? client.requestTimeoutMs : 0) + engine.tuning.echoWaitMs;
  const waitMs = postedAt.getTime() + settleMs - Date.now();
  if (waitMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const late = await findEcho(pool, conversation, row);
    if (late) return late;
  }
  if (!client.canReadMessages) return null;
  const marked = await client.findMessageByMarker(
    conversation.conversationId,
    replyMarker(turnId, row.part),
    new Date(postedAt.getTime() - MARKER_CLOCK_SKEW_MS),
  );
  if (!marked) return null;
  engine.logger.info(
    { conversation: conversation.conversationId, turnId, part: row.part, messageId: marked.id },
    'reply part found in Chatwoot by its marker: not posted again',
  );
  return { messageId: marked.id, createdAt: marked.createdAt ?? postedAt };
}

/** How far Chatwoot's clock may lag ours when the marker search stops at older messages. */
const MARKER_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Marks a part sent and records what it cost on WhatsApp (a template's template_sent, a
 * chargeable non-template's whatsapp_fee): one statement, atomic. The fee also goes to the
 * budget's spend ledger. A part just posted (`posted`: Chatwoot's answer) also gets its message
 * row and `message` event there, so its webhook echo has nothing left to store
 * (reply-sender-own-row.ts). With `close`, the turn closes in the same statement; returns what
 * that close said of the lane (null without one).
 */
async function markSent(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
  messageId: number,
  acceptedAt: Date,
  posted?: { created: CreatedMessage; postedAt: Date },
  close: TurnClose | null = null,
): Promise<boolean | null> {
  const own = posted
    ? postedOwnMessage(
        conversation,
        engine.inbox(conversation.accountId, conversation.inboxId)?.account.bot.id,
        posted.created,
        posted.postedAt,
        acceptedAt,
      )
    : null;
  const template = (row.request as { template?: PlannedPart['template'] }).template;
  const category = row.kind === 'template' && template ? template.category : 'service';
  const fee = row.request.private
    ? null
    : await whatsAppFeeThisMonth(
        engine.db.pool,
        defaultPriceTable(),
        {
          channel: conversation.channel,
          customerPhone: conversation.contact.phone,
          category,
          lastCustomerMessageAt: conversation.lastCustomerMessageAt,
          deliveredAt: acceptedAt,
        },
        // Meta's month for volume tiers starts in the business's time zone.
        {
          accountId: conversation.accountId,
          timezone: engine.config.assistants[conversation.assistant]?.timezone ?? 'UTC',
        },
      );
  const events = deliveredMessageEvents(conversation, {
    turnId,
    part: row.part,
    messageId,
    acceptedAt,
    template: row.kind === 'template' ? template : undefined,
    purpose: row.purpose,
    fee,
  });
  const recorded: ((whenSent: Sql) => Sql)[] = [];
  if (events.length) recorded.push((whenSent) => outboxInsert(events, whenSent));
  // The fee into the budget's ledger in the same statement (zero costs are not written).
  const charged = fee?.priced && /[1-9]/.test(fee.totalUsd) ? fee : null;
  if (charged) {
    const entry = {
      assistant: conversation.assistant,
      accountId: conversation.accountId,
      conversationId: conversation.conversationId,
      turnId,
      kind: 'whatsapp',
      costUsd: charged.totalUsd,
      priceVersion: charged.priceVersion,
      occurredAt: acceptedAt,
      market: charged.market ?? null,
      category,
    };
    recorded.push((whenSent) => spendLedgerInsert(entry, whenSent));
  }
  const stored = await markPartSent(
    engine.db.pool,
    turnId,
    row.part,
    messageId,
    acceptedAt,
    recorded,
    charged
      ? {
          totalUsd: charged.totalUsd,
          priceVersion: charged.priceVersion,
          ...(charged.market ? { market: charged.market } : {}),
          country: charged.country,
        }
      : null,
    own?.write ?? null,
    close,
  );
  if (own && stored.posted) rememberPostedOwnMessage(engine.db.pool, own.view, own.message);
  return stored.kept;
}

async function abandon(
  engine: EngineContext,
  conversation: ConversationState,
  turnId: string,
  row: OutgoingRow,
  why: string,
  handOff: boolean,
): Promise<void> {
  await inTransaction(engine.db.pool, async (tx) => {
    await abandonPart(tx, turnId, row.part);
    if (handOff) {
      // Chatwoot kept failing: a human should look, once Chatwoot takes calls again (the lane
      // retries the pending handoff until it goes through).
      await oweHandoff(tx, conversation, {
        reason: 'delivery_failure',
        summary: `The bot could not deliver its reply: ${why}.`,
        turnId,
      });
    }
    await enqueueEvents(tx, [
      {
        ...envelopeFor(conversation),
        id: stableEventId('reply_abandoned', turnId, row.part),
        occurredAt: engine.clock.now().toISOString(),
        type: 'error',
        payload: { component: 'reply-sender', message: why.slice(0, 500) },
      },
    ]);
  });
  engine.logger.warn(
    { conversation: conversation.conversationId, turnId, part: row.part, why },
    'reply part abandoned',
  );
}
