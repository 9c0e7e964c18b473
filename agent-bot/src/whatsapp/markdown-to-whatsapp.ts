/**
 * The model writes Markdown; WhatsApp understands *bold*, _italic_, ~strike~, `code`,
 * ```blocks```, "- " lists and "> " quotes, and nothing else (no headings, links, tables).
 *
 * Two targets, because Chatwoot 4.x renders CommonMark into WhatsApp formatting itself
 * (Messages::MarkdownRendererService#render_whatsapp): sending it `*bold*` would come out
 * italic. So for such a Chatwoot we only normalize what WhatsApp cannot show (headings, tables,
 * links, images, rules) and keep Markdown emphasis; for a pass-through Chatwoot we convert.
 */
export type WhatsAppTarget = 'whatsapp' | 'markdown';

export function formatForWhatsApp(markdown: string, target: WhatsAppTarget): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      out.push('```');
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    out.push(convertLine(line, target));
  }
  return out
    .filter((line) => line !== DROP)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const DROP = '\u0000drop';
// Placeholders for stashed spans: private-use characters a model never writes.
const CODE = '\uE000';
const BOLD = '\uE001';

function convertLine(line: string, target: WhatsAppTarget): string {
  if (/^\s*([-*_])\s*(\1\s*){2,}$/.test(line)) return DROP; // horizontal rule
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line)) return DROP; // table separator
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const text = inline(heading[1]!, target);
    return target === 'whatsapp' ? `*${stripEmphasis(text)}*` : `**${stripEmphasis(text)}**`;
  }
  const tableRow = /^\s*\|(.*)\|\s*$/.exec(line);
  if (tableRow) {
    const cells = tableRow[1]!.split('|').map((cell) => inline(cell.trim(), target));
    return cells.filter((cell) => cell.length > 0).join(' · ');
  }
  const bullet = /^(\s*)[*+-]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}- ${inline(bullet[2]!, target)}`;
  return inline(line, target);
}

function inline(text: string, target: WhatsAppTarget): string {
  const codes: string[] = [];
  // Inline code is left alone: stash it so emphasis rules cannot touch it.
  let s = text.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(code);
    return `${CODE}${codes.length - 1}${CODE}`;
  });
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, alt: string, url: string) =>
    alt ? `${alt}: ${url}` : url,
  );
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) =>
    label === url || `mailto:${label}` === url ? label : `${label} (${url})`,
  );
  s = s.replace(/<(https?:\/\/[^>]+)>/g, '$1');
  if (target === 'whatsapp') {
    const bolds: string[] = [];
    s = s.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, (_m, _d, body: string) => {
      bolds.push(body);
      return `${BOLD}${bolds.length - 1}${BOLD}`;
    });
    s = s.replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1_$2_');
    s = s.replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~');
    s = s.replace(
      new RegExp(`${BOLD}(\\d+)${BOLD}`, 'g'),
      (_m, i: string) => `*${convertItalicInside(bolds[Number(i)]!)}*`,
    );
  }
  return s.replace(new RegExp(`${CODE}(\\d+)${CODE}`, 'g'), (_m, i: string) => `\`${codes[Number(i)]}\``);
}

function convertItalicInside(text: string): string {
  return text.replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1_$2_');
}

function stripEmphasis(text: string): string {
  return text.replace(/^\*+|\*+$/g, '');
}
