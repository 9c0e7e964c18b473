import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatwootSimulator } from '../simulator.js';
import { STATE_FILE } from './persist-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-persist-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('simulator state in a data directory', () => {
  it('continues ids, conversations, blobs and the advanced clock after a restart', async () => {
    const dataDir = tempDir();
    const first = await createChatwootSimulator({ port: false, dataDir });
    const account = first.seed.account({ name: 'Riverside' });
    const inbox = first.seed.inbox({ accountId: account.id });
    const sam = { inboxId: inbox.id, phone: '+447700900001', name: 'Sam' };
    const hello = first.customer.sendText(sam, 'Hello');
    const voice = first.customer.sendVoiceNote(sam, Buffer.from('OggS-voice-bytes'));
    first.clock.advance(3 * 60 * 60 * 1000);
    const advancedTo = first.clock.nowMs();
    await first.close();
    expect(fs.existsSync(path.join(dataDir, STATE_FILE))).toBe(true);

    const second = await createChatwootSimulator({ port: false, dataDir });
    try {
      // The same customer continues the same conversation.
      const again = second.customer.sendText(sam, 'Are you still there?');
      expect(again.conversation.displayId).toBe(hello.conversation.displayId);
      expect(again.contact.id).toBe(hello.contact.id);
      expect(again.message.id).toBe(voice.message.id + 1);
      expect(second.messages(again.conversation).map((m) => m.content)).toEqual([
        'Hello',
        null,
        'Are you still there?',
      ]);
      // A new customer gets the next numbers, never #1 again.
      const priya = second.customer.sendText(
        { inboxId: inbox.id, phone: '+447700900002', name: 'Priya' },
        'Hi',
      );
      expect(priya.conversation.displayId).toBe(hello.conversation.displayId + 1);
      expect(priya.contact.id).toBe(hello.contact.id + 1);
      // The voice note's bytes are still served.
      const audioId = voice.message.attachmentIds[0]!;
      const blobKey = second.store.attachments.get(audioId)!.blobKey!;
      expect(second.store.blobs.get(blobKey)?.bytes.toString()).toBe('OggS-voice-bytes');
      // The clock does not fall back behind what was advanced.
      expect(second.clock.nowMs()).toBeGreaterThanOrEqual(advancedTo);
      expect(second.clock.nowMs() - Date.now()).toBeGreaterThan(3 * 60 * 60 * 1000 - 5_000);
    } finally {
      await second.close();
    }
  });

  it('saves seeded rows and direct edits without waiting for close', async () => {
    const dataDir = tempDir();
    const sim = await createChatwootSimulator({ port: false, dataDir });
    const account = sim.seed.account();
    const bot = sim.seed.agentBot({ accountId: account.id, outgoingUrl: 'http://127.0.0.1:1/old' });
    bot.outgoingUrl = 'http://127.0.0.1:1/new';
    sim.save();
    // Read what is on disk while the first instance still runs (a crash would leave this).
    const onDisk = await createChatwootSimulator({ port: false, dataDir });
    expect(onDisk.store.agentBots.get(bot.id)?.outgoingUrl).toBe('http://127.0.0.1:1/new');
    await onDisk.close();
    await sim.close();
  });

  it('refuses a state file it cannot read instead of starting empty over it', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, STATE_FILE), '{"version":99}');
    await expect(createChatwootSimulator({ port: false, dataDir })).rejects.toThrow(
      /not a simulator snapshot this version can read/,
    );
  });

  it('keeps nothing on disk without a data directory', async () => {
    const sim = await createChatwootSimulator({ port: false });
    sim.seed.account();
    sim.save();
    await sim.close();
    const fresh = await createChatwootSimulator({ port: false });
    expect(fresh.store.accounts.size).toBe(0);
    await fresh.close();
  });
});
