import Anthropic from '@anthropic-ai/sdk';
import { ProviderCallError } from '../provider-error.js';
import { classifySdkError } from '../classify-sdk-error.js';
import type { GenerateRequest, GenerateResult, LanguageModel, ToolCall } from '../language-model.js';
import { anthropicMessageSchema } from './anthropic-api.js';
import { convertAnthropicUsage } from './convert-anthropic-usage.js';
import { convertToAnthropicMessages, convertToAnthropicTools } from './convert-to-anthropic-messages.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

export interface AnthropicMessagesModelSettings {
  model: string;
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** The Messages API requires max_tokens; used when the assistant sets none. */
const DEFAULT_MAX_TOKENS = 1024;

export class AnthropicMessagesModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  readonly supportsImages = true;
  readonly supportsTools = true;
  private readonly client: Anthropic;

  constructor(settings: AnthropicMessagesModelSettings) {
    this.modelId = settings.model;
    this.client = new Anthropic({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
      maxRetries: 0,
      ...(settings.fetch ? { fetch: settings.fetch } : {}),
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    let raw: unknown;
    try {
      raw = await this.client.messages.create(
        {
          model: this.modelId,
          max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
          // The system prompt (instructions + knowledge) repeats on every step of the tool
          // loop: marking it cacheable makes later steps read it at a tenth of the price.
          ...(request.system
            ? {
                system: [
                  {
                    type: 'text' as const,
                    text: request.system,
                    cache_control: { type: 'ephemeral' as const },
                  },
                ],
              }
            : {}),
          messages: convertToAnthropicMessages(request.messages),
          ...(request.tools?.length ? { tools: convertToAnthropicTools(request.tools) } : {}),
          ...(request.temperature !== undefined ? { temperature: Math.min(1, request.temperature) } : {}),
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw classifySdkError(this.provider, error);
    }

    const parsed = anthropicMessageSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'invalid_response',
        message: `unexpected response shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    const message = parsed.data;
    const texts: string[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of message.content) {
      if ('text' in block && block.type === 'text') texts.push(block.text);
      else if ('input' in block && block.type === 'tool_use')
        toolCalls.push({ id: block.id, name: block.name, arguments: block.input });
    }
    return {
      text: texts.join('\n\n'),
      toolCalls,
      finishReason: { unified: mapAnthropicStopReason(message.stop_reason), raw: message.stop_reason },
      usage: convertAnthropicUsage(message.usage),
      responseModelId: message.model,
      responseId: message.id,
    };
  }
}
