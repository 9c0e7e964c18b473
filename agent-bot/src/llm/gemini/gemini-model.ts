import { GoogleGenAI } from '@google/genai';
import { ProviderCallError } from '../provider-error.js';
import type { GenerateRequest, GenerateResult, LanguageModel, ToolCall } from '../language-model.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import { convertToGeminiContents, convertToGeminiTools } from './convert-to-gemini-contents.js';
import { classifyGeminiError } from './gemini-error.js';
import { geminiResponseSchema } from './gemini-api.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

export interface GeminiModelSettings {
  model: string;
  apiKey: string;
  baseUrl?: string;
}

export class GeminiModel implements LanguageModel {
  readonly provider = 'gemini';
  readonly modelId: string;
  readonly supportsImages = true;
  readonly supportsTools = true;
  private readonly client: GoogleGenAI;

  constructor(settings: GeminiModelSettings) {
    this.modelId = settings.model;
    // No retryOptions: the SDK then makes exactly one attempt; retries are the caller's.
    this.client = new GoogleGenAI({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { httpOptions: { baseUrl: settings.baseUrl } } : {}),
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    let raw: unknown;
    try {
      raw = await this.client.models.generateContent({
        model: this.modelId,
        contents: convertToGeminiContents(request.messages),
        config: {
          ...(request.system ? { systemInstruction: request.system } : {}),
          ...(request.tools?.length
            ? { tools: [{ functionDeclarations: convertToGeminiTools(request.tools) }] }
            : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
          ...(request.signal ? { abortSignal: request.signal } : {}),
        },
      });
    } catch (error) {
      throw classifyGeminiError(error);
    }

    const parsed = geminiResponseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ProviderCallError({
        provider: this.provider,
        kind: 'invalid_response',
        message: `unexpected response shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
    const response = parsed.data;
    const candidate = response.candidates?.[0];
    const texts: string[] = [];
    const toolCalls: ToolCall[] = [];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const metadata: Record<string, string> = {};
        if (part.functionCall.id) metadata.geminiCallId = part.functionCall.id;
        if (part.thoughtSignature) metadata.thoughtSignature = part.thoughtSignature;
        toolCalls.push({
          // Older Gemini models send no call id; the loop needs one to pair results.
          id: part.functionCall.id ?? `gemini_call_${toolCalls.length}`,
          name: part.functionCall.name,
          arguments: part.functionCall.args ?? {},
          ...(Object.keys(metadata).length ? { providerMetadata: metadata } : {}),
        });
      } else if (part.text !== undefined && !part.thought) {
        texts.push(part.text);
      }
    }
    const rawReason = candidate?.finishReason ?? (response.promptFeedback?.blockReason ? 'SAFETY' : null);
    return {
      text: texts.join(''),
      toolCalls,
      finishReason: { unified: mapGeminiFinishReason(rawReason, toolCalls.length > 0), raw: rawReason },
      usage: convertGeminiUsage(response.usageMetadata),
      responseModelId: response.modelVersion ?? this.modelId,
      ...(response.responseId ? { responseId: response.responseId } : {}),
    };
  }
}
