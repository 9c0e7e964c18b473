/**
 * The message export's media links (SQL over the `message` event's payload), one entry per
 * attachment in the order of `attachment_types`, `|`-separated like it:
 * - `attachment_urls`: Chatwoot's data_url as the webhook gave it (expires after a while);
 * - `attachment_media_paths`: this service's proxy for a customer's image, audio, video or
 *   document (GET with the account's token; re-reads an expired link from Chatwoot), '' for
 *   what it does not serve (locations, contact cards, our own messages).
 */
const ATTACHMENTS = `JSONExtractArrayRaw(payload, 'attachments')`;

export const ATTACHMENT_LINK_COLUMNS: Readonly<Record<string, string>> = {
  attachment_urls: `arrayStringConcat(arrayMap(a -> JSONExtractString(a, 'dataUrl'), ${ATTACHMENTS}), '|') AS attachment_urls`,
  attachment_media_paths: `if(direction = 'inbound', arrayStringConcat(arrayMap((a, i) ->
      if(JSONExtractString(a, 'dataUrl') = '' OR JSONExtractString(a, 'type') NOT IN ('image', 'audio', 'video', 'file'), '',
         concat('/api/conversations/', toString(conversation_id), '/attachments/', toString(message_id), '/', toString(i - 1), '/media')),
      ${ATTACHMENTS}, arrayEnumerate(${ATTACHMENTS})), '|'), '') AS attachment_media_paths`,
};
