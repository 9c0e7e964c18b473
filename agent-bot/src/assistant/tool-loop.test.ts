import { analyticsEventSchema } from '@switchboard/events';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ScriptedLanguageModel } from '../llm/scripted-language-model.js';
import { createHandoffTool } from '../tools/handoff/handoff-tool.js';
import { defineTool, toToolDefinition } from '../tools/tool.js';
import { assistantConfig, buildTurn } from './testing/build-turn.js';
import { runToolLoop } from './tool-loop.js';

const lookupOrder = defineTool({
  name: 'lookup_order',
  description: 'Find an order',
  parameters: z.strictObject({ orderId: z.string().regex(/^\d{4}$/), email: z.string().email().optional() }),
  async execute(args) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { orderId: args.orderId, status: 'shipped' };
  },
});
const failing = defineTool({
  name: 'failing_tool',
  description: 'Always fails',
  parameters: z.strictObject({}),
  async execute() {
    throw new Error('backend unavailable');
  },
});

function loop(model: ScriptedLanguageModel, maxSteps = 5) {
  const { turn, events } = buildTurn('Where is order 1234?');
  const assistant = assistantConfig();
  const run = runToolLoop({
    generate: (request) => model.generate(request),
    request: {
      system: 'sys',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Where is order 1234?' }] }],
    },
    tools: [lookupOrder, failing, createHandoffTool()],
    maxSteps,
    signal: new AbortController().signal,
    toolContext: { turn, assistant, emit: turn.emit },
  });
  return { run, events };
}

describe('runToolLoop', () => {
  it('sends tools as JSON Schema from zod', () => {
    expect(toToolDefinition(lookupOrder)).toEqual({
      name: 'lookup_order',
      description: 'Find an order',
      parameters: {
        type: 'object',
        properties: {
          orderId: { type: 'string', pattern: '^\\d{4}$' },
          email: { type: 'string', format: 'email', pattern: expect.any(String) },
        },
        required: ['orderId'],
        additionalProperties: false,
      },
    });
  });

  it('runs parallel tool calls concurrently and gives the results back to the model', async () => {
    const model = new ScriptedLanguageModel({
      steps: [
        {
          toolCalls: [
            { id: 'a', name: 'lookup_order', arguments: { orderId: '1234' } },
            { id: 'b', name: 'lookup_order', arguments: { orderId: '5678' } },
          ],
        },
        { text: 'Both orders have shipped.' },
      ],
    });
    const started = performance.now();
    const { run, events } = loop(model);
    const result = await run;
    expect(performance.now() - started).toBeLessThan(95); // two 50 ms tools in parallel
    expect(result).toMatchObject({ text: 'Both orders have shipped.', steps: 2, stoppedBy: 'answer' });
    expect(model.calls[1]!.messages.at(-1)).toEqual({
      role: 'tool',
      results: [
        { toolCallId: 'a', name: 'lookup_order', content: { orderId: '1234', status: 'shipped' } },
        { toolCallId: 'b', name: 'lookup_order', content: { orderId: '5678', status: 'shipped' } },
      ],
    });
    expect(model.calls[0]!.tools?.map((t) => t.name)).toEqual([
      'lookup_order',
      'failing_tool',
      'handoff_to_human',
    ]);
    expect(events.map((e) => e.type)).toEqual(['tool_call', 'tool_call']);
    const event = analyticsEventSchema.parse(events[0]);
    expect(event.type === 'tool_call' && event.payload).toMatchObject({
      tool: 'lookup_order',
      outcome: 'ok',
      arguments: { orderId: '***' },
      turnId: 'turn-1',
    });
  });

  it('returns invalid arguments, unknown tools, broken JSON and tool failures to the model as errors', async () => {
    const model = new ScriptedLanguageModel({
      steps: [
        {
          toolCalls: [
            { id: '1', name: 'lookup_order', arguments: { orderId: 'abc', email: 'not-an-email' } },
            { id: '2', name: 'cancel_order', arguments: {} },
            { id: '3', name: 'lookup_order', arguments: '{"orderId": "12' },
            { id: '4', name: 'failing_tool', arguments: {} },
          ],
        },
        { toolCalls: [{ id: '5', name: 'lookup_order', arguments: { orderId: '1234' } }] },
        { text: 'Order 1234 has shipped.' },
      ],
    });
    const { run, events } = loop(model);
    const result = await run;
    expect(result.text).toBe('Order 1234 has shipped.');
    const toolMessage = model.calls[1]!.messages.at(-1);
    expect(toolMessage?.role).toBe('tool');
    const results = toolMessage?.role === 'tool' ? toolMessage.results : [];
    expect(results.every((r) => r.isError)).toBe(true);
    expect(JSON.stringify(results[0]!.content)).toMatch(/orderId.*email/);
    expect((results[1]!.content as { error: string }).error).toMatch(/Unknown tool "cancel_order"/);
    expect(JSON.stringify(results[2]!.content)).toMatch(/not valid JSON/);
    expect(JSON.stringify(results[3]!.content)).toMatch(/backend unavailable/);
    const outcomes = events.map((e) => (e.type === 'tool_call' ? e.payload.outcome : null));
    expect(outcomes).toEqual(['invalid_arguments', 'invalid_arguments', 'invalid_arguments', 'error', 'ok']);
  });

  it('stops at the step limit when the model keeps calling tools', async () => {
    const model = new ScriptedLanguageModel({
      steps: [
        {
          text: 'Let me check.',
          toolCalls: [{ id: 'x', name: 'lookup_order', arguments: { orderId: '1234' } }],
        },
      ],
    });
    const result = await loop(model, 3).run;
    expect(result).toMatchObject({ stoppedBy: 'step_limit', steps: 3, text: 'Let me check.' });
    expect(model.calls).toHaveLength(3);
  });

  it('ends the turn when the model hands off', async () => {
    const model = new ScriptedLanguageModel({
      steps: [
        {
          toolCalls: [
            {
              id: 'h',
              name: 'handoff_to_human',
              arguments: {
                summary: 'Customer wants a refund for order 1234.',
                customerMessage: 'A colleague will help you.',
              },
            },
          ],
        },
      ],
    });
    const result = await loop(model).run;
    expect(result.stoppedBy).toBe('handoff');
    expect(result.handoff).toEqual({
      reason: 'model_tool',
      summary: 'Customer wants a refund for order 1234.',
      customerMessage: 'A colleague will help you.',
    });
    expect(model.calls).toHaveLength(1);
  });
});
