import { describe, expect, it } from 'vitest';
import type { HandoffRequest } from '../../responder/responder.js';
import { fakeConversation, testAssistant, testTurn } from '../../assistant/testing/tool-test-kit.js';
import { createHandoffTool } from './handoff-tool.js';
import { findCallbackNumber } from './callback.js';

async function callTool(args: Record<string, unknown>, phone = '+447700900123') {
  const requested: HandoffRequest[] = [];
  const turn = testTurn(fakeConversation(), {
    customer: { contactId: 1, name: 'Tom', phone, email: null, attributes: {} },
  });
  const tool = createHandoffTool();
  const result = await tool.execute(tool.parameters.parse(args), {
    turn,
    assistant: testAssistant({ language: 'pt-BR' }),
    signal: turn.signal,
    requestHandoff: (request) => requested.push(request),
    emit: () => undefined,
  });
  return { result, requested };
}

describe('handoff_to_human with a call back', () => {
  it("validates the number in the customer's own country and hands off with it", async () => {
    const { result, requested } = await callTool({
      summary: 'Wants to change a booking; asked to be called back.',
      callbackNumber: '07911 123456',
      callbackAt: '2026-03-02T10:00:00+00:00',
    });
    expect(result).toEqual({
      handedOff: true,
      callback: { number: '+447911123456', at: '2026-03-02T10:00:00.000Z' },
    });
    expect(requested[0]).toMatchObject({
      reason: 'model_tool',
      callback: { number: '+447911123456', at: '2026-03-02T10:00:00.000Z' },
    });
  });

  it.each([
    [{ callbackNumber: '07911 1234' }, 'callbackNumber'],
    [{ callbackNumber: '07911 123456', callbackAt: 'tomorrow at 10' }, 'callbackAt'],
    [{ callbackNumber: '07911 123456', callbackAt: '2026-02-01T10:00:00+00:00' }, 'callbackAt'],
  ])('%j is asked again, without handing off', async (extra, field) => {
    const { result, requested } = await callTool({ summary: 'Wants a call back.', ...extra });
    expect(result).toMatchObject({ handedOff: false, invalid: { [field]: expect.any(String) } });
    expect(requested).toEqual([]);
  });

  it('without a call back it hands off as before', async () => {
    const { result, requested } = await callTool({ summary: 'Upset about a late delivery.' });
    expect(result).toEqual({ handedOff: true });
    expect(requested[0]).not.toHaveProperty('callback');
  });
});

describe('findCallbackNumber', () => {
  it.each([
    [['call me on 07911 123456 please'], '+447700900123', '+447911123456'],
    [['meu número é (21) 98765-4321'], '+5511987654321', '+5521987654321'],
    [['ruf mich an: 030 901820'], '+4915112345678', '+4930901820'],
    [['order 12345 is late'], '+447700900123', null],
    [['+34 699 123 456', 'thanks'], '+447700900123', '+34699123456'],
  ])('%j from %s → %s', (texts, phone, expected) => {
    expect(findCallbackNumber(texts, phone, 'en')).toBe(expected);
  });
});
