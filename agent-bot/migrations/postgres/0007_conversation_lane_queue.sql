-- Up Migration
-- The conversation lanes become their own queue, on the conversation row (see queue/lane-lease.ts):
-- `work_due_at` is when someone should look at the conversation (NULL: nothing to do). It
-- replaces the per-message pg-boss trigger job and the "dirty" knock: a webhook marks the lane
-- due in the same statement that stores it, and a holder that dies leaves a lane that falls due
-- again when its lease ends.
ALTER TABLE engine_conversations ADD COLUMN work_due_at timestamptz;
-- Failed runs in a row: the next retry backs off exponentially.
ALTER TABLE engine_conversations ADD COLUMN lane_attempts integer NOT NULL DEFAULT 0;
-- lane_dirty stays (unused from here on): agent-bots of the previous version, still running during a
-- rolling upgrade, keep excluding each other and the new ones through lane_holder/lane_lease_until.
-- When a status change last gave the conversation back to the bot (a human handed it back).
ALTER TABLE engine_conversations ADD COLUMN bot_resumed_at timestamptz;
CREATE INDEX engine_conversations_due ON engine_conversations (work_due_at) WHERE work_due_at IS NOT NULL;

-- Work that was waiting for a pg-boss trigger before this migration is due now.
UPDATE engine_conversations c SET work_due_at = now()
 WHERE EXISTS (SELECT 1 FROM engine_messages m
                WHERE m.account_id = c.account_id AND m.conversation_id = c.conversation_id
                  AND m.author = 'customer' AND m.turn_id IS NULL AND m.ignored = false)
    OR EXISTS (SELECT 1 FROM engine_turns t
                WHERE t.account_id = c.account_id AND t.conversation_id = c.conversation_id AND t.state = 'sending')
    OR c.pending_handoff IS NOT NULL;

-- Down Migration
DROP INDEX engine_conversations_due;
ALTER TABLE engine_conversations DROP COLUMN bot_resumed_at;
ALTER TABLE engine_conversations DROP COLUMN lane_attempts;
ALTER TABLE engine_conversations DROP COLUMN work_due_at;
