-- Up Migration
-- The call back offered by the bot's handoff message outside business hours, and how far the
-- customer's answer got (engine/steps/capture-callback.ts): 'offered' (the message that offered
-- it was sent), 'asked_again' (they sent digits that are no valid number and were asked once
-- more), 'answered' (their number was saved and confirmed). NULL: no call back was offered (a
-- handoff in business hours, a silent one, or one whose number came with the request), so a
-- number the customer writes later (an order number) is the human's to read. Each handoff sets
-- it afresh; the bot taking the conversation back clears it.
ALTER TABLE engine_conversations ADD COLUMN callback_offer text
  CHECK (callback_offer IN ('offered', 'asked_again', 'answered'));

-- Down Migration
ALTER TABLE engine_conversations DROP COLUMN callback_offer;
