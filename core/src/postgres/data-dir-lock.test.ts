import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockFileFor, readDataDirLock, tryLockDataDir } from './data-dir-lock.js';

function tempDataDir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-lock-')), 'postgres');
}

describe('data dir lock', () => {
  it('is exclusive while its holder lives, and records the port it serves', async () => {
    const dataDir = tempDataDir();
    // Another process takes the lock and keeps running.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('fs').writeFileSync(${JSON.stringify(lockFileFor(dataDir))}, JSON.stringify({pid: process.pid, port: 5555, startedAt: 'then'})); setInterval(() => {}, 1000)`,
      ],
      { stdio: 'ignore' },
    );
    try {
      // Wait for the child to have written its lock (node start-up takes a while on a busy machine).
      for (let i = 0; i < 200 && !fs.existsSync(lockFileFor(dataDir)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      const attempt = tryLockDataDir(dataDir);
      expect(attempt.acquired).toBe(false);
      if (!attempt.acquired) expect(attempt.holder).toMatchObject({ pid: holder.pid, port: 5555 });
      expect(readDataDirLock(dataDir)?.pid).toBe(holder.pid);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over at once from a holder that died without releasing (SIGKILL)', async () => {
    const dataDir = tempDataDir();
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    fs.writeFileSync(lockFileFor(dataDir), JSON.stringify({ pid: dead.pid, port: 1, startedAt: 'then' }));
    expect(readDataDirLock(dataDir)).toBeNull();

    const attempt = tryLockDataDir(dataDir);
    expect(attempt.acquired).toBe(true);
    if (!attempt.acquired) return;
    attempt.lock.setPort(6543);
    expect(readDataDirLock(dataDir)).toMatchObject({ pid: process.pid, port: 6543 });
    attempt.lock.release();
    expect(fs.existsSync(lockFileFor(dataDir))).toBe(false);
  });

  it('treats a corrupt lock file as stale', () => {
    const dataDir = tempDataDir();
    fs.writeFileSync(lockFileFor(dataDir), '{not json');
    const attempt = tryLockDataDir(dataDir);
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) attempt.lock.release();
  });
});
