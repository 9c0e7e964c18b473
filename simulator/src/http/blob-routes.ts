import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SimulatorContext } from '../context.js';

type BlobRequest = FastifyRequest<{
  Params: { key: string; fileName: string };
  Querystring: { disposition?: string };
}>;

/**
 * ActiveStorage's public routes: the `data_url` in payloads is a redirect (no auth) to the service URL
 * that serves the bytes, so clients must follow redirects.
 */
export function registerBlobRoutes(app: FastifyInstance, context: SimulatorContext): void {
  app.get('/rails/active_storage/blobs/redirect/:key/:fileName', async (request: BlobRequest, reply) => {
    const blob = context.store.blobs.get(request.params.key);
    if (!blob) return reply.code(404).type('text/plain').send('Not Found');
    const disposition = request.query.disposition === 'inline' ? 'inline' : 'attachment';
    return reply.redirect(
      `/rails/active_storage/disk/${encodeURIComponent(blob.key)}/${encodeURIComponent(blob.fileName)}?disposition=${disposition}`,
      302,
    );
  });

  // An image's thumb_url, `representation(resize_to_fill: [250, nil])`: a redirect of its own; the
  // simulator does not resize, so it ends at the original bytes.
  app.get(
    '/rails/active_storage/representations/redirect/:key/:variation/:fileName',
    async (request: BlobRequest, reply) => {
      const blob = context.store.blobs.get(request.params.key);
      if (!blob) return reply.code(404).type('text/plain').send('Not Found');
      return reply.redirect(
        `/rails/active_storage/disk/${encodeURIComponent(blob.key)}/${encodeURIComponent(blob.fileName)}?disposition=inline`,
        302,
      );
    },
  );

  app.get('/rails/active_storage/disk/:key/:fileName', async (request: BlobRequest, reply) => {
    const blob = context.store.blobs.get(request.params.key);
    if (!blob) return reply.code(404).type('text/plain').send('Not Found');
    const disposition = request.query.disposition === 'inline' ? 'inline' : 'attachment';
    return reply
      .header('content-type', blob.contentType)
      .header('content-disposition', `${disposition}; filename="${blob.fileName.replace(/"/g, '')}"`)
      .send(blob.bytes);
  });
}
