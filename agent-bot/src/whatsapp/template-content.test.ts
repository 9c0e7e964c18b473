import { describe, expect, it } from 'vitest';
import { renderTemplateBody } from './template-content.js';

const templates = [
  {
    name: 'order_update',
    language: 'pt_BR',
    status: 'APPROVED',
    components: [
      { type: 'HEADER', text: 'Pedido' },
      { type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} saiu para entrega.' },
    ],
  },
  {
    name: 'named',
    language: 'en',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hi {{ customer_name }}, see you on {{date}}.' }],
  },
  { name: 'draft', language: 'en', status: 'PENDING', components: [{ type: 'BODY', text: 'Not yet' }] },
];

describe('renderTemplateBody', () => {
  it('fills positional parameters and matches the language case-insensitively', () => {
    expect(
      renderTemplateBody(
        templates,
        { name: 'order_update', language: 'pt_br' },
        { '1': 'Maria', '2': '#123' },
      ),
    ).toBe('Olá Maria, seu pedido #123 saiu para entrega.');
  });

  it('fills named parameters and leaves unknown placeholders visible', () => {
    expect(renderTemplateBody(templates, { name: 'named', language: 'en' }, { customer_name: 'Ana' })).toBe(
      'Hi Ana, see you on {{date}}.',
    );
  });

  it('returns null for a template that is missing, in another language or not approved', () => {
    expect(renderTemplateBody(templates, { name: 'order_update', language: 'en' }, {})).toBeNull();
    expect(renderTemplateBody(templates, { name: 'nope', language: 'en' }, {})).toBeNull();
    expect(renderTemplateBody(templates, { name: 'draft', language: 'en' }, {})).toBeNull();
  });
});
