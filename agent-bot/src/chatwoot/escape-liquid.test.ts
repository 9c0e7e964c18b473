import { renderLiquidContent } from '@switchboard/simulator';
import { describe, expect, it } from 'vitest';
import { escapeLiquid, escapeLiquidInRequest } from './escape-liquid.js';

/**
 * What Chatwoot 4.x does to an outgoing `content`, down to liquid 5.4's tokenizer: the
 * code-span pass of liquidable.rb, `Liquid::Tokenizer` (a split on TemplateParser), and the Raw
 * tag's end test (FullTokenPossiblyInvalid). Returns the rendered text when nothing outside a
 * raw block is Liquid markup, else null (Liquid would render or reject it: the text would change
 * or, on a syntax error, our escaping would show).
 */
function chatwootShows(content: string, codeSpans = true): string | null {
  const source = codeSpans ? content.replace(/`([\s\S]*?)`/g, '{% raw %}`$1`{% endraw %}') : content;
  const tokens = source.split(/(\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}?|\{%|\{\{)/).filter((t) => t !== '');
  let shown = '';
  let inRaw = false;
  for (const token of tokens) {
    if (inRaw) {
      const end = /^([\s\S]*)\{%-?\s*(\w+)\s*([\s\S]*)?-?%\}$/.exec(token);
      if (end && end[2] === 'endraw') {
        shown += end[1];
        inRaw = false;
      } else shown += token;
    } else if (/^\{%-?\s*raw\s*-?%\}$/.test(token)) inRaw = true;
    else if (token.startsWith('{{') || token.startsWith('{%')) return null;
    else shown += token;
  }
  return inRaw ? null : shown;
}

const drops = { contact: { name: 'Maria' }, agent: { name: 'Bot' } };

const tricky = [
  'Olá {{name}}, tudo bem?',
  '{% if plano %}Anual{% endif %}',
  '{% if %} sem condição',
  'Use {{ contact.name }} ou {{contact.phone_number}}',
  'chaves vazias {{}} e {{}}}',
  'três {{{x}}} e quatro {{{{y}}}}',
  '{{',
  '{%',
  'fim {',
  '}} solto %}',
  '{%- raw -%}{% endraw %}',
  'Código: `{{x}}` e fora {{y}}',
  '```\n{% for i in list %}{{i}}{% endfor %}\n```',
  'antes{`code`}depois',
  '{{`a`}}',
  '`{{`}',
  'ímpar ` {{z}}',
  'preço {R$ 10}',
];

describe('escapeLiquid', () => {
  it.each(tricky)('Chatwoot (liquid 5.4) shows %j as written', (text) => {
    expect(chatwootShows(escapeLiquid(text))).toBe(text);
  });

  it.each(tricky)('liquidjs (the simulator) shows %j as written', (text) => {
    expect(renderLiquidContent(escapeLiquid(text), drops)).toBe(text);
  });

  it('is needed: unescaped, the text is substituted or refused', () => {
    expect(renderLiquidContent('Olá {{contact.name}}', drops)).toBe('Olá Maria');
    expect(renderLiquidContent('{% if plano %}Anual{% endif %}!', drops)).toBe('!');
    expect(chatwootShows('Olá {{name}}')).toBeNull();
  });

  it('leaves text without braces untouched', () => {
    expect(escapeLiquid('Olá, *tudo* bem? `code`')).toBe('Olá, *tudo* bem? `code`');
  });

  it('sends a text whose code span holds an endraw tag as written (Chatwoot keeps it on the parse error)', () => {
    const text = 'veja `{% endraw %}` e {{x}}';
    expect(escapeLiquid(text)).toBe(text);
    expect(renderLiquidContent(text, drops)).toBe(text);
  });

  it('round-trips random brace soup through both parsers', () => {
    let seed = 17;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = ['{', '}', '%', '`', '-', ' ', 'a', '\n', 'raw', 'endraw', '{{', '{%', '%}', '}}'];
    for (let i = 0; i < 3_000; i++) {
      const length = 1 + Math.floor(next() * 12);
      const text = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const escaped = escapeLiquid(text);
      // A code span holding an endraw is sent as written, on purpose (see escapeLiquid).
      if (escaped === text && /\{%-?\s*endraw/.test(text)) continue;
      expect(chatwootShows(escaped), JSON.stringify(text)).toBe(text);
      expect(renderLiquidContent(escaped, drops), JSON.stringify(text)).toBe(text);
    }
  });
});

describe('escapeLiquidInRequest', () => {
  it('escapes the content and every template parameter (rendered without the code-span pass)', () => {
    const request = escapeLiquidInRequest({
      content: 'Pedido {{1}}',
      template_params: {
        name: 'order_update',
        language: 'pt_BR',
        processed_params: { body: { '1': '`{{x}}`', '2': 'plain' } },
      },
    });
    expect(chatwootShows(request.content)).toBe('Pedido {{1}}');
    const body = request.template_params!.processed_params!.body!;
    expect(chatwootShows(body['1']!, false)).toBe('`{{x}}`');
    expect(body['2']).toBe('plain');
    expect(request.template_params!.name).toBe('order_update');
  });
});
