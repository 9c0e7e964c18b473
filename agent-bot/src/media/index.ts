/** The media part: voice notes, images and PDFs from customers, read before the turn answers. */
export { createMediaEnricher, fetchPolicy } from './media-enricher.js';
export type { MediaDependencies, MediaEnricherContext } from './media-enricher.js';
export { withMediaResponder } from './media-responder.js';
export type { MediaResponderDependencies } from './media-responder.js';
export { ImageCache } from './image-cache.js';
export { fetchMedia } from './safe-fetch.js';
export type { FetchPolicy, FetchedMedia } from './safe-fetch.js';
export { MediaError } from './media-error.js';
export type { MediaFailureReason } from './media-error.js';
export type { MediaEvent } from './media-events.js';
export { terminateOcrWorkers } from './vision/ocr.js';
export { installMedia } from './install-media.js';
export type { InstallMediaOptions } from './install-media.js';
