import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SwitchboardConfig } from '@switchboard/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Chatwoot account the request's API token belongs to; every query is scoped to it. */
    analyticsAccountId?: number;
  }
}

/**
 * Token → account lookup. Tokens are compared as SHA-256 digests in constant time, so neither
 * timing nor an early exit tells a caller how much of a token was right.
 */
export function createAccountAuth(config: SwitchboardConfig['analytics']) {
  const entries = config.accounts.map((a) => ({ accountId: a.accountId, digest: digest(a.apiToken) }));

  function accountFor(token: string | undefined): number | null {
    if (!token) return null;
    const candidate = digest(token);
    let found: number | null = null;
    for (const entry of entries) {
      if (timingSafeEqual(entry.digest, candidate)) found = entry.accountId;
    }
    return found;
  }

  /**
   * Fastify preHandler: `Authorization: Bearer <token>`, or `?token=` for the insight panel (a
   * Chatwoot Dashboard App is a plain iframe URL: it cannot send headers). An `account` query
   * parameter naming another account is refused rather than silently ignored.
   */
  async function requireAccount(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const query = request.query as Record<string, unknown> | undefined;
    const token =
      header?.startsWith('Bearer ') === true
        ? header.slice('Bearer '.length).trim()
        : typeof query?.token === 'string'
          ? query.token
          : undefined;
    const accountId = accountFor(token);
    if (accountId === null) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid analytics API token is required' });
      return reply;
    }
    const asked = query?.account;
    if (asked !== undefined && String(asked) !== String(accountId)) {
      await reply.code(403).send({ error: 'this token may only read its own account' });
      return reply;
    }
    request.analyticsAccountId = accountId;
  }

  return { accountFor, requireAccount };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
