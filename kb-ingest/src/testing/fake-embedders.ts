import { EmbeddingCallError, type Embedder } from '../embedding/embedder.js';

/** Wraps an embedder, counting the texts it is asked to embed (to prove what was not re-embedded). */
export function countingEmbedder(inner: Embedder): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    provider: inner.provider,
    model: inner.model,
    dimensions: inner.dimensions,
    maxBatchSize: inner.maxBatchSize,
    texts,
    async embed(batch, options) {
      texts.push(...batch);
      return inner.embed(batch, options);
    },
  };
}

/** A provider that is down: every request fails with a retryable 503. */
export function downEmbedder(like: Embedder): Embedder {
  return {
    provider: like.provider,
    model: like.model,
    dimensions: like.dimensions,
    maxBatchSize: like.maxBatchSize,
    embed() {
      return Promise.reject(
        new EmbeddingCallError(`${like.provider}: HTTP 503: The server is overloaded`, {
          provider: like.provider,
          status: 503,
          retryable: true,
        }),
      );
    },
  };
}
