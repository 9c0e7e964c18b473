import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import type { createAccountAuth } from '../api/account-auth.js';
import { loadConversationInsight } from './conversation-insight.js';
import { PANEL_HTML, PANEL_JS } from './panel-assets.js';

const paramsSchema = z.object({ conversationId: z.coerce.number().int().positive() });

/** GET /panel, /panel.js (static, no data) and GET /api/conversations/:id/insight (token-scoped). */
export async function registerPanelRoutes(
  app: FastifyInstance,
  deps: { clickhouse: Pick<ClickHouse, 'client'>; auth: ReturnType<typeof createAccountAuth> },
): Promise<void> {
  // No X-Frame-Options: Chatwoot must be able to frame the page. Scripts only from here.
  const csp =
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; " +
    // The gallery shows attachments from blob: URLs of bytes it fetched itself.
    "img-src blob:; media-src blob:; base-uri 'none'";
  app.get('/panel', async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', csp)
      .header('referrer-policy', 'no-referrer')
      .send(PANEL_HTML),
  );
  app.get('/panel.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(PANEL_JS),
  );
  app.get(
    '/api/conversations/:conversationId/insight',
    { preHandler: deps.auth.requireAccount },
    async (request, reply) => {
      const params = paramsSchema.safeParse(request.params);
      if (!params.success)
        return reply.code(400).send({ error: 'conversation id must be a positive integer' });
      return loadConversationInsight(
        deps.clickhouse,
        request.analyticsAccountId!,
        params.data.conversationId,
      );
    },
  );
}
