import { describe, expect, it } from 'vitest';
import type { PlaygroundSeed } from './seed-playground.js';
import { createPlaygroundSession, type PlaygroundCustomer } from './playground-session.js';

/**
 * "New customer" must be new: the simulator keeps its contacts across restarts, and with 1,000
 * fictitious numbers drawn at random, about one in two new customers after 37 had reused an old
 * customer's number (and so continued that customer's conversation).
 */
const seed = (): PlaygroundSeed =>
  ({
    accountId: 1,
    accountName: 'Riverside Bikes',
    inboxes: [{ inbox: { id: 1 } }],
  }) as unknown as PlaygroundSeed;

describe('playground session: new customers', () => {
  it('never hands out a phone number or e-mail the simulator already knows', () => {
    const known = new Set<string>();
    const isKnown = (c: PlaygroundCustomer) => known.has(c.phone) || known.has(c.email);
    const session = createPlaygroundSession(seed, undefined, isKnown);
    for (let i = 0; i < 300; i++) {
      const { customer } = session.startNew(undefined);
      expect(isKnown(customer), `customer ${i}: ${customer.phone}`).toBe(false);
      known.add(customer.phone);
      known.add(customer.email);
    }
  });

  it('leaves the drama range when all of it is taken', () => {
    const session = createPlaygroundSession(seed, undefined, (c) => c.phone.startsWith('+447700900'));
    const { customer } = session.startNew(undefined);
    expect(customer.phone).toMatch(/^\+447700\d{6}$/);
    expect(customer.phone.startsWith('+447700900')).toBe(false);
  });
});
