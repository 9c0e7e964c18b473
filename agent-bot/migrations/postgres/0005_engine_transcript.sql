-- Up Migration
-- The conversation engine's state. A bot token cannot read Chatwoot's history, so every message
-- the webhooks show is kept here; turns, outgoing reply parts and follow-ups make replies
-- idempotent across crashes and retries.

-- X-Chatwoot-Delivery ids already taken in (Chatwoot job retries reuse the id).
CREATE TABLE engine_webhook_deliveries (
  delivery_id  text PRIMARY KEY,
  account_id   bigint NOT NULL,
  event        text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_webhook_deliveries_received ON engine_webhook_deliveries (received_at);

-- One row per Chatwoot conversation (id = display_id, the id every API path takes).
CREATE TABLE engine_conversations (
  account_id               bigint NOT NULL,
  conversation_id          bigint NOT NULL,
  inbox_id                 bigint NOT NULL,
  assistant                text NOT NULL,
  channel                  text NOT NULL,
  status                   text NOT NULL,
  -- Chatwoot's updated_at of the conversation state we hold: older events never overwrite newer.
  status_version           double precision NOT NULL DEFAULT 0,
  contact                  jsonb NOT NULL DEFAULT '{}',
  -- active: the bot answers; handed_off: a human has it; human_replied: a human spoke in a
  -- pending conversation (the bot steps aside until the conversation is pending again).
  bot_state                text NOT NULL DEFAULT 'active',
  handed_off_at            timestamptz,
  handoff_reason           text,
  -- A handoff the engine still owes (e.g. delivery failed; retried when Chatwoot is back).
  pending_handoff          jsonb,
  -- The bot resumed after the human went silent: move the conversation back to pending first.
  resume_to_pending        boolean NOT NULL DEFAULT false,
  last_customer_message_at timestamptz,
  last_human_message_at    timestamptz,
  consecutive_failures     integer NOT NULL DEFAULT 0,
  -- The lane: one holder at a time processes this conversation (a lease, not a lock, so that no
  -- transaction stays open across a model or Chatwoot call).
  lane_holder              text,
  lane_lease_until         timestamptz,
  lane_dirty               boolean NOT NULL DEFAULT false,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, conversation_id)
);

-- Every message seen: customer, bot, human agent, private notes, templates.
CREATE TABLE engine_messages (
  account_id        bigint NOT NULL,
  message_id        bigint NOT NULL,
  conversation_id   bigint NOT NULL,
  message_type      text NOT NULL,
  author            text NOT NULL,
  sender_type       text,
  sender_id         bigint,
  private           boolean NOT NULL DEFAULT false,
  content_type      text NOT NULL DEFAULT 'text',
  content           text,
  content_attributes jsonb NOT NULL DEFAULT '{}',
  attachments       jsonb NOT NULL DEFAULT '[]',
  source_id         text,
  external_error    text,
  created_at        timestamptz NOT NULL,
  -- Chatwoot's message updated_at we hold, when known (message_updated ordering).
  version           text,
  -- For customer messages: the turn that answered (or is answering) them.
  turn_id           uuid,
  -- Customer messages the bot must not answer (written while a human had the conversation).
  ignored           boolean NOT NULL DEFAULT false,
  -- Media enrichment (voice transcript, image description) kept for later turns' context.
  enrichment        text,
  received_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, message_id)
);
CREATE INDEX engine_messages_conversation ON engine_messages (account_id, conversation_id, created_at, message_id);
CREATE INDEX engine_messages_unanswered ON engine_messages (account_id, conversation_id)
  WHERE author = 'customer' AND turn_id IS NULL AND ignored = false;

CREATE TABLE engine_turns (
  turn_id             uuid PRIMARY KEY,
  account_id          bigint NOT NULL,
  conversation_id     bigint NOT NULL,
  state               text NOT NULL, -- sending | done | failed
  customer_message_ids bigint[] NOT NULL,
  first_customer_message_at timestamptz NOT NULL,
  merge_delay_ms      integer NOT NULL DEFAULT 0,
  queue_delay_ms      integer NOT NULL DEFAULT 0,
  regenerations       integer NOT NULL DEFAULT 0,
  outcome             text,
  handoff             jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  finished_at         timestamptz
);
CREATE INDEX engine_turns_open ON engine_turns (account_id, conversation_id) WHERE state = 'sending';

-- Reply parts: the idempotency key is (turn_id, part). `posting` is committed before the POST,
-- so a crash leaves a trace that recovery reconciles against the webhook echo.
CREATE TABLE engine_outgoing (
  turn_id          uuid NOT NULL,
  part             integer NOT NULL,
  account_id       bigint NOT NULL,
  conversation_id  bigint NOT NULL,
  kind             text NOT NULL, -- text | choices | template | note | file
  request          jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'planned', -- planned | posting | sent | abandoned
  attempts         integer NOT NULL DEFAULT 0,
  posting_since    timestamptz,
  message_id       bigint,
  accepted_at      timestamptz,
  -- Set when this message's delivery failure was already acted on (never loop).
  failure_handled  boolean NOT NULL DEFAULT false,
  purpose          text,
  PRIMARY KEY (turn_id, part)
);
CREATE INDEX engine_outgoing_message ON engine_outgoing (account_id, message_id);

CREATE TABLE engine_follow_ups (
  id               uuid PRIMARY KEY,
  account_id       bigint NOT NULL,
  conversation_id  bigint NOT NULL,
  due_at           timestamptz NOT NULL,
  text             text NOT NULL,
  template         text,
  template_params  jsonb NOT NULL DEFAULT '{}',
  state            text NOT NULL DEFAULT 'scheduled', -- scheduled | sent | cancelled | skipped
  detail           text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX engine_follow_ups_scheduled ON engine_follow_ups (account_id, conversation_id) WHERE state = 'scheduled';

-- Down Migration
DROP TABLE engine_follow_ups;
DROP TABLE engine_outgoing;
DROP TABLE engine_turns;
DROP TABLE engine_messages;
DROP TABLE engine_conversations;
DROP TABLE engine_webhook_deliveries;
