import { describe, expect, it } from 'vitest';
import { toolsSchema } from '@switchboard/core/config/tools';
import { fakeConversation, runScriptedTools, testTurn } from '../../assistant/testing/tool-test-kit.js';
import { createScheduleFollowUpTool } from './schedule-follow-up-tool.js';

describe('schedule_follow_up', () => {
  it('hands the follow-up to the engine, with the template for a closed window', async () => {
    const conversation = fakeConversation();
    const tool = createScheduleFollowUpTool({
      followUps: toolsSchema.parse({ followUps: { template: 'follow_up' } }).followUps,
    });
    const { results } = await runScriptedTools(
      [tool],
      [
        [
          {
            name: 'schedule_follow_up',
            arguments: { at: '2026-03-02T09:00:00+01:00', message: 'Any news on your delivery?' },
          },
        ],
      ],
      testTurn(conversation),
    );
    expect(results[0]).toEqual({ scheduled: true, id: 'followup-1', at: '2026-03-02T08:00:00.000Z' });
    expect(conversation.followUps).toEqual([
      {
        id: 'followup-1',
        at: new Date('2026-03-02T08:00:00Z'),
        text: 'Any news on your delivery?',
        template: 'follow_up',
        templateParams: { '1': 'Any news on your delivery?' },
      },
    ]);
  });

  it.each([
    ['tomorrow at 9', 'ISO date-time with an offset'],
    ['2026-03-02T09:00:00', 'ISO date-time with an offset'],
    ['2026-02-28T09:00:00Z', 'must be in the future'],
    ['2026-06-01T09:00:00Z', 'within 14 days'],
    ['2026-02-30T09:00:00Z', 'real ISO date-time'],
  ])('refuses at=%s', async (at, error) => {
    const conversation = fakeConversation();
    const tool = createScheduleFollowUpTool({ followUps: toolsSchema.parse({}).followUps });
    const { results } = await runScriptedTools(
      [tool],
      [[{ name: 'schedule_follow_up', arguments: { at, message: 'Hi' } }]],
      testTurn(conversation),
    );
    expect(results[0]).toMatchObject({ scheduled: false, error: expect.stringContaining(error) });
    expect(conversation.followUps).toEqual([]);
  });

  it('reports an engine failure as a tool error', async () => {
    const conversation = fakeConversation();
    conversation.failNextWith = new Error('queue unavailable');
    const tool = createScheduleFollowUpTool({ followUps: toolsSchema.parse({}).followUps });
    const { events } = await runScriptedTools(
      [tool],
      [[{ name: 'schedule_follow_up', arguments: { at: '2026-03-02T09:00:00Z', message: 'Hi' } }]],
      testTurn(conversation),
    );
    expect(events[0]).toMatchObject({
      payload: { tool: 'schedule_follow_up', outcome: 'error', arguments: { at: '***', message: '***' } },
    });
  });
});
