import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SimulatorContext } from '../context.js';
import type { Actor } from '../events/simulator-events.js';
import type { ConversationRecord } from '../state/records.js';
import { findConversation } from '../state/store.js';
import { authenticate, type Caller } from './authenticate.js';
import { ChatwootHttpError, notFound } from './http-errors.js';
import { describeIssues } from './request-schemas.js';

export interface AccountParams {
  accountId: string;
}
/** The path of one conversation in the API (display id in the URL). */
export const CONVERSATION_PATH = '/api/v1/accounts/:accountId/conversations/:conversationId';

export interface ConversationParams extends AccountParams {
  conversationId: string;
}

/** Rails finds by id; a non-numeric id finds nothing, so it is a 404 rather than a 400. */
export function parseId(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : -1;
}

export function actorOf(caller: Caller): Actor {
  return caller.type === 'user'
    ? { type: 'user', id: caller.user.id }
    : { type: 'agent_bot', id: caller.bot.id };
}

export function callerName(caller: Caller): string {
  return caller.type === 'user' ? caller.user.name : caller.bot.name;
}

/** Authenticate, then load the conversation by display id (any conversation of the account, bots included). */
export function loadConversation(
  context: SimulatorContext,
  request: FastifyRequest<{ Params: ConversationParams }>,
  botAllowed: boolean,
): { caller: Caller; conversation: ConversationRecord } {
  const accountId = parseId(request.params.accountId);
  const caller = authenticate(context, request, accountId, { botAllowed });
  const conversation = findConversation(context.store, accountId, parseId(request.params.conversationId));
  if (!conversation) throw notFound();
  return { caller, conversation };
}

/** Parse a body with zod; failures become the given Chatwoot error (422 by default). */
export function parseBody<T extends z.ZodType>(
  schema: T,
  body: unknown,
  onError: (message: string) => ChatwootHttpError = (message) =>
    new ChatwootHttpError(422, { error: message }),
): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw onError(describeIssues(result.error));
  return result.data;
}

export type ConversationRequest = FastifyRequest<{ Params: ConversationParams }>;
