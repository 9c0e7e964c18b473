export { registerPlayground } from './server/playground-routes.js';
export type { PlaygroundDependencies } from './server/playground-routes.js';
export { seedPlayground, PLAYGROUND_TEMPLATES } from './server/seed-playground.js';
export type { PlaygroundSeed } from './server/seed-playground.js';
export { ensureSampleKnowledge } from './server/ensure-sample-knowledge.js';
export type * from './playground-types.js';
