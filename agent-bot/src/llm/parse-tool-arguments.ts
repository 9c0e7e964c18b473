/**
 * Providers that send tool arguments as a JSON string (OpenAI) sometimes send broken JSON.
 * It is not an error of the call: the raw string is kept, and the tool loop tells the model its
 * arguments were not valid JSON so that it can try again.
 */
export function parseToolArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
