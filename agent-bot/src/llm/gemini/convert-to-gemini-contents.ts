import type { Content, FunctionDeclaration, Part } from '@google/genai';
import type { ChatMessage, ToolDefinition } from '../language-model.js';

/**
 * Gemini has roles `user` and `model`; function results go back as a user turn of
 * functionResponse parts. A call's thoughtSignature must be returned with it (Gemini 3 rejects
 * the next request otherwise), so it travels in ToolCall.providerMetadata.
 */
export function convertToGeminiContents(messages: ChatMessage[]): Content[] {
  const result: Content[] = [];
  const push = (role: 'user' | 'model', parts: Part[]): void => {
    if (parts.length === 0) return;
    const last = result[result.length - 1];
    if (last && last.role === role) last.parts = [...(last.parts ?? []), ...parts];
    else result.push({ role, parts });
  };
  for (const message of messages) {
    if (message.role === 'user') {
      push(
        'user',
        message.content.map((part): Part =>
          part.type === 'text'
            ? { text: part.text }
            : { inlineData: { mimeType: part.mediaType, data: Buffer.from(part.data).toString('base64') } },
        ),
      );
    } else if (message.role === 'assistant') {
      push('model', [
        ...(message.text ? [{ text: message.text }] : []),
        ...(message.toolCalls ?? []).map((call): Part => ({
          functionCall: {
            ...(call.providerMetadata?.geminiCallId ? { id: call.providerMetadata.geminiCallId } : {}),
            name: call.name,
            args: isRecord(call.arguments) ? call.arguments : {},
          },
          ...(call.providerMetadata?.thoughtSignature
            ? { thoughtSignature: call.providerMetadata.thoughtSignature }
            : {}),
        })),
      ]);
    } else {
      push(
        'user',
        message.results.map((toolResult): Part => ({
          functionResponse: {
            name: toolResult.name,
            // The response must be an object; Google's docs use output/error keys.
            response: toolResult.isError ? { error: toolResult.content } : { output: toolResult.content },
          },
        })),
      );
    }
  }
  return result;
}

export function convertToGeminiTools(tools: ToolDefinition[]): FunctionDeclaration[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parametersJsonSchema: tool.parameters,
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
