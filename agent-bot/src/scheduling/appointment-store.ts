import { randomInt } from 'node:crypto';
import type pg from 'pg';
import type { BusyRange, Slot } from './availability.js';

/**
 * The bookings table. Every write is one statement or one short transaction; the exclusion
 * constraint `tools_appointments_no_overlap` turns a concurrent double booking into SQLSTATE
 * 23P01, which surfaces here as `SlotTakenError`.
 */
export interface Appointment {
  id: string;
  code: string;
  service: string;
  resource: string;
  start: Date;
  end: Date;
  status: 'booked' | 'cancelled' | 'rescheduled';
  accountId: number;
  conversationId: number;
  contactId: number | null;
  assistant: string;
  reminderIds: string[];
  sequence: number;
  rescheduledFrom: string | null;
}

export interface BookingOwner {
  accountId: number;
  conversationId: number;
  contactId: number | null;
  assistant: string;
}

export class SlotTakenError extends Error {
  constructor() {
    super('That time is no longer free.');
    this.name = 'SlotTakenError';
  }
}

const EXCLUSION_VIOLATION = '23P01';
// No 0/O/1/I: codes are read out and typed by customers.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newBookingCode(): string {
  let code = '';
  for (let i = 0; i < 6; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

interface Row {
  id: string;
  code: string;
  service_key: string;
  resource_key: string;
  starts_at: Date;
  ends_at: Date;
  status: Appointment['status'];
  account_id: string;
  conversation_id: string;
  contact_id: string | null;
  assistant: string;
  reminder_ids: string[];
  sequence: number;
  rescheduled_from: string | null;
}

const COLUMNS = `id, code, service_key, resource_key, starts_at, ends_at, status, account_id, conversation_id,
  contact_id, assistant, reminder_ids, sequence, rescheduled_from`;

function fromRow(row: Row): Appointment {
  return {
    id: row.id,
    code: row.code,
    service: row.service_key,
    resource: row.resource_key,
    start: row.starts_at,
    end: row.ends_at,
    status: row.status,
    accountId: Number(row.account_id),
    conversationId: Number(row.conversation_id),
    contactId: row.contact_id === null ? null : Number(row.contact_id),
    assistant: row.assistant,
    reminderIds: row.reminder_ids,
    sequence: row.sequence,
    rescheduledFrom: row.rescheduled_from,
  };
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export class AppointmentStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Live bookings' blocked ranges that touch [from, until), for proposing free slots. */
  async busyRanges(resources: string[], from: Date, until: Date): Promise<BusyRange[]> {
    const result = await this.pool.query<{ resource_key: string; blocked_from: Date; blocked_until: Date }>(
      `SELECT resource_key, blocked_from, blocked_until FROM tools_appointments
        WHERE status = 'booked' AND resource_key = ANY($1::text[])
          AND blocked_from < $3 AND blocked_until > $2`,
      [resources, from, until],
    );
    return result.rows.map((r) => ({
      resource: r.resource_key,
      from: r.blocked_from,
      until: r.blocked_until,
    }));
  }

  async book(slot: Slot, owner: BookingOwner): Promise<Appointment> {
    return this.insert(this.pool, slot, owner, null, 0);
  }

  /**
   * Moves a booking: the old row stops blocking and the new one is inserted in one
   * transaction, so a slot that overlaps the booking's own old time can be taken, and a
   * conflict leaves the old booking untouched.
   */
  async reschedule(existing: Appointment, slot: Slot): Promise<Appointment> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const moved = await client.query(
        `UPDATE tools_appointments SET status = 'rescheduled', updated_at = now()
          WHERE id = $1 AND status = 'booked'`,
        [existing.id],
      );
      if (moved.rowCount !== 1) throw new Error('The appointment is no longer booked.');
      const owner = {
        accountId: existing.accountId,
        conversationId: existing.conversationId,
        contactId: existing.contactId,
        assistant: existing.assistant,
      };
      const created = await this.insert(
        client,
        slot,
        owner,
        existing.id,
        existing.sequence + 1,
        existing.code,
      );
      await client.query('COMMIT');
      return created;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async cancel(id: string): Promise<Appointment | null> {
    const result = await this.pool.query<Row>(
      `UPDATE tools_appointments SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
        WHERE id = $1 AND status = 'booked' RETURNING ${COLUMNS}`,
      [id],
    );
    return result.rows[0] ? fromRow(result.rows[0]) : null;
  }

  async setReminders(id: string, reminderIds: string[]): Promise<void> {
    await this.pool.query(`UPDATE tools_appointments SET reminder_ids = $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(reminderIds),
    ]);
  }

  /** A live booking by its code, only if it belongs to this contact (or, without one, this conversation). */
  async findOwned(code: string, owner: BookingOwner): Promise<Appointment | null> {
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM tools_appointments
        WHERE code = $1 AND status = 'booked' AND account_id = $2
          AND (contact_id = $3 OR (contact_id IS NULL AND conversation_id = $4))`,
      [code.trim().toUpperCase(), owner.accountId, owner.contactId, owner.conversationId],
    );
    return result.rows[0] ? fromRow(result.rows[0]) : null;
  }

  async upcomingOwned(owner: BookingOwner, now: Date): Promise<Appointment[]> {
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM tools_appointments
        WHERE status = 'booked' AND account_id = $1 AND ends_at > $4
          AND (contact_id = $2 OR (contact_id IS NULL AND conversation_id = $3))
        ORDER BY starts_at LIMIT 10`,
      [owner.accountId, owner.contactId, owner.conversationId, now],
    );
    return result.rows.map(fromRow);
  }

  /** Live bookings in a range, for the iCalendar export. */
  async listBooked(from: Date, until: Date, resource?: string): Promise<Appointment[]> {
    const result = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM tools_appointments
        WHERE status = 'booked' AND starts_at < $2 AND ends_at > $1 AND ($3::text IS NULL OR resource_key = $3)
        ORDER BY starts_at`,
      [from, until, resource ?? null],
    );
    return result.rows.map(fromRow);
  }

  private async insert(
    db: Queryable,
    slot: Slot,
    owner: BookingOwner,
    rescheduledFrom: string | null,
    sequence: number,
    code = newBookingCode(),
  ): Promise<Appointment> {
    try {
      // The resource row is created on first use without a lock held into the booking, so that
      // concurrent bookings really race and only the exclusion constraint decides.
      await db.query(
        `INSERT INTO tools_appointment_resources (resource_key) VALUES ($1) ON CONFLICT (resource_key) DO NOTHING`,
        [slot.resource],
      );
      const result = await db.query<Row>(
        `INSERT INTO tools_appointments (code, resource_id, resource_key, service_key, starts_at, ends_at,
           blocked_from, blocked_until, account_id, conversation_id, contact_id, assistant, rescheduled_from, sequence)
         SELECT $2, r.id, $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
           FROM tools_appointment_resources r WHERE r.resource_key = $1
         RETURNING ${COLUMNS}`,
        [
          slot.resource,
          code,
          slot.service,
          slot.start,
          slot.end,
          slot.blockedFrom,
          slot.blockedUntil,
          owner.accountId,
          owner.conversationId,
          owner.contactId,
          owner.assistant,
          rescheduledFrom,
          sequence,
        ],
      );
      return fromRow(result.rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === EXCLUSION_VIOLATION) throw new SlotTakenError();
      throw error;
    }
  }
}
