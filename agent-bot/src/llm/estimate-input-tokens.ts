import type { GenerateRequest, ModelUsage } from './language-model.js';

/**
 * What a provider would have counted as input for a request whose answer never came (the call
 * was aborted): the text of the system prompt, messages, tool definitions and tool results
 * tokenised with o200k_base (OpenAI's current encoding; other providers' tokenisers differ by a
 * few percent, which is why such usage is marked estimated), plus a fixed count per image.
 */
export async function estimateInputUsage(request: GenerateRequest): Promise<ModelUsage> {
  const encoder = await loadEncoder();
  const texts: string[] = [request.system];
  let images = 0;
  for (const message of request.messages) {
    if (message.role === 'user') {
      for (const part of message.content) {
        if (part.type === 'text') texts.push(part.text);
        else images++;
      }
    } else if (message.role === 'assistant') {
      texts.push(message.text);
      for (const call of message.toolCalls ?? []) texts.push(call.name, JSON.stringify(call.arguments));
    } else {
      for (const result of message.results) texts.push(JSON.stringify(result.content));
    }
  }
  for (const tool of request.tools ?? []) {
    texts.push(tool.name, tool.description, JSON.stringify(tool.parameters));
  }
  const textTokens = texts.reduce((sum, text) => sum + encoder.encode(text).length, 0);
  // Per message framing (role markers), as OpenAI's cookbook counts it.
  const framing = 3 * (request.messages.length + 1);
  const imageTokens = images * TOKENS_PER_IMAGE;
  return {
    inputTokens: textTokens + framing + imageTokens,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    audioInputTokens: 0,
    imageInputTokens: imageTokens,
  };
}

/** OpenAI's count for a 512-px tile at high detail plus the base (85 + 170·4 for ~1024 px). */
const TOKENS_PER_IMAGE = 765;

type Encoder = { encode(text: string): number[] };
let encoder: Promise<Encoder> | null = null;

/** Loaded on the first aborted call only: the rank table is ~2 MB, not worth a start-up cost. */
function loadEncoder(): Promise<Encoder> {
  encoder ??= (async () => {
    const [{ Tiktoken }, ranks] = await Promise.all([
      import('js-tiktoken/lite'),
      import('js-tiktoken/ranks/o200k_base'),
    ]);
    return new Tiktoken(ranks.default);
  })();
  return encoder;
}
