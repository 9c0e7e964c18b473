export { buildAgentBotService } from './service.js';
export type { AgentBotDependencies } from './service.js';
