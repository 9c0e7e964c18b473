import { storableJson } from '../src/webhook/storable-json.js';
import type { Harness } from './harness.js';
import { FIXTURE, fixturePayload, type Payload } from './signed-webhooks.js';

/**
 * Seeded mutations of every agent-bot payload shape, for the webhook fuzz test: structure
 * (missing keys, wrong types, null arrays, deep nesting, impossible dates, huge strings) and
 * text (NUL, lone surrogates in values and keys), then, for some, the bytes themselves.
 */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, below: number): number => Math.floor(random() * below);

/** Every shape Chatwoot posts to an agent bot (and two it posts only to account webhooks). */
export function payloadShapes(h: Harness): Record<string, Payload> {
  const text = (patch: (p: Payload) => void) => inOpen(fixturePayload(h, FIXTURE.text, patch));
  const botSender = { id: h.botId, name: 'Helper', type: 'agent_bot' };
  const image = {
    id: 901,
    message_id: 1,
    file_type: 'image',
    account_id: h.accountId,
    extension: 'jpg',
    content_type: 'image/jpeg',
    data_url: `${h.sim.url}/rails/active_storage/blobs/redirect/x/photo.jpg`,
    thumb_url: `${h.sim.url}/rails/active_storage/blobs/redirect/x/photo.jpg`,
    file_size: 2048,
    width: 640,
    height: 480,
  };
  const conversation = fixturePayload(h, FIXTURE.statusChanged);
  // Message shapes in open conversations: the lane looks and leaves them to the human, so the
  // machine's two cores go to the intake under test rather than to turns.
  const inOpen = (payload: Payload): Payload => {
    payload.conversation.status = 'open';
    return payload;
  };
  return {
    message_created_incoming_text: text(() => undefined),
    message_created_incoming_voice: inOpen(fixturePayload(h, FIXTURE.voice)),
    message_created_incoming_image: text((p) => {
      p.content = null;
      p.attachments = [null, image];
    }),
    message_created_outgoing_bot: text((p) => {
      p.message_type = 'outgoing';
      p.sender = botSender;
      p.source_id = null;
    }),
    message_created_outgoing_human: text((p) => {
      p.message_type = 'outgoing';
      p.sender = { id: h.agentId, name: 'Ana', email: 'ana@example.com', type: 'user' };
    }),
    message_created_private_note: text((p) => {
      p.message_type = 'outgoing';
      p.private = true;
      p.sender = { id: h.agentId, name: 'Ana', type: 'user' };
    }),
    message_created_template: text((p) => {
      p.message_type = 'template';
      p.sender = null;
      p.content_type = 'input_csat';
    }),
    message_created_coexistence_echo: text((p) => {
      p.message_type = 'outgoing';
      p.sender = null;
      p.content_attributes = { external_echo: true };
    }),
    message_updated_failed_reply: inOpen(
      fixturePayload(h, FIXTURE.failedReply, (p) => (p.sender = botSender)),
    ),
    message_updated_transcribed: inOpen(
      fixturePayload(h, FIXTURE.voice, (p) => {
        p.event = 'message_updated';
        p.attachments[0].transcribed_text = 'quero marcar um horário';
      }),
    ),
    conversation_status_changed: conversation,
    conversation_updated: {
      ...structuredClone(conversation),
      event: 'conversation_updated',
      changed_attributes: [{ status: { previous_value: 'pending', current_value: 'open' } }],
    },
    conversation_opened: {
      ...structuredClone(conversation),
      event: 'conversation_opened',
      changed_attributes: null,
    },
    conversation_resolved: {
      ...structuredClone(conversation),
      event: 'conversation_resolved',
      status: 'resolved',
      changed_attributes: null,
    },
    conversation_created: { ...structuredClone(conversation), event: 'conversation_created' },
    webwidget_triggered: {
      event: 'webwidget_triggered',
      id: 55,
      contact: structuredClone(conversation.meta.sender),
      inbox: { id: h.inboxId, name: 'WhatsApp' },
      account: { id: h.accountId, name: 'Acme' },
      current_conversation: null,
      source_id: '5511987654321',
      event_info: { initiated_at: { timestamp: 'Mon Jun 22 2026' }, referer: 'https://shop.example.com' },
    },
  };
}

const DEEP_LEVELS = [8, 63, 64, 65, 200, 5_000, 20_000];
const IMPOSSIBLE_DATES = [
  'not-a-date',
  1e20,
  -1,
  '2026-02-30T10:00:00.000Z',
  '2026-13-01T00:00:00Z',
  '2026-06-20T24:61:00Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '',
  null,
];
const WRONG_TYPES = [null, 0, -1, 1.5, 2 ** 53, 1e308, true, false, 'text', '', [], {}, [null], { id: 'x' }];

/** A marker that serialising replaces with `levels` nested arrays or objects (JSON.stringify recurses). */
const DEEP_MARKER = /"~fuzz-deep:(\d+):(array|object)~"/g;
function deeplyNested(levels: number, random: Random): string {
  return `~fuzz-deep:${levels}:${random() < 0.5 ? 'array' : 'object'}~`;
}
function expandDeep(text: string): string {
  return text.replace(DEEP_MARKER, (_m, levels: string, kind: string) => {
    const n = Number(levels);
    return kind === 'array' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"k":'.repeat(n)}1${'}'.repeat(n)}`;
  });
}

function sprinkle(text: string, random: Random, bad: string): string {
  const at = int(random, text.length + 1);
  return text.slice(0, at) + bad + text.slice(at);
}

interface Slot {
  parent: Record<string, unknown> | unknown[];
  key: string | number;
}

/** Every (parent, key) in the tree, found with a stack (a mutation may already have nested it deep). */
function slots(root: unknown, limit = 5_000): Slot[] {
  const found: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && found.length < limit) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((v, i) => [i, v])
      : Object.entries(node);
    for (const [key, value] of entries) {
      found.push({ parent: node as Slot['parent'], key });
      stack.push(value);
    }
  }
  return found;
}

const get = (slot: Slot): unknown => (slot.parent as Record<string | number, unknown>)[slot.key];
const set = (slot: Slot, value: unknown): void => {
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
};

type Mutation = (root: Payload, random: Random) => string;

const MUTATIONS: Record<string, Mutation> = {
  missingField(root, random) {
    const slot = pick(random, slots(root));
    if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
    else delete slot.parent[slot.key as string];
    return 'missing field';
  },
  wrongType(root, random) {
    set(pick(random, slots(root)), structuredClone(pick(random, WRONG_TYPES)));
    return 'wrong type';
  },
  nulInText(root, random) {
    const strings = slots(root).filter((slot) => typeof get(slot) === 'string');
    if (strings.length === 0) return 'nul (no strings)';
    const slot = pick(random, strings);
    set(slot, sprinkle(get(slot) as string, random, '\u0000'));
    return 'NUL in text';
  },
  loneSurrogate(root, random) {
    const strings = slots(root).filter((slot) => typeof get(slot) === 'string');
    if (strings.length === 0) return 'surrogate (no strings)';
    const slot = pick(random, strings);
    set(slot, sprinkle(get(slot) as string, random, pick(random, ['\ud800', '\udbff', '\udc00', '\udfff'])));
    return 'lone surrogate in text';
  },
  badKey(root, random) {
    const keyed = slots(root).filter((slot) => !Array.isArray(slot.parent));
    const slot = pick(random, keyed);
    const parent = slot.parent as Record<string, unknown>;
    const value = parent[slot.key as string];
    delete parent[slot.key as string];
    parent[sprinkle(String(slot.key), random, pick(random, ['\u0000', '\ud800', '\udfff']))] = value;
    return 'NUL or lone surrogate in a key';
  },
  hugeString(root, random) {
    const slot = pick(random, slots(root));
    // Mostly under the 1 MiB limit; sometimes over it (413).
    set(slot, 'é'.repeat(pick(random, [10_000, 100_000, 300_000, 600_000])));
    return 'huge string';
  },
  deepNesting(root, random) {
    set(pick(random, slots(root)), deeplyNested(pick(random, DEEP_LEVELS), random));
    return 'deep nesting';
  },
  nullArray(root, random) {
    const arrays = slots(root).filter((slot) => Array.isArray(get(slot)));
    const slot = arrays.length > 0 ? pick(random, arrays) : pick(random, slots(root));
    set(slot, pick(random, [null, [null], [null, null], [{}], 'not-an-array']));
    return 'null array';
  },
  impossibleDate(root, random) {
    const dated = slots(root).filter((slot) => /(_at|timestamp)$/.test(String(slot.key)));
    const slot = dated.length > 0 ? pick(random, dated) : pick(random, slots(root));
    set(slot, pick(random, IMPOSSIBLE_DATES));
    return 'impossible date';
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Byte-level damage after serialising: mostly no longer JSON (400), sometimes still JSON. */
function damageBytes(text: string, random: Random): { bytes: Buffer; what: string } {
  const bytes = Buffer.from(text);
  const at = int(random, bytes.length);
  switch (int(random, 5)) {
    case 0:
      return { bytes: bytes.subarray(0, at), what: 'truncated' };
    case 1:
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]),
        what: 'raw NUL byte',
      };
    case 2:
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xc3]), bytes.subarray(at)]),
        what: 'invalid UTF-8',
      };
    case 3:
      return {
        bytes: Buffer.from(text.replace(/:\s*\d+(\.\d+)?/, ':1e400')),
        what: 'number overflowing to Infinity',
      };
    default:
      return {
        bytes: Buffer.from(text.replace('{', '{"event":"message_created","event":')),
        what: 'duplicate key',
      };
  }
}

export interface Mutant {
  shape: string;
  mutations: string[];
  bytes: Buffer;
  /** The message or conversation id the body names (when it still parses), to check what was stored. */
  ids: { message: number | null; conversation: number | null };
}

/**
 * One mutant of one shape: re-id'd into a small pool of conversations (so deliveries meet on the
 * same rows: updates, out-of-order snapshots), 1 to 3 structural mutations, and for one in ten the
 * bytes damaged after serialising.
 */
export function mutate(shapes: Record<string, Payload>, random: Random, ids: { base: number }): Mutant {
  const shape = pick(random, Object.keys(shapes));
  const payload = structuredClone(shapes[shape]!);
  const conversationId = ids.base + int(random, 12);
  const messageId = ids.base * 10 + int(random, 400);
  if (payload.conversation) {
    payload.id = messageId;
    payload.conversation.id = conversationId;
  } else if (shape.startsWith('conversation_')) payload.id = conversationId;
  const mutations: string[] = [];
  const count = 1 + int(random, 3);
  for (let i = 0; i < count; i++) mutations.push(MUTATIONS[pick(random, MUTATION_NAMES)]!(payload, random));
  const text = expandDeep(JSON.stringify(payload));
  let bytes: Buffer = Buffer.from(text);
  if (random() < 0.1) {
    const damaged = damageBytes(text, random);
    bytes = damaged.bytes;
    mutations.push(damaged.what);
  }
  return { shape, mutations, bytes, ids: namedIds(bytes) };
}

/** Read as the route reads it: sanitised first (a key "i\u0000d" is the key "id" by then). */
function namedIds(bytes: Buffer): Mutant['ids'] {
  try {
    const body = storableJson(JSON.parse(bytes.toString('utf8'))) as Payload;
    const id = typeof body?.id === 'number' ? body.id : null;
    if (body?.conversation && typeof body.conversation === 'object') {
      const conversation = typeof body.conversation.id === 'number' ? body.conversation.id : null;
      return { message: id, conversation };
    }
    return { message: null, conversation: id };
  } catch {
    return { message: null, conversation: null };
  }
}
