import type OpenAI from 'openai';
import type { ChatMessage, ToolDefinition } from '../language-model.js';

type OpenAIMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type OpenAIUserPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

export function convertToOpenAIMessages(system: string, messages: ChatMessage[]): OpenAIMessage[] {
  const result: OpenAIMessage[] = [];
  if (system) result.push({ role: 'system', content: system });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        result.push({
          role: 'user',
          content: message.content.map((part): OpenAIUserPart =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : {
                  type: 'image_url',
                  image_url: {
                    url: `data:${part.mediaType};base64,${Buffer.from(part.data).toString('base64')}`,
                  },
                },
          ),
        });
        break;
      case 'assistant':
        result.push({
          role: 'assistant',
          content: message.text === '' && message.toolCalls?.length ? null : message.text,
          ...(message.toolCalls?.length
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: JSON.stringify(call.arguments ?? {}) },
                })),
              }
            : {}),
        });
        break;
      case 'tool':
        // One tool message per result: the Chat Completions API pairs them by tool_call_id.
        for (const toolResult of message.results) {
          result.push({
            role: 'tool',
            tool_call_id: toolResult.toolCallId,
            content: JSON.stringify(toolResult.content),
          });
        }
        break;
    }
  }
  return result;
}

export function convertToOpenAITools(tools: ToolDefinition[]): OpenAI.Chat.Completions.ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
