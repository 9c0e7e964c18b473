import { describe, expect, it } from 'vitest';
import { toolsSchema } from '@switchboard/core/config/tools';
import { fakeConversation, runScriptedTools, testTurn } from '../../assistant/testing/tool-test-kit.js';
import { createCollectCustomerDataTool, missingFields } from './collect-customer-data-tool.js';

const config = toolsSchema.parse({
  customerData: {
    salon: [
      { key: 'email', type: 'email', description: 'E-mail address' },
      { key: 'phone', type: 'phone', description: 'Phone number for callbacks' },
      { key: 'birthday', type: 'date', description: 'Date of birth' },
      {
        key: 'plan',
        type: 'enum',
        options: ['Basic', 'Premium'],
        description: 'Chosen plan',
        saveTo: 'conversation',
      },
    ],
    other: [{ key: 'tax_id', type: 'text', pattern: '[0-9]{9}', description: 'Tax number' }],
  },
});

describe('collect_customer_data', () => {
  it('validates, normalises and saves to the contact (merged) and the conversation', async () => {
    const conversation = fakeConversation({ customAttributes: { loyalty: 'gold' } });
    const tool = createCollectCustomerDataTool({ fieldsByAssistant: config.customerData });
    const { results, events } = await runScriptedTools(
      [tool],
      [
        [
          {
            name: 'collect_customer_data',
            arguments: {
              email: 'Maria@Example.COM',
              phone: '0151 23456789',
              birthday: '03.04.1990',
              plan: 'premium',
            },
          },
        ],
      ],
      testTurn(conversation),
      // English assistant, German WhatsApp number: 0151 … is a German mobile number and dates
      // are read as en-DE (day first).
    );
    expect(results[0]).toEqual({
      saved: { email: 'Maria@example.com', phone: '+4915123456789', birthday: '1990-04-03', plan: 'Premium' },
    });
    expect(conversation.contact).toEqual({
      email: 'Maria@example.com',
      phone: '+4915123456789',
      customAttributes: { loyalty: 'gold', birthday: '1990-04-03' },
    });
    expect(conversation.conversationAttributes).toEqual({ plan: 'Premium' });
    // The loop's tool_call event keeps argument names only.
    expect(events[0]).toMatchObject({
      type: 'tool_call',
      payload: { tool: 'collect_customer_data', outcome: 'ok', arguments: { email: '***', phone: '***' } },
    });
  });

  it('reads dates in the customer’s locale (en + US number → month first)', async () => {
    const conversation = fakeConversation();
    const tool = createCollectCustomerDataTool({ fieldsByAssistant: config.customerData });
    const { results } = await runScriptedTools(
      [tool],
      [[{ name: 'collect_customer_data', arguments: { birthday: '03.04.1990' } }]],
      testTurn(conversation, {
        customer: { contactId: 5, name: 'Joe', phone: '+12025550125', email: null, attributes: {} },
      }),
    );
    expect(results[0]).toMatchObject({ saved: { birthday: '1990-03-04' } });
  });

  it('saves the valid fields and returns the invalid ones to re-ask', async () => {
    const conversation = fakeConversation();
    const tool = createCollectCustomerDataTool({ fieldsByAssistant: config.customerData });
    const { results } = await runScriptedTools(
      [tool],
      [
        [
          {
            name: 'collect_customer_data',
            arguments: { email: 'maria@example', phone: '+1 202 555 01', plan: 'Basic', tax_id: '123456789' },
          },
        ],
      ],
      testTurn(conversation),
    );
    expect(results[0]).toEqual({
      saved: { plan: 'Basic' },
      invalid: [
        { field: 'email', problem: 'that is not a valid e-mail address' },
        { field: 'phone', problem: 'that phone number is not valid (a digit missing or too many?)' },
        { field: 'tax_id', problem: 'this assistant does not collect this field' },
      ],
      instruction: 'Ask the customer again for the invalid fields, explaining the problem briefly.',
      // The invalid e-mail is still missing; the phone is on the contact (its WhatsApp number).
      stillMissing: ['email', 'birthday'],
    });
    expect(conversation.contact).toEqual({ customAttributes: {} });
  });

  it('turns schema violations and a Chatwoot failure into error results, never a thrown turn', async () => {
    const conversation = fakeConversation();
    conversation.failNextWith = new Error('ECONNREFUSED');
    const tool = createCollectCustomerDataTool({ fieldsByAssistant: config.customerData });
    const { results, events } = await runScriptedTools(
      [tool],
      [
        [{ name: 'collect_customer_data', arguments: { email: 42, favourite_colour: 'blue' } }],
        [{ name: 'collect_customer_data', arguments: { email: 'maria@example.com' } }],
      ],
      testTurn(conversation),
    );
    expect((results[0] as { error: string }).error).toMatch(/Invalid arguments.*email/);
    expect((results[1] as { error: string }).error).toContain('could not be saved right now');
    expect(events.map((e) => (e.payload as { outcome: string }).outcome)).toEqual([
      'invalid_arguments',
      'error',
    ]);
  });
});

describe('stillMissing: exactly the declared fields without a valid value', () => {
  const fields = config.customerData.salon!;
  const customer = (over: Record<string, unknown> = {}) => ({
    contactId: 1,
    name: null,
    phone: null,
    email: null,
    attributes: {},
    ...over,
  });
  it.each([
    ['nothing known', customer(), {}, ['email', 'phone', 'birthday', 'plan']],
    [
      'profile e-mail and phone',
      customer({ email: 'a@b.co', phone: '+447700900123' }),
      {},
      ['birthday', 'plan'],
    ],
    ['saved now', customer(), { email: 'a@b.co', plan: 'Basic' }, ['phone', 'birthday']],
    [
      'an empty attribute is missing',
      customer({ attributes: { birthday: '' } }),
      {},
      ['email', 'phone', 'birthday', 'plan'],
    ],
    [
      'a contact attribute is known',
      customer({ attributes: { birthday: '1990-04-03' } }),
      {},
      ['email', 'phone', 'plan'],
    ],
    // plan is saved on the conversation: a contact attribute of that name is someone else's data.
    [
      'a contact attribute does not fill a conversation field',
      customer({ attributes: { plan: 'Premium' } }),
      {},
      ['email', 'phone', 'birthday', 'plan'],
    ],
  ])('%s', (_name, profile, saved, expected) => {
    expect(missingFields(fields, profile, saved as Record<string, string>)).toEqual(expected);
  });
});
