import type dns from 'node:dns';
import type { Logger, SwitchboardConfig } from '@switchboard/core';
import type { Responder } from '../responder/responder.js';
import type { Enricher } from '../responder/enricher.js';
import type { ModelFactory } from '../llm/create-language-model.js';
import { loadPriceTable, type PriceTable } from '../pricing/index.js';
import { ImageCache } from './image-cache.js';
import { createMediaEnricher } from './media-enricher.js';
import { withMediaResponder } from './media-responder.js';
import type { TranscriberFactory } from './media-settings.js';

export interface InstallMediaOptions {
  config: SwitchboardConfig;
  logger: Logger;
  responder: Responder;
  prices?: PriceTable;
  modelFactory?: ModelFactory;
  transcriberFactory?: TranscriberFactory;
  lookup?: typeof dns.lookup;
}

/**
 * The one call the composition root makes: the media enricher for the engine's hook and the
 * responder wrapped for media, sharing one image cache (so an image fetched for the vision
 * model is handed to the answering model without a second download).
 */
export function installMedia(options: InstallMediaOptions): { enricher: Enricher; responder: Responder } {
  const images = new ImageCache();
  const shared = {
    config: options.config,
    logger: options.logger,
    images,
    ...(options.modelFactory ? { modelFactory: options.modelFactory } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };
  return {
    enricher: createMediaEnricher({
      ...shared,
      prices: options.prices ?? loadPriceTable(),
      ...(options.transcriberFactory ? { transcriberFactory: options.transcriberFactory } : {}),
    }),
    responder: withMediaResponder(options.responder, shared),
  };
}
