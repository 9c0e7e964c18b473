import type { FinishReason } from '../language-model.js';

/** @see https://ai.google.dev/api/generate-content#FinishReason */
export function mapGeminiFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  switch (reason) {
    case 'STOP':
      // Gemini reports STOP for function calls too; the loop needs to know it should continue.
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content-filter';
    case 'MALFORMED_FUNCTION_CALL':
      return 'error';
    default:
      return hasToolCalls ? 'tool-calls' : 'other';
  }
}
