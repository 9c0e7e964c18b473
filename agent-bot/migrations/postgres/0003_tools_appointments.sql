-- Up Migration
-- Appointments booked by the assistant's tools (agent-bot/src/scheduling). Services, resources
-- and hours live in config; only bookings are stored. No double booking is PostgreSQL's job:
-- an exclusion constraint on (resource, blocked time range) over live bookings, so two
-- concurrent transactions can never both commit overlapping bookings, whatever the app does.

-- Resource keys get a number because the constraint compares resources as one-point int8
-- ranges: range types have GiST support built in, so no btree_gist extension is needed
-- (PGlite, local mode, does not load it).
CREATE TABLE tools_appointment_resources (
  id            bigserial PRIMARY KEY,
  resource_key  text NOT NULL UNIQUE
);

CREATE TABLE tools_appointments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Short code the customer quotes to reschedule or cancel (kept across a reschedule).
  code             text NOT NULL,
  resource_id      bigint NOT NULL REFERENCES tools_appointment_resources (id),
  resource_key     text NOT NULL,
  service_key      text NOT NULL,
  starts_at        timestamptz NOT NULL,
  ends_at          timestamptz NOT NULL,
  -- starts_at − buffer before … ends_at + buffer after: what the constraint protects.
  blocked_from     timestamptz NOT NULL,
  blocked_until    timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'rescheduled')),
  account_id       bigint NOT NULL,
  conversation_id  bigint NOT NULL,
  contact_id       bigint,
  assistant        text NOT NULL,
  -- Follow-up ids of the reminders the engine holds for this booking (cancelled with it).
  reminder_ids     jsonb NOT NULL DEFAULT '[]',
  rescheduled_from uuid REFERENCES tools_appointments (id),
  -- iCalendar SEQUENCE: bumped on every change so calendars replace the event.
  sequence         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at < ends_at AND blocked_from <= starts_at AND ends_at <= blocked_until),
  CONSTRAINT tools_appointments_no_overlap EXCLUDE USING gist (
    int8range(resource_id, resource_id, '[]') WITH &&,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
  ) WHERE (status = 'booked')
);

CREATE UNIQUE INDEX tools_appointments_live_code ON tools_appointments (code) WHERE status = 'booked';
CREATE INDEX tools_appointments_contact ON tools_appointments (account_id, contact_id, starts_at);
CREATE INDEX tools_appointments_conversation ON tools_appointments (account_id, conversation_id, starts_at);

-- Down Migration
DROP TABLE tools_appointments;
DROP TABLE tools_appointment_resources;
