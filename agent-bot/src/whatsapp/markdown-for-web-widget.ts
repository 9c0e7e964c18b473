/**
 * Replies for a Chatwoot website widget. The widget renders a message's Markdown itself
 * (markdown-it with raw HTML off and line breaks kept), so emphasis, links, lists, quotes and
 * code go out as written, unlike WhatsApp. What does not suit a chat bubble a few hundred pixels
 * wide is normalised: headings become a bold line, tables become one line per row, images
 * become links (a model's image URL should not load in the visitor's browser), raw HTML tags are
 * dropped (the widget would show them as text), and runs of blank lines collapse.
 */
export function formatForWebWidget(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      out.push(line.trim());
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    const converted = convertLine(line);
    if (converted !== null) out.push(converted);
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Chatwoot's message length validation (Message `content` maximum: 150,000). */
export const WEB_WIDGET_MAX_TEXT = 150_000;

/** The widget shows every option of an input_select as a button; past this, a list reads better. */
export const WEB_WIDGET_MAX_OPTIONS = 12;

export function presentWebChoices(
  options: string[],
): { kind: 'buttons'; items: { title: string; value: string }[] } | null {
  const titles = options.map((option) => option.trim()).filter((option) => option.length > 0);
  const unique = new Set(titles.map((title) => title.toLowerCase()));
  if (titles.length === 0 || titles.length > WEB_WIDGET_MAX_OPTIONS || unique.size !== titles.length)
    return null;
  return { kind: 'buttons', items: titles.map((title) => ({ title, value: title })) };
}

function convertLine(line: string): string | null {
  if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line)) return null; // table separator
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const text = inline(heading[1]!).replace(/^\*+|\*+$/g, '');
    return text ? `**${text}**` : null;
  }
  const tableRow = /^\s*\|(.*)\|\s*$/.exec(line);
  if (tableRow) {
    return tableRow[1]!
      .split('|')
      .map((cell) => inline(cell.trim()))
      .filter((cell) => cell.length > 0)
      .join(' · ');
  }
  return inline(line);
}

function inline(text: string): string {
  // Code spans are kept verbatim: an HTML tag inside backticks is content, not markup.
  const codes: string[] = [];
  let s = text.replace(/`[^`]+`/g, (code) => {
    codes.push(code);
    return `\uE000${codes.length - 1}\uE000`;
  });
  s = s.replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, alt: string, url: string) =>
    alt ? `[${alt}](${url})` : `<${url}>`,
  );
  // Raw HTML tags (not autolinks like <https://…> or <name@example.com>).
  s = s.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>/g, (tag) =>
    /^<(https?:|mailto:)|^<[^\s@<>]+@[^\s@<>]+>$/.test(tag) ? tag : '',
  );
  return s.replace(/\uE000(\d+)\uE000/g, (_m, i: string) => codes[Number(i)]!);
}
