import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SimulatorClock } from '../clock.js';
import type { BlobRecord } from './records.js';
import { createStore, type SimulatorStore } from './store.js';

/**
 * The simulator's rows on disk, so that `npm start` after Ctrl-C continues where it stopped:
 * Chatwoot's ids keep counting (a new customer never gets conversation #1 again while the bot
 * still remembers the old #1), and a conversation in progress goes on. One JSON snapshot
 * (`state.json`, written to a temporary file and renamed, so a crash leaves the previous one)
 * plus one file per blob (blobs never change once stored).
 */
export const STATE_FILE = 'state.json';
const BLOB_DIR = 'blobs';
const FORMAT_VERSION = 1;

/** Store fields that are Maps keyed by number; `blobs` and `sequences` are handled apart. */
const NUMERIC_MAPS = [
  'accounts',
  'inboxes',
  'agentBots',
  'agentBotInboxes',
  'users',
  'teams',
  'contacts',
  'contactInboxes',
  'conversations',
  'messages',
  'attachments',
  'accountWebhooks',
  'messagesByConversation',
  'conversationsByContactInbox',
] as const satisfies readonly (keyof SimulatorStore)[];
const STRING_MAPS = [
  'conversationsByDisplayId',
  'contactInboxesBySource',
] as const satisfies readonly (keyof SimulatorStore)[];

const snapshotSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  savedAt: z.number(),
  /** How far the simulator clock ran ahead of the wall clock (the playground's "jump 24 h"). */
  clockOffsetMs: z.number(),
  sequences: z.record(z.string(), z.number().int().nonnegative()),
  maps: z.record(z.string(), z.array(z.tuple([z.union([z.number(), z.string()]), z.unknown()]))),
  blobs: z.array(
    z.object({ key: z.string().regex(/^[\w-]+$/), contentType: z.string(), fileName: z.string() }),
  ),
});
type Snapshot = z.infer<typeof snapshotSchema>;

export interface StorePersistence {
  /** Something changed: save soon (changes in one tick are written together). */
  markDirty(): void;
  /** Write now if anything changed since the last save. */
  flush(): void;
  /** Flush and stop the timer. */
  close(): void;
}

/** Read the snapshot in `dir` into a fresh store, or null when there is none yet. */
export function loadStore(dir: string, clock: SimulatorClock): SimulatorStore | null {
  const file = path.join(dir, STATE_FILE);
  if (!fs.existsSync(file)) return null;
  let snapshot: Snapshot;
  try {
    snapshot = snapshotSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new Error(
      `simulator: ${file} is not a simulator snapshot this version can read (${(error as Error).message.slice(0, 200)}); move it away to start empty`,
    );
  }
  const store = createStore();
  store.sequences = { ...snapshot.sequences };
  for (const name of NUMERIC_MAPS) {
    const target = store[name] as Map<number, unknown>;
    for (const [key, value] of snapshot.maps[name] ?? []) target.set(Number(key), value);
  }
  for (const name of STRING_MAPS) {
    const target = store[name] as Map<string, unknown>;
    for (const [key, value] of snapshot.maps[name] ?? []) target.set(String(key), value);
  }
  for (const blob of snapshot.blobs) {
    const bytesFile = path.join(dir, BLOB_DIR, blob.key);
    if (!fs.existsSync(bytesFile)) continue;
    store.blobs.set(blob.key, { ...blob, bytes: fs.readFileSync(bytesFile) });
  }
  // The clock never runs backwards across a restart: what was advanced stays advanced.
  if (!clock.frozen) clock.set(Math.max(Date.now() + snapshot.clockOffsetMs, snapshot.savedAt));
  return store;
}

export function snapshotOf(store: SimulatorStore, clock: SimulatorClock): Snapshot {
  const maps: Snapshot['maps'] = {};
  for (const name of [...NUMERIC_MAPS, ...STRING_MAPS]) {
    maps[name] = [...(store[name] as Map<number | string, unknown>).entries()];
  }
  const now = clock.nowMs();
  return {
    version: FORMAT_VERSION,
    savedAt: now,
    clockOffsetMs: now - Date.now(),
    sequences: { ...store.sequences },
    maps,
    blobs: [...store.blobs.values()].map(({ key, contentType, fileName }) => ({
      key,
      contentType,
      fileName,
    })),
  };
}

/** Keep `store` saved in `dir`; writes are batched per tick and done synchronously (a few ms). */
export function persistStore(
  dir: string,
  store: SimulatorStore,
  clock: SimulatorClock,
  options: { delayMs?: number; onError?: (error: unknown) => void } = {},
): StorePersistence {
  fs.mkdirSync(path.join(dir, BLOB_DIR), { recursive: true });
  const written = new Set<string>(fs.readdirSync(path.join(dir, BLOB_DIR)));
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  const write = (): void => {
    if (!dirty) return;
    dirty = false;
    try {
      for (const blob of store.blobs.values()) writeBlob(dir, blob, written);
      const file = path.join(dir, STATE_FILE);
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(snapshotOf(store, clock)));
      fs.renameSync(temporary, file);
    } catch (error) {
      dirty = true;
      (options.onError ?? ((e) => console.error('simulator: saving state failed', e)))(error);
    }
  };
  return {
    markDirty() {
      dirty = true;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        write();
      }, options.delayMs ?? 50);
      timer.unref();
    },
    flush: write,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      write();
    },
  };
}

function writeBlob(dir: string, blob: BlobRecord, written: Set<string>): void {
  if (written.has(blob.key)) return;
  fs.writeFileSync(path.join(dir, BLOB_DIR, blob.key), blob.bytes);
  written.add(blob.key);
}
