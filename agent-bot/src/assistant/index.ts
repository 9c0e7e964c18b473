export { createAssistantResponder } from './create-assistant-responder.js';
export type { AssistantResponderOptions } from './create-assistant-responder.js';
export { answerOffline } from './offline/offline-responder.js';
export { detectIntent } from './offline/intents.js';
export { shortenForWhatsApp } from './offline/shorten-for-whatsapp.js';
export { assemblePrompt, DEFAULT_WHATSAPP_GUIDANCE } from './prompt/assemble-prompt.js';
export { runToolLoop } from './tool-loop.js';
export { createModelChain, AllProvidersFailedError } from './model-chain.js';
export { SpendLedger } from './budget/spend-ledger.js';
export type { SpendEntry } from './budget/spend-ledger.js';
export { ScriptedLanguageModel, emptyUsage } from '../llm/scripted-language-model.js';
export type { ScriptedStep, ScriptedLanguageModelOptions } from '../llm/scripted-language-model.js';
export { createLanguageModel } from '../llm/create-language-model.js';
export type { ModelFactory } from '../llm/create-language-model.js';
export { ProviderCallError } from '../llm/provider-error.js';
export { callWithRetry } from '../llm/retry-policy.js';
export { defineTool, toToolDefinition } from '../tools/tool.js';
export type { Tool, ToolContext } from '../tools/tool.js';
export type {
  KnowledgeSearch,
  KnowledgeQuery,
  KnowledgePassage,
  KnowledgeSearchResult,
} from '../tools/knowledge-search/knowledge-search.js';
export * from '../pricing/index.js';
