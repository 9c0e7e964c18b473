-- Up Migration
-- Where a conversation's status came from (store/conversation-rules.ts, "status order"): the
-- updated_at of the newest conversation_* event whose status we hold, or NULL while the status
-- only came from message events. A message event's conversation snapshot can be stale with the
-- newest updated_at (Chatwoot touches updated_at when it creates a message), so once a
-- conversation event has set the status, only a newer-or-equal conversation event changes it.
-- status_version stays the newest updated_at any delivery showed (it orders the contact).
ALTER TABLE engine_conversations ADD COLUMN status_event_version double precision;

-- Down Migration
ALTER TABLE engine_conversations DROP COLUMN status_event_version;
