import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import type { createAccountAuth } from './account-auth.js';
import { fetchAttachment, ProxyRefusal, type ProxyDependencies } from './attachment-proxy.js';
import { ATTACHMENT_KINDS, loadConversationAttachments } from './conversation-attachments.js';
import { badRequest } from './metrics-route.js';

export interface AttachmentRouteDependencies extends ProxyDependencies {
  clickhouse: Pick<ClickHouse, 'client'>;
  auth: ReturnType<typeof createAccountAuth>;
}

const conversationParams = z.strictObject({
  conversationId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
});
const mediaParams = conversationParams.extend({
  messageId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53),
  position: z.coerce.number().int().min(0).max(1000),
});

/** `type=image` or `type=audio,video`: one or more kinds; anything else is a 400. */
const kindsSchema = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(z.array(z.enum(ATTACHMENT_KINDS)).min(1));

/** Unknown parameters are refused: a misspelt filter must not silently return everything. */
const listQuerySchema = z.strictObject({
  type: kindsSchema.optional(),
  token: z.string().optional(),
  account: z.string().optional(),
});
const mediaQuerySchema = z.strictObject({
  variant: z.enum(['file', 'thumb']).default('file'),
  token: z.string().optional(),
  account: z.string().optional(),
});

/** Served media run nothing: no script, no plugin, no frame, whatever the bytes turn out to be. */
const MEDIA_CSP = "default-src 'none'; sandbox";

/**
 * GET /api/conversations/:id/attachments (the gallery's records, filter `type`) and
 * GET /api/conversations/:id/attachments/:messageId/:position/media (the bytes, proxied under
 * the media fetcher's rules). Both scoped to the token's account: another account's
 * conversation is empty / 404, never its media.
 */
export async function registerAttachmentRoutes(
  app: FastifyInstance,
  deps: AttachmentRouteDependencies,
): Promise<void> {
  app.get(
    '/api/conversations/:conversationId/attachments',
    { preHandler: deps.auth.requireAccount },
    async (request, reply) => {
      const params = conversationParams.safeParse(request.params);
      if (!params.success) return badRequest(reply, params.error);
      const query = listQuerySchema.safeParse(request.query);
      if (!query.success) return badRequest(reply, query.error);
      const attachments = await loadConversationAttachments(
        deps.clickhouse,
        request.analyticsAccountId!,
        params.data.conversationId,
        query.data.type,
      );
      return reply
        .header('cache-control', 'no-store')
        .send({ conversationId: params.data.conversationId, attachments });
    },
  );

  app.get(
    '/api/conversations/:conversationId/attachments/:messageId/:position/media',
    { preHandler: deps.auth.requireAccount },
    async (request, reply) => {
      const params = mediaParams.safeParse(request.params);
      if (!params.success) return badRequest(reply, params.error);
      const query = mediaQuerySchema.safeParse(request.query);
      if (!query.success) return badRequest(reply, query.error);
      const accountId = request.analyticsAccountId!;
      const { conversationId, messageId, position } = params.data;
      const attachment = (
        await loadConversationAttachments(deps.clickhouse, accountId, conversationId, undefined, messageId)
      ).find((a) => a.position === position);
      if (!attachment) return reply.code(404).send({ error: 'no such attachment' });
      try {
        const media = await fetchAttachment(deps, accountId, attachment, query.data.variant);
        const inline =
          media.contentType.startsWith('image/') ||
          media.contentType.startsWith('audio/') ||
          media.contentType.startsWith('video/') ||
          media.contentType === 'application/pdf';
        const name = (attachment.fileName ?? `attachment-${messageId}-${position}`).replace(
          /[^\w.\- ]+/g,
          '_',
        );
        return reply
          .header('content-type', media.contentType)
          .header('content-length', media.bytes.length)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', MEDIA_CSP)
          .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"`)
          .header('cache-control', 'private, max-age=300')
          .send(media.bytes);
      } catch (error) {
        if (!(error instanceof ProxyRefusal)) throw error;
        request.log.warn(
          { reason: error.reason, conversationId, messageId },
          'analytics: attachment not served',
        );
        return reply
          .code(error.status)
          .send({ error: 'the attachment could not be served', reason: error.reason });
      }
    },
  );
}
