import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'nav',
  'footer',
  'svg',
  'form',
  'iframe',
  'template',
  'head',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'aside',
  'header',
  'table',
  'tbody',
  'thead',
  'tr',
  'ul',
  'ol',
  'pre',
  'blockquote',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'address',
  'hr',
]);

/**
 * HTML (web pages, DOCX via mammoth) to the markdown-like text the splitter understands:
 * headings become `#` lines so that each chunk keeps the heading of its section; menus,
 * scripts and footers are dropped because they repeat on every page and match every query.
 */
export function htmlToMarkdown(html: string): { title: string | null; text: string } {
  const $ = cheerio.load(html);
  const title = $('title').first().text().trim() || $('h1').first().text().trim() || null;
  const root = $('body').length > 0 ? $('body').get(0)! : $.root().get(0)!;
  const out: string[] = [];
  walk(root as AnyNode, out);
  const text = out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title, text };
}

function walk(node: AnyNode, out: string[]): void {
  if (node.type === 'text') {
    out.push((node as unknown as { data: string }).data.replace(/\s+/g, ' '));
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return;
  const element = node as Element;
  const tag = element.name?.toLowerCase() ?? '';
  if (SKIPPED.has(tag)) return;
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    const inner: string[] = [];
    for (const child of element.children ?? []) walk(child, inner);
    const text = inner.join('').replace(/\s+/g, ' ').trim();
    if (text) out.push(`\n\n${'#'.repeat(Number(heading[1]))} ${text}\n\n`);
    return;
  }
  if (tag === 'br') return void out.push('\n');
  if (tag === 'li') out.push('\n- ');
  else if (tag === 'td' || tag === 'th') out.push(' ');
  else if (BLOCKS.has(tag)) out.push('\n\n');
  for (const child of element.children ?? []) walk(child, out);
  if (tag === 'li') out.push('\n');
  else if (tag === 'td' || tag === 'th') out.push(' |');
  else if (tag === 'tr') out.push('\n');
  else if (BLOCKS.has(tag)) out.push('\n\n');
}
