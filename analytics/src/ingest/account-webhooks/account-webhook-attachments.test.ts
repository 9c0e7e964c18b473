import { describe, expect, it } from 'vitest';
import { switchboardConfigSchema } from '@switchboard/core';
import { analyticsEventSchema } from '@switchboard/events';
import { messageCreated } from '../../testing/chatwoot-payloads.js';
import { eventsFromMessage } from './account-webhook-events.js';
import { messageCreatedSchema } from './account-webhook-payload.js';

const account = switchboardConfigSchema.parse({
  chatwoot: {
    accounts: [{ id: 1, baseUrl: 'https://chat.example.com', bot: { id: 9, accessToken: 'bot-token' } }],
  },
}).chatwoot.accounts[0]!;

describe('account webhooks: attachments of inboxes the bot does not serve', () => {
  it("record Chatwoot's id, URLs and content type for the gallery, and the event validates", () => {
    const data = 'https://chat.example.com/rails/active_storage/blobs/redirect/eyJ/receipt.jpg';
    const payload = messageCreatedSchema.parse({
      ...messageCreated({
        id: 3001,
        messageType: 'incoming',
        content: null,
        conversation: { id: 77, inboxId: 99, channel: 'Channel::WebWidget' },
      }),
      attachments: [
        {
          id: 901,
          file_type: 'image',
          file_size: 48213,
          data_url: data,
          thumb_url: `${data}?thumb`,
          content_type: 'image/jpeg',
        },
        {
          id: 902,
          file_type: 'location',
          coordinates_lat: 51.45,
          coordinates_long: -2.62,
          fallback_title: 'Clifton',
        },
        // A field of the wrong type is dropped, not the message.
        { id: 'x', file_type: 'file', data_url: 42 },
      ],
    });
    const [event] = eventsFromMessage(account, payload);
    const parsed = analyticsEventSchema.parse(event);
    expect(parsed.type === 'message' && parsed.payload.attachments).toEqual([
      {
        type: 'image',
        attachmentId: 901,
        sizeBytes: 48213,
        dataUrl: data,
        thumbUrl: `${data}?thumb`,
        contentType: 'image/jpeg',
        fileName: 'receipt.jpg',
      },
      { type: 'location', attachmentId: 902, fileName: 'Clifton', latitude: 51.45, longitude: -2.62 },
      { type: 'file' },
    ]);
  });
});
