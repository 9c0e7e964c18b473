import { describe, expect, it } from 'vitest';
import { analyticsEventSchema } from '@switchboard/events';
import { attachmentRecord } from './attachment-record.js';
import { attachmentSchema } from './chatwoot-payloads.js';

describe('attachmentRecord', () => {
  it("keeps Chatwoot's id, URLs, type, size and the file name from data_url", () => {
    const record = attachmentRecord(
      attachmentSchema.parse({
        id: 77,
        file_type: 'file',
        data_url: 'https://chat.example.com/rails/active_storage/blobs/redirect/abc/invoice%20may.pdf',
        thumb_url: '',
        file_size: 48_213,
        content_type: 'application/pdf',
      }),
    );
    expect(record).toEqual({
      type: 'file',
      attachmentId: 77,
      sizeBytes: 48_213,
      dataUrl: 'https://chat.example.com/rails/active_storage/blobs/redirect/abc/invoice%20may.pdf',
      contentType: 'application/pdf',
      fileName: 'invoice may.pdf',
    });
  });

  it('a location keeps its title and coordinates, and the message event validates', () => {
    const record = attachmentRecord(
      attachmentSchema.parse({
        id: 5,
        file_type: 'location',
        fallback_title: 'Clifton, Bristol',
        coordinates_lat: 51.4545,
        coordinates_long: -2.6186,
      }),
    );
    expect(record).toMatchObject({ type: 'location', fileName: 'Clifton, Bristol', latitude: 51.4545 });
    const event = analyticsEventSchema.parse({
      id: '00000000-0000-4000-8000-000000000001',
      occurredAt: '2026-12-03T10:00:00Z',
      accountId: 1,
      conversationId: 2,
      type: 'message',
      payload: {
        messageId: 3,
        direction: 'inbound',
        author: 'customer',
        contentType: 'text',
        attachments: [record],
      },
    });
    expect(event.type === 'message' && event.payload.attachments[0]?.longitude).toBe(-2.6186);
  });
});
