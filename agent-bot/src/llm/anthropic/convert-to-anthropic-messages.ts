import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ToolDefinition } from '../language-model.js';

type Message = Anthropic.Messages.MessageParam;
type Block = Anthropic.Messages.ContentBlockParam;
type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
const IMAGE_TYPES = new Set<string>(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/**
 * Tool results travel in a user turn, and consecutive turns of one role are merged so that
 * the conversation alternates as the Messages API expects.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): Message[] {
  const result: Message[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]): void => {
    if (blocks.length === 0) return;
    const last = result[result.length - 1];
    if (last && last.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else result.push({ role, content: blocks });
  };

  for (const message of messages) {
    if (message.role === 'user') {
      push(
        'user',
        message.content.flatMap((part): Block[] => {
          if (part.type === 'text') return part.text ? [{ type: 'text', text: part.text }] : [];
          if (!IMAGE_TYPES.has(part.mediaType)) return [];
          return [
            {
              type: 'image',
              source: {
                type: 'base64',
                media_type: part.mediaType as ImageMediaType,
                data: Buffer.from(part.data).toString('base64'),
              },
            },
          ];
        }),
      );
    } else if (message.role === 'assistant') {
      push('assistant', [
        ...(message.text ? [{ type: 'text' as const, text: message.text }] : []),
        ...(message.toolCalls ?? []).map((call): Block => ({
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: call.arguments ?? {},
        })),
      ]);
    } else {
      push(
        'user',
        message.results.map((toolResult): Block => ({
          type: 'tool_result',
          tool_use_id: toolResult.toolCallId,
          content: JSON.stringify(toolResult.content),
          ...(toolResult.isError ? { is_error: true } : {}),
        })),
      );
    }
  }
  // The API wants the first turn from the user (a conversation may open with a template we sent).
  if (result[0]?.role === 'assistant') result.unshift({ role: 'user', content: '(conversation start)' });
  return result;
}

export function convertToAnthropicTools(tools: ToolDefinition[]): Anthropic.Messages.Tool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Anthropic.Messages.Tool.InputSchema,
  }));
}
