import { Parser, type Node } from 'commonmark';

/**
 * `Messages::MarkdownRendererService#render_whatsapp`, which `outgoing_content` applies when a
 * message is sent to WhatsApp: CommonMark (no extensions, so `~~x~~` stays as written) rendered by
 * `WhatsAppRenderer` over `BaseMarkdownRenderer`: **strong** → *strong*, _emph_/*emph* → _emph_,
 * `code` kept, a link → its URL, list items as "- " or "N. ", quotes as "> ", code blocks as their
 * text, raw HTML dropped; a line per block, soft breaks kept, trailing newlines removed. Blank
 * content is returned as it is.
 */
export function renderWhatsappMarkdown(content: string | null): string | null {
  if (content === null || content.trim() === '') return content;
  const renderer = new WhatsappRenderer();
  renderer.render(new Parser().parse(content));
  return renderer.output.replace(/\n+$/, '');
}

class WhatsappRenderer {
  output = '';
  // One pair for the whole document, as in the Ruby renderer: a nested list overwrites it.
  private listType: 'bullet' | 'ordered' = 'bullet';
  private listItemNumber = 0;

  render(node: Node): void {
    switch (node.type) {
      case 'document':
        this.children(node);
        return;
      case 'paragraph':
        this.children(node);
        this.cr();
        return;
      case 'text':
        this.output += node.literal ?? '';
        return;
      case 'softbreak':
      case 'linebreak':
        this.output += '\n';
        return;
      case 'strong':
        this.wrap('*', node);
        return;
      case 'emph':
        this.wrap('_', node);
        return;
      case 'code':
        this.output += `\`${node.literal ?? ''}\``;
        return;
      case 'link':
        this.output += node.destination ?? '';
        return;
      case 'list':
        this.listType = node.listType;
        this.listItemNumber = node.listType === 'ordered' ? node.listStart : 0;
        this.children(node);
        this.cr();
        return;
      case 'item':
        if (this.listType === 'ordered') {
          this.output += `${this.listItemNumber}. `;
          this.listItemNumber += 1;
        } else {
          this.output += '- ';
        }
        this.children(node);
        this.cr();
        return;
      case 'block_quote':
        this.output += '> ';
        this.children(node);
        this.cr();
        return;
      case 'code_block':
        this.output += node.literal ?? '';
        return;
      default:
        // BaseMarkdownRenderer#method_missing: the children, then a line end (headings,
        // images, thematic breaks, raw HTML, which has no children and so disappears).
        this.children(node);
        this.cr();
    }
  }

  private wrap(mark: string, node: Node): void {
    this.output += mark;
    this.children(node);
    this.output += mark;
  }

  private children(node: Node): void {
    for (let child = node.firstChild; child; child = child.next) this.render(child);
  }

  /** CommonMarker::Renderer#cr: a newline unless at the start or after one. */
  private cr(): void {
    if (this.output !== '' && !this.output.endsWith('\n')) this.output += '\n';
  }
}
