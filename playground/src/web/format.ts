/**
 * Text helpers of the page with no DOM in them (unit-tested in node): durations in human units
 * and the inline Markdown tokens a website widget renders.
 */

/** 420 → "420 ms", 4200 → "4.2 s", 192000 → "3 min 12 s", 86405165 → "24 h 0 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${totalSeconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export type InlineToken =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'em' | 'del' | 'code'; text: string }
  | { kind: 'link'; text: string; href: string };

/**
 * The inline Markdown the Chatwoot widget shows (**bold**, *italic* or _italic_, ~~strike~~, `code`,
 * [links](https://…), bare URLs). Links are only http(s) and mailto, so a message cannot carry a
 * `javascript:` URL into the page.
 */
export function inlineMarkdown(text: string): InlineToken[] {
  const pattern =
    /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|_([^_\s][^_]*?)_|~~(.+?)~~|\[([^\]]+)\]\(((?:https?:|mailto:)[^)\s]+)\)|<?((?:https?:\/\/)[^\s<>]+[^\s<>.,;:!?)])>?/g;
  const tokens: InlineToken[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) tokens.push({ kind: 'text', text: text.slice(last, match.index) });
    const [, code, bold1, bold2, em1, em2, del, label, href, bare] = match;
    if (code !== undefined) tokens.push({ kind: 'code', text: code });
    else if (bold1 !== undefined || bold2 !== undefined)
      tokens.push({ kind: 'strong', text: bold1 ?? bold2! });
    else if (em1 !== undefined || em2 !== undefined) tokens.push({ kind: 'em', text: em1 ?? em2! });
    else if (del !== undefined) tokens.push({ kind: 'del', text: del });
    else if (label !== undefined) tokens.push({ kind: 'link', text: label, href: href! });
    else tokens.push({ kind: 'link', text: bare!, href: bare! });
    last = match.index + match[0].length;
  }
  if (last < text.length) tokens.push({ kind: 'text', text: text.slice(last) });
  return tokens;
}
