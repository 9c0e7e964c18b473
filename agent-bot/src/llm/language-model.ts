/**
 * The one small model interface (after the Vercel AI SDK's LanguageModel spec). Each provider
 * module implements it with its official SDK; nothing outside `llm/` sees a wire format.
 */
export interface LanguageModel {
  /** 'openai' | 'anthropic' | 'gemini' | 'openai-compatible' | 'offline' | 'scripted' ... */
  readonly provider: string;
  readonly modelId: string;
  readonly supportsImages: boolean;
  readonly supportsTools: boolean;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

export interface GenerateRequest {
  system: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  temperature?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export type ChatMessage =
  | { role: 'user'; content: UserContentPart[] }
  | { role: 'assistant'; text: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; results: ToolResult[] };

export type UserContentPart =
  { type: 'text'; text: string } | { type: 'image'; mediaType: string; data: Uint8Array };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema (type: object) of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed JSON arguments as the model produced them (not yet validated). */
  arguments: unknown;
  /**
   * Opaque data the same provider needs back with this call on the next step (Gemini's
   * thoughtSignature). Other providers ignore it.
   */
  providerMetadata?: Record<string, string>;
}

export interface ToolResult {
  toolCallId: string;
  name: string;
  /** JSON-serialisable result, or an error description the model can act on. */
  content: unknown;
  isError?: boolean;
}

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Token counts normalised across providers. Parts are included in their totals. */
export interface ModelUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  audioInputTokens: number;
  imageInputTokens: number;
  /** The provider's own usage object, kept for re-costing. */
  raw?: unknown;
}

export interface GenerateResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: { unified: FinishReason; raw: string | null };
  usage: ModelUsage;
  /** The model the provider says answered (may differ from the requested alias). */
  responseModelId: string;
  responseId?: string;
}
