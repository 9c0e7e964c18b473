import { describe, expect, it } from 'vitest';
import { TINY_PNG } from '../../llm/testing/load-fixture.js';
import { assistantConfig, buildTurn, customerMessage } from '../testing/build-turn.js';
import { assemblePrompt, DEFAULT_WHATSAPP_GUIDANCE } from './assemble-prompt.js';

const passage = {
  text: 'We are open Monday to Friday 9:00–18:00 and Saturday 10:00–14:00.',
  score: 0.82,
  documentTitle: 'Opening hours',
  source: 'opening-hours.md',
  knowledgeBase: 'shop',
  chunkId: 'c1',
  metadata: {},
};

describe('assemblePrompt', () => {
  it('adds channel guidance, local date/time and hours, customer, window and knowledge to the system prompt', () => {
    const assistant = assistantConfig({
      timezone: 'Europe/Lisbon',
      businessHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:00', close: '18:00' }],
    });
    // 2026-11-25 is a Wednesday; 10:00 UTC is 10:00 in Lisbon (WET, no DST in November).
    const { turn } = buildTurn('When do you open on Saturday?');
    const { system, messages } = assemblePrompt({
      assistant,
      turn,
      passages: [passage],
      supportsImages: true,
      toolNames: ['handoff_to_human'],
    });
    expect(system.startsWith('You help customers of Riverside Bikes.')).toBe(true);
    expect(system).toContain(DEFAULT_WHATSAPP_GUIDANCE);
    expect(system).toContain('Wednesday, 25 November 2026 at 10:00');
    expect(system).toContain('(Europe/Lisbon)');
    expect(system).toContain(
      'Business hours: mon, tue, wed, thu, fri 09:00–18:00. The business is open now.',
    );
    expect(system).toContain('Name: Ana\nplan: gold');
    expect(system).not.toContain('+351912345678');
    expect(system).toContain('Open until 2026-11-26T10:00:00Z');
    expect(system).toContain('[1] Opening hours (opening-hours.md)\nWe are open Monday to Friday');
    expect(system).toContain('call handoff_to_human');
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'When do you open on Saturday?' }] },
    ]);
  });

  it('uses the assistant guidance, says when the business is closed and the window is closed', () => {
    const assistant = assistantConfig({
      timezone: 'America/Sao_Paulo',
      channelGuidance: { whatsapp: 'Max two sentences.' },
      businessHours: [{ days: ['mon'], open: '09:00', close: '18:00' }],
    });
    const { turn } = buildTurn('Oi', { window: { open: false, closesAt: null } });
    const { system } = assemblePrompt({
      assistant,
      turn,
      passages: [],
      supportsImages: false,
      toolNames: [],
    });
    expect(system).toContain('Max two sentences.');
    expect(system).not.toContain(DEFAULT_WHATSAPP_GUIDANCE);
    expect(system).toContain('07:00'); // 10:00 UTC in São Paulo (UTC−3)
    expect(system).toContain('The business is closed now.');
    expect(system).toContain('Closed: the reply may be sent as a template');
    expect(system).not.toContain('## Knowledge');
  });

  it('maps the transcript: images when supported, enrichment, agents and private notes', () => {
    const assistant = assistantConfig();
    const transcript = [
      {
        ...customerMessage('Is this covered?', 1),
        attachments: [
          { id: 1, fileType: 'image' as const, dataUrl: null, contentType: 'image/png', data: TINY_PNG },
        ],
      },
      {
        ...customerMessage('', 2),
        attachments: [{ id: 2, fileType: 'audio' as const, dataUrl: null }],
        enrichment: 'the chain keeps slipping',
      },
      {
        messageId: 3,
        author: 'human_agent' as const,
        private: false,
        text: 'Bring it in tomorrow.',
        createdAt: '',
        attachments: [],
      },
      {
        messageId: 4,
        author: 'human_agent' as const,
        private: true,
        text: 'VIP customer',
        createdAt: '',
        attachments: [],
      },
      customerMessage('thanks, what time?', 5),
    ];
    const { turn } = buildTurn(transcript);
    const withImages = assemblePrompt({
      assistant,
      turn,
      passages: [],
      supportsImages: true,
      toolNames: [],
    }).messages;
    expect(withImages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Is this covered?' },
          { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          { type: 'text', text: '[audio attached]\n[content of the attachment] the chain keeps slipping' },
        ],
      },
      { role: 'assistant', text: '[human colleague] Bring it in tomorrow.' },
      { role: 'user', content: [{ type: 'text', text: 'thanks, what time?' }] },
    ]);
    const textOnly = assemblePrompt({
      assistant,
      turn,
      passages: [],
      supportsImages: false,
      toolNames: [],
    }).messages;
    expect(textOnly[0]).toMatchObject({
      content: [{ type: 'text', text: 'Is this covered?\n[image attached]' }, { type: 'text' }],
    });
  });
});
