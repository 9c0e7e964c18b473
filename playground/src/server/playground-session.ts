import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PlaygroundSeed } from './seed-playground.js';

/**
 * Who the page is talking as, and in which inbox. Kept beside the simulator's state (when the
 * playground has a data dir), so that after a restart the page goes on as the same customer in
 * the same conversation instead of a stranger.
 */
export interface PlaygroundCustomer {
  /** WhatsApp: the phone (E.164). */
  phone: string;
  name: string;
  /** Website: what the pre-chat form collected. */
  email: string;
  /** Website: the widget's cookie (the contact inbox source id). */
  visitorId: string;
}

export interface PlaygroundSessionState {
  inboxId: number;
  customer: PlaygroundCustomer;
}

const SESSION_FILE = 'playground-session.json';
const sessionSchema = z.object({
  inboxId: z.number().int().positive(),
  customer: z.object({
    phone: z.string().regex(/^\+\d{6,15}$/),
    name: z.string().min(1).max(100),
    email: z.string().email(),
    visitorId: z.string().uuid(),
  }),
});

export type SeededInbox = PlaygroundSeed['inboxes'][number];

export interface PlaygroundSession {
  current(): { seed: PlaygroundSeed; inbox: SeededInbox; customer: PlaygroundCustomer };
  /** A new customer, in `inboxId`'s inbox when given (else the current one). */
  startNew(inboxId: number | undefined): { inbox: SeededInbox; customer: PlaygroundCustomer };
}

/**
 * `known(customer)`: the simulator already has this phone or e-mail. Its rows survive restarts,
 * so a "new customer" drawn from the 1,000 fictitious numbers would otherwise soon continue an
 * old customer's conversation.
 */
export function createPlaygroundSession(
  seed: () => PlaygroundSeed,
  dataDir?: string,
  known: (customer: PlaygroundCustomer) => boolean = () => false,
): PlaygroundSession {
  const unusedCustomer = (): PlaygroundCustomer => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const customer = newCustomer();
      if (!known(customer)) return customer;
    }
    // All 1,000 taken: the rest of 07700 (100000-899999, never the 900xxx range tried above).
    for (;;) {
      const customer = newCustomer(String(randomInt(100_000, 900_000)));
      if (!known(customer)) return customer;
    }
  };
  let state: { seed: PlaygroundSeed; inbox: SeededInbox; customer: PlaygroundCustomer } | null = null;
  const file = dataDir ? path.join(dataDir, SESSION_FILE) : null;
  const save = (): void => {
    if (!file || !state) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const body: PlaygroundSessionState = { inboxId: state.inbox.inbox.id, customer: state.customer };
    fs.writeFileSync(file, JSON.stringify(body));
  };
  const current = () => {
    if (state) return state;
    const seeded = seed();
    const first = seeded.inboxes[0];
    if (!first)
      throw new Error('the playground needs at least one configured inbox (chatwoot.accounts[0].inboxes)');
    const restored = file ? readSession(file) : null;
    const inbox = seeded.inboxes.find((entry) => entry.inbox.id === restored?.inboxId);
    state =
      restored && inbox
        ? { seed: seeded, inbox, customer: restored.customer }
        : { seed: seeded, inbox: first, customer: unusedCustomer() };
    save();
    return state;
  };
  return {
    current,
    startNew(inboxId) {
      const now = current();
      const inbox = now.seed.inboxes.find((entry) => entry.inbox.id === inboxId) ?? now.inbox;
      state = { ...now, inbox, customer: unusedCustomer() };
      save();
      return state;
    },
  };
}

function readSession(file: string): PlaygroundSessionState | null {
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const NAMES = ['Sam Taylor', 'Priya Shah', 'Jamie Evans', 'Tom Hughes', 'Chloe Martin', 'Ola Nowak'];

/**
 * A fictitious UK mobile number (Ofcom's drama range 07700 900xxx; `digits` replaces the last
 * three when those are used up), a name and an example.com e-mail.
 */
export function newCustomer(digits?: string): PlaygroundCustomer {
  const name = NAMES[randomInt(0, NAMES.length)]!;
  const number = digits ?? String(randomInt(0, 1000)).padStart(3, '0');
  return {
    phone: `+447700${digits ? number : `900${number}`}`,
    name,
    email: `${name.toLowerCase().replace(/\s+/g, '.')}.${number}@example.com`,
    visitorId: randomUUID(),
  };
}
