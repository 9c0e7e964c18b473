import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '@switchboard/core';
import { chromium, type Browser } from 'playwright-core';

/** `npm start` in local mode as a newcomer runs it (no provider keys), on free ports, in `dataDir`. */
export interface LocalModeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Ctrl-C, and wait until the process has exited. */
  stop(): Promise<number | null>;
}

export async function startLocalMode(dataDir: string): Promise<LocalModeProcess> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SWITCHBOARD_DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      AGENT_BOT_PORT: '0',
      ANALYTICS_PORT: '0',
      SIMULATOR_PORT: '0',
      LOCAL_POSTGRES_PORT: '0',
      // No provider keys: the offline assistant and OCR, as on a newcomer's laptop.
      OPENAI_API_KEY: '',
      ANTHROPIC_API_KEY: '',
      GEMINI_API_KEY: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const match = /"msg":"playground: (http:\/\/[^"]+)"/.exec(output);
    if (match && output.includes('"msg":"ready')) {
      return {
        child,
        url: match[1]!,
        output: () => output,
        async stop() {
          if (child.exitCode === null) child.kill('SIGINT');
          return exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not print the playground URL:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
