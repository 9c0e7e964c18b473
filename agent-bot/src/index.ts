export { buildAgentBotService } from './service.js';
export type { AgentBotDependencies } from './service.js';
export { startAgentBot } from './start-agent-bot.js';
export type { StartAgentBotOptions, RunningAgentBot } from './start-agent-bot.js';
export { createEngine } from './engine/create-engine.js';
export type { AgentBotEngine, EngineOptions } from './engine/create-engine.js';
export type { Clock, Enricher, EngineTuning } from './engine/engine-context.js';
export type * from './llm/language-model.js';
export type * from './responder/responder.js';
export * from './assistant/index.js';
// The model providers, tools and pricing are part of the package's API in their own right
// (the assistant does not hand them on).
export { ScriptedLanguageModel, emptyUsage } from './llm/scripted-language-model.js';
export type { ScriptedStep, ScriptedLanguageModelOptions } from './llm/scripted-language-model.js';
export { createLanguageModel } from './llm/create-language-model.js';
export type { ModelFactory } from './llm/create-language-model.js';
export { ProviderCallError } from './llm/provider-error.js';
export { callWithRetry } from './llm/retry-policy.js';
export { defineTool, toToolDefinition } from './tools/tool.js';
export type { Tool, ToolContext } from './tools/tool.js';
export type {
  KnowledgeSearch,
  KnowledgeQuery,
  KnowledgePassage,
  KnowledgeSearchResult,
} from './tools/knowledge-search/knowledge-search.js';
export * from './pricing/index.js';
export { composeAgentBot, buildComposedAgentBotService } from './compose-agent-bot.js';
export type { ComposeAgentBotOptions, ComposedAgentBot } from './compose-agent-bot.js';
