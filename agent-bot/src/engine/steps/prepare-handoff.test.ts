import { describe, expect, it } from 'vitest';
import { switchboardConfigSchema, type AssistantConfig } from '@switchboard/core';
import { prepareHandoff } from './prepare-handoff.js';

/** Whether the customer's handoff message offers a call back: the capture answers only that offer. */
const NOW = new Date('2026-12-03T20:00:00Z'); // a Thursday, 20:00 UTC

function assistant(options: { open: boolean; announce?: boolean; offerCallback?: boolean }): AssistantConfig {
  const config = switchboardConfigSchema.parse({
    chatwoot: {
      accounts: [
        {
          id: 1,
          baseUrl: 'http://127.0.0.1:9',
          bot: { id: 1, accessToken: 'bot-token', webhookSecret: 'secret' },
          userAccessToken: 'user-token',
          inboxes: [{ id: 1, assistant: 'helper', channel: 'whatsapp' }],
        },
      ],
    },
    assistants: {
      helper: {
        name: 'Helper',
        systemPrompt: 'Be helpful.',
        timezone: 'UTC',
        businessHours: [{ days: ['thu'], open: '09:00', close: options.open ? '23:00' : '18:00' }],
        conversation: {
          handoff: { announce: options.announce ?? true, offerCallback: options.offerCallback ?? true },
        },
      },
    },
  });
  return config.assistants.helper!;
}

const prepare = (a: AssistantConfig, text: string) =>
  prepareHandoff({
    assistant: a,
    handoff: { reason: 'customer_request', summary: 'Asked for a person.' },
    customerTexts: [text],
    customer: { name: 'Tom', email: null, phone: '+447700900123', attributes: {} },
    events: [],
    humanWasHere: false,
    now: NOW,
  });

describe('prepareHandoff: the call-back offer', () => {
  it('is made outside business hours, when the customer gave no number yet', () => {
    const prepared = prepare(assistant({ open: false }), 'Can I talk to a person?');
    expect(prepared.callbackOffered).toBe(true);
    expect(prepared.customerMessage).toContain('send me your phone number');
  });

  it('is not made while the team is in, for a silent handoff, when switched off, or when the number came with the request', () => {
    expect(prepare(assistant({ open: true }), 'Can I talk to a person?').callbackOffered).toBe(false);
    expect(prepare(assistant({ open: false, announce: false }), 'A person please').callbackOffered).toBe(
      false,
    );
    expect(prepare(assistant({ open: false, offerCallback: false }), 'A person please').callbackOffered).toBe(
      false,
    );
    const withNumber = prepare(assistant({ open: false }), 'A person please, call me on 07911 123456');
    expect(withNumber.callbackOffered).toBe(false);
    expect(withNumber.handoff.callback?.number).toBe('+447911123456');
  });
});
