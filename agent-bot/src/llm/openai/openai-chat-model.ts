import OpenAI from 'openai';
import { ProviderCallError } from '../provider-error.js';
import { classifySdkError } from '../classify-sdk-error.js';
import type { GenerateRequest, GenerateResult, LanguageModel } from '../language-model.js';
import { parseToolArguments } from '../parse-tool-arguments.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import { convertToOpenAIMessages, convertToOpenAITools } from './convert-to-openai-messages.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { openaiChatResponseSchema } from './openai-api.js';

export interface OpenAIChatModelSettings {
  model: string;
  apiKey: string;
  /** Any OpenAI-compatible server (vLLM, Ollama, LM Studio, a proxy). */
  baseUrl?: string;
  /** 'openai-compatible' changes the provider name and the max-tokens parameter. */
  provider?: 'openai' | 'openai-compatible';
  supportsImages?: boolean;
  fetch?: typeof fetch;
}

/** Reasoning models reject any temperature but the default. */
const FIXED_TEMPERATURE = /^(o\d|gpt-5)/;

export class OpenAIChatModel implements LanguageModel {
  readonly provider: 'openai' | 'openai-compatible';
  readonly modelId: string;
  readonly supportsImages: boolean;
  readonly supportsTools = true;
  private readonly client: OpenAI;

  constructor(settings: OpenAIChatModelSettings) {
    this.provider = settings.provider ?? 'openai';
    this.modelId = settings.model;
    this.supportsImages = settings.supportsImages ?? this.provider === 'openai';
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      // Retries and timeouts belong to the caller's policy (retry-policy.ts), not the SDK.
      maxRetries: 0,
      timeout: 10 * 60_000,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const tools = request.tools?.length ? convertToOpenAITools(request.tools) : undefined;
    const maxTokens =
      request.maxOutputTokens === undefined
        ? {}
        : this.provider === 'openai'
          ? { max_completion_tokens: request.maxOutputTokens }
          : // Compatible servers widely support only the older name.
            { max_tokens: request.maxOutputTokens };
    let raw: unknown;
    try {
      raw = await this.client.chat.completions.create(
        {
          model: this.modelId,
          messages: convertToOpenAIMessages(request.system, request.messages),
          ...(tools ? { tools, parallel_tool_calls: true } : {}),
          ...(request.temperature !== undefined && !FIXED_TEMPERATURE.test(this.modelId)
            ? { temperature: request.temperature }
            : {}),
          ...maxTokens,
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw classifySdkError(this.provider, error);
    }

    const parsed = openaiChatResponseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'invalid_response',
        message: `unexpected response shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    const response = parsed.data;
    const choice = response.choices[0]!;
    return {
      text: choice.message.content ?? '',
      toolCalls: (choice.message.tool_calls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments: parseToolArguments(call.function.arguments),
      })),
      // A refusal arrives as finish_reason "stop" with `refusal` text instead of content.
      finishReason: {
        unified:
          choice.message.refusal && !choice.message.content
            ? 'content-filter'
            : mapOpenAIFinishReason(choice.finish_reason),
        raw: choice.finish_reason,
      },
      usage: convertOpenAIUsage(response.usage),
      responseModelId: response.model,
      ...(response.id ? { responseId: response.id } : {}),
    };
  }
}
