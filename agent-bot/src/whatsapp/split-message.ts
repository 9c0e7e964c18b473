/** WhatsApp refuses text messages of 4,096 characters or more. */
export const WHATSAPP_MAX_TEXT = 4096;

/**
 * Splits a long answer into messages under the limit, preferring (in order) paragraph breaks,
 * line breaks, sentence ends and spaces, so that each message reads on its own. Counts UTF-16
 * code units like Chatwoot's length validation does, and never splits a surrogate pair.
 */
export function splitMessage(text: string, limit = WHATSAPP_MAX_TEXT - 1): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  // Not too early: a cut in the first third would make many tiny messages.
  const minimum = Math.floor(limit / 3);
  const candidates: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…。](?=\s)/g, /[;:,](?=\s)/g, /\s/g];
  for (const pattern of candidates) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const end = match.index + (pattern.source.startsWith('[') ? 1 : 0);
      if (end <= limit && end >= minimum) best = end;
    }
    if (best > 0) return best;
  }
  let cut = limit;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}
