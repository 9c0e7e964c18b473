import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../context.js';
import type { ChangedAttributes } from '../events/simulator-events.js';
import { contactJson, inboxJson } from '../presenters/api-presenter.js';
import { connectAgentBot } from '../seed.js';
import { authenticate } from './authenticate.js';
import { notFound, unprocessable } from './http-errors.js';
import { setAgentBotSchema, updateContactSchema } from './request-schemas.js';
import { parseBody, parseId, type AccountParams } from './route-helpers.js';

type IdRequest = FastifyRequest<{ Params: AccountParams & { id: string } }>;

/** Contacts and inboxes: user tokens only (bots get 401 "not authorized for bots"). */
export function registerAccountRoutes(app: FastifyInstance, context: SimulatorContext): void {
  const loadContact = (request: IdRequest) => {
    const accountId = parseId(request.params.accountId);
    const caller = authenticate(context, request, accountId, { botAllowed: false });
    const contact = context.store.contacts.get(parseId(request.params.id));
    if (!contact || contact.accountId !== accountId) throw notFound();
    return { caller, contact };
  };

  app.get('/api/v1/accounts/:accountId/contacts/:id', async (request: IdRequest) => {
    const { contact } = loadContact(request);
    return { payload: contactJson(context, contact) };
  });

  const updateContact = async (request: IdRequest) => {
    const { contact } = loadContact(request);
    const body = parseBody(updateContactSchema, request.body, (message) => unprocessable(message));
    const changed: ChangedAttributes = [];
    const set = (column: string, previous: unknown, current: unknown): void => {
      if (JSON.stringify(previous) !== JSON.stringify(current)) {
        changed.push({ [column]: { previous_value: previous, current_value: current } });
      }
    };
    const scalars = [
      ['name', 'name', body.name],
      ['email', 'email', body.email],
      ['phone_number', 'phoneNumber', body.phone_number === '' ? null : body.phone_number],
      ['identifier', 'identifier', body.identifier],
      ['blocked', 'blocked', body.blocked],
    ] as const;
    for (const [column, field, value] of scalars) {
      if (value === undefined) continue;
      set(column, contact[field], value);
      (contact as unknown as Record<string, unknown>)[field] = value;
    }
    // contact_update_params: custom and additional attributes are MERGED into what is there.
    if (body.custom_attributes) {
      const merged = { ...contact.customAttributes, ...body.custom_attributes };
      set('custom_attributes', contact.customAttributes, merged);
      contact.customAttributes = merged;
    }
    if (body.additional_attributes) {
      const merged = { ...contact.additionalAttributes, ...body.additional_attributes };
      set('additional_attributes', contact.additionalAttributes, merged);
      contact.additionalAttributes = merged;
    }
    if (changed.length > 0)
      context.dispatch({ name: 'contact_updated', contactId: contact.id, changedAttributes: changed });
    return { payload: contactJson(context, contact) };
  };
  app.put('/api/v1/accounts/:accountId/contacts/:id', updateContact);
  app.patch('/api/v1/accounts/:accountId/contacts/:id', updateContact);

  app.get('/api/v1/accounts/:accountId/inboxes/:id', async (request: IdRequest) => {
    const accountId = parseId(request.params.accountId);
    const caller = authenticate(context, request, accountId, { botAllowed: false });
    const inbox = context.store.inboxes.get(parseId(request.params.id));
    if (!inbox || inbox.accountId !== accountId) throw notFound();
    return inboxJson(inbox, caller.type === 'user' && caller.user.role === 'administrator');
  });

  app.post('/api/v1/accounts/:accountId/inboxes/:id/set_agent_bot', async (request: IdRequest, reply) => {
    const accountId = parseId(request.params.accountId);
    authenticate(context, request, accountId, { botAllowed: false });
    const inbox = context.store.inboxes.get(parseId(request.params.id));
    if (!inbox || inbox.accountId !== accountId) throw notFound();
    const body = parseBody(setAgentBotSchema, request.body);
    const botId = body.agent_bot ?? null;
    if (botId !== null && !context.store.agentBots.has(botId)) throw notFound();
    connectAgentBot(context, inbox.id, botId);
    return reply.code(200).send();
  });
}
