import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A TypeScript child process speaking in lines: "READY <url>", answers to commands on stdin. */
export class LineChild {
  private readonly lines: string[] = [];
  private readonly waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  readonly exited: Promise<number | null>;
  readonly process: ChildProcess;

  constructor(script: string, env: Record<string, string>) {
    this.process = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))],
      {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let buffer = '';
    this.process.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        this.receive(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  /** The rest of the next line that starts with `prefix` (already received or still to come). */
  next(prefix: string, timeoutMs = 120_000): Promise<string> {
    const index = this.lines.findIndex((line) => line.startsWith(prefix));
    if (index >= 0) return Promise.resolve(this.lines.splice(index, 1)[0]!.slice(prefix.length).trim());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child ${this.process.pid}: no "${prefix}" line`)),
        timeoutMs,
      );
      void this.exited.then((code) =>
        reject(new Error(`child ${this.process.pid} exited (${code}) before "${prefix}"`)),
      );
      this.waiters.push({
        prefix,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line.slice(prefix.length).trim());
        },
      });
    });
  }

  send(command: string): void {
    this.process.stdin!.write(`${command}\n`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  private receive(line: string): void {
    const index = this.waiters.findIndex((waiter) => line.startsWith(waiter.prefix));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(line);
    else this.lines.push(line);
  }
}
