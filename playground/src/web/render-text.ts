/** Message text as DOM nodes, the way each channel's client shows it (never innerHTML). */
import { inlineMarkdown } from './format.js';

/**
 * WhatsApp's own formatting as the phone shows it: *bold*, _italic_, ~strike~, ```monospace```.
 * Built as DOM nodes, never innerHTML, so message text cannot inject markup.
 */
export function renderWhatsAppText(text: string): Node[] {
  const pattern = /```([\s\S]+?)```|\*([^*\n]+)\*|_([^_\n]+)_|~([^~\n]+)~/g;
  const nodes: Node[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    const [, mono, bold, italic, strike] = match;
    const tag =
      mono !== undefined ? 'code' : bold !== undefined ? 'strong' : italic !== undefined ? 'em' : 's';
    const element = document.createElement(tag);
    element.textContent = mono ?? bold ?? italic ?? strike ?? '';
    nodes.push(element);
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * A website widget's rendering of a message's Markdown: paragraphs with line breaks, "- " and
 * "1. " lists, "> " quotes and the inline marks. DOM nodes only, never innerHTML.
 */
export function renderWidgetMarkdown(text: string): Node[] {
  const nodes: Node[] = [];
  let list: HTMLElement | null = null;
  let paragraph: HTMLElement | null = null;
  for (const line of text.split('\n')) {
    const bullet = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/.exec(line);
    if (bullet) {
      const tag = bullet[1] ? 'ol' : 'ul';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = document.createElement(tag);
        nodes.push(list);
      }
      const item = document.createElement('li');
      item.append(...inlineNodes(bullet[2]!));
      list.append(item);
      paragraph = null;
      continue;
    }
    list = null;
    if (line.trim() === '') {
      paragraph = null;
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (quote) {
      const block = document.createElement('blockquote');
      block.append(...inlineNodes(quote[1]!));
      nodes.push(block);
      paragraph = null;
      continue;
    }
    if (paragraph) paragraph.append(document.createElement('br'));
    else {
      paragraph = document.createElement('p');
      nodes.push(paragraph);
    }
    paragraph.append(...inlineNodes(line));
  }
  return nodes;
}

function inlineNodes(text: string): Node[] {
  return inlineMarkdown(text).map((token) => {
    if (token.kind === 'text') return document.createTextNode(token.text);
    if (token.kind === 'link') {
      const a = document.createElement('a');
      a.href = token.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = token.text;
      return a;
    }
    const element = document.createElement(token.kind);
    element.textContent = token.text;
    return element;
  });
}
