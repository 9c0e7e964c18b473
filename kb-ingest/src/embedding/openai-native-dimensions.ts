/** Native sizes of OpenAI's models; a smaller `dimensions` is sent as a request parameter. */
export const OPENAI_NATIVE_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};
