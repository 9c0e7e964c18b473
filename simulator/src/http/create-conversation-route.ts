import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SimulatorContext } from '../context.js';
import { secureToken } from '../ids.js';
import { conversationJson } from '../presenters/api-presenter.js';
import type { ContactInboxRecord, ConversationStatus, InboxRecord } from '../state/records.js';
import { findConversation, insertContactInbox, nextId, requireRecord } from '../state/store.js';
import { createOutgoingMessage } from '../services/create-outgoing-message.js';
import { createConversation } from '../services/receive-customer-message.js';
import { authenticate } from './authenticate.js';
import { internalError, notFound, unprocessable } from './http-errors.js';
import { createConversationSchema } from './request-schemas.js';
import { actorOf, parseBody, parseId, type AccountParams } from './route-helpers.js';

/** `POST /api/v1/accounts/:accountId/conversations`: a conversation for a contact (and its first message). */
export function registerCreateConversationRoute(app: FastifyInstance, context: SimulatorContext): void {
  app.post(
    '/api/v1/accounts/:accountId/conversations',
    async (request: FastifyRequest<{ Params: AccountParams }>) => {
      const accountId = parseId(request.params.accountId);
      const caller = authenticate(context, request, accountId, { botAllowed: true });
      const body = parseBody(createConversationSchema, request.body);
      const inbox = context.store.inboxes.get(body.inbox_id);
      if (!inbox || inbox.accountId !== accountId) throw notFound();
      const contactInbox = findOrCreateContactInbox(context, inbox, accountId, body);
      const contact = requireRecord(context.store.contacts, contactInbox.contactId, 'contact');
      const status = body.status as ConversationStatus | undefined;
      if (status !== undefined && !['open', 'resolved', 'pending', 'snoozed'].includes(status))
        throw internalError();
      const conversation = createConversation(context, inbox, contact, contactInbox.id, {
        status,
        assigneeId: body.assignee_id ?? null,
        teamId: body.team_id ?? null,
      });
      if (body.custom_attributes) conversation.customAttributes = { ...body.custom_attributes };
      if (body.additional_attributes) conversation.additionalAttributes = { ...body.additional_attributes };
      if (body.message) {
        createOutgoingMessage(context, conversation, actorOf(caller), {
          content: body.message.content ?? null,
          templateParams: body.message.template_params,
        });
      }
      const fresh = findConversation(context.store, accountId, conversation.displayId) ?? conversation;
      return conversationJson(context, fresh);
    },
  );
}

/** The contact inbox named by source_id, else the contact's in that inbox, else a new one (Chatwoot's order). */
function findOrCreateContactInbox(
  context: SimulatorContext,
  inbox: InboxRecord,
  accountId: number,
  body: z.infer<typeof createConversationSchema>,
): ContactInboxRecord {
  let contactInbox = [...context.store.contactInboxes.values()].find(
    (row) => row.inboxId === inbox.id && body.source_id !== undefined && row.sourceId === body.source_id,
  );
  if (!contactInbox) {
    const contact = body.contact_id === undefined ? undefined : context.store.contacts.get(body.contact_id);
    if (!contact || contact.accountId !== accountId) throw unprocessable('Contact is required');
    contactInbox = [...context.store.contactInboxes.values()].find(
      (row) => row.inboxId === inbox.id && row.contactId === contact.id,
    );
    if (!contactInbox) {
      const now = context.clock.nowMs();
      const id = nextId(context.store, 'contact_inboxes');
      contactInbox = {
        id,
        contactId: contact.id,
        inboxId: inbox.id,
        sourceId: body.source_id ?? (contact.phoneNumber ?? '').replace(/\D/g, ''),
        hmacVerified: false,
        pubsubToken: secureToken(24),
        createdAt: now,
        updatedAt: now,
      };
      insertContactInbox(context.store, contactInbox);
    }
  }
  return contactInbox;
}
