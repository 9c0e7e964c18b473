export { buildAgentBotService } from './service.js';
export type { AgentBotDependencies } from './service.js';
export type * from './llm/language-model.js';
export type * from './assistant/responder.js';
