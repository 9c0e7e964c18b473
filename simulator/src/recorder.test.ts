import { describe, expect, it } from 'vitest';
import { createRecorder, type ChannelSendRecord } from './recorder.js';

const send = (messageId: number): ChannelSendRecord => ({
  messageId,
  conversationDisplayId: 1,
  inboxId: 1,
  to: '5511987654321',
  type: 'text',
  body: {},
  outcome: 'sent',
  error: null,
  at: 0,
});

describe('recorder', () => {
  it('keeps everything by default and notifies subscribers', () => {
    const recorder = createRecorder();
    let notified = 0;
    const unsubscribe = recorder.subscribe(() => (notified += 1));
    for (let id = 1; id <= 5; id += 1) recorder.addChannelSend(send(id));
    unsubscribe();
    recorder.addChannelSend(send(6));
    expect(recorder.channelSends).toHaveLength(6);
    expect(notified).toBe(5);
  });

  it('keeps only the newest entries when limited', () => {
    const recorder = createRecorder(() => 3);
    for (let id = 1; id <= 5; id += 1) recorder.addChannelSend(send(id));
    expect(recorder.channelSends.map((record) => record.messageId)).toEqual([3, 4, 5]);
    recorder.clear();
    expect(recorder.channelSends).toHaveLength(0);
  });
});
