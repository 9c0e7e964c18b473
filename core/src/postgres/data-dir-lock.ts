import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * PGlite does not lock its data directory, and two processes opening it at once corrupt it.
 * This lock file records the owner's PID and the port it serves the directory on, so that
 * another process can either connect through that port or say exactly who holds it.
 *
 * A PID file (created with O_EXCL) rather than an mtime-based lock such as proper-lockfile:
 * after a SIGKILL the next start must take over at once (the dead PID proves the lock stale),
 * not wait out a staleness period, and the message must name the holder's PID.
 */
const lockContentSchema = z.object({
  pid: z.number().int(),
  port: z.number().int().nullable(),
  startedAt: z.string(),
});
export type DataDirLockContent = z.infer<typeof lockContentSchema>;

export interface DataDirLock {
  readonly file: string;
  setPort(port: number): void;
  release(): void;
}

export type LockAttempt =
  { acquired: true; lock: DataDirLock } | { acquired: false; holder: DataDirLockContent };

export function lockFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

export function readDataDirLock(dataDir: string): DataDirLockContent | null {
  const file = lockFileFor(dataDir);
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) return null;
    return isAlive(parsed.data.pid) ? parsed.data : null;
  } catch {
    return null;
  }
}

export function tryLockDataDir(dataDir: string): LockAttempt {
  const file = lockFileFor(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const content: DataDirLockContent = {
      pid: process.pid,
      port: null,
      startedAt: new Date().toISOString(),
    };
    try {
      fs.writeFileSync(file, JSON.stringify(content), { flag: 'wx' });
      return { acquired: true, lock: createLock(file, content) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder.pid) && holder.pid !== process.pid) {
      return { acquired: false, holder };
    }
    // The holder died without releasing (SIGKILL, power loss): the lock is stale.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`could not acquire ${file}`);
}

function createLock(file: string, content: DataDirLockContent): DataDirLock {
  let released = false;
  const releaseOnExit = (): void => lock.release();
  const lock: DataDirLock = {
    file,
    setPort(port) {
      content.port = port;
      fs.writeFileSync(file, JSON.stringify(content));
    },
    release() {
      if (released) return;
      released = true;
      process.off('exit', releaseOnExit);
      const holder = readHolder(file);
      if (holder?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
  process.on('exit', releaseOnExit);
  return lock;
}

function readHolder(file: string): DataDirLockContent | null {
  try {
    const parsed = lockContentSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
