import { InvalidArgumentError, Option, type Command } from 'commander';
import { KnowledgeBaseError } from '../../knowledge-base-error.js';
import type { CliContext } from '../cli-context.js';

/** A command's work: its options and arguments in, the process exit code out. */
export type Run = (options: Record<string, unknown>, args: string[]) => Promise<number>;
/** Turns a Run into a commander action (main.ts records the exit code). */
export type Wrap = (run: Run) => (...args: unknown[]) => Promise<void>;

/** What every command file gets: the lazily built context (config, database, output) and the action wrapper. */
export interface CommandDeps {
  ctxFor: () => CliContext;
  wrap: Wrap;
}

export const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
  return n;
};
export const num = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
};
export const pairs = (value: string, previous: Record<string, string> = {}) => {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};
export const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value.split(',').filter(Boolean),
];

export const account = () => new Option('--account <id>', 'Chatwoot account id').argParser(int('--account'));
export const embedderOptions = (command: Command) =>
  command
    .addOption(
      new Option('--embedder <provider>', 'embedding provider').choices([
        'offline',
        'openai',
        'gemini',
        'openai-compatible',
      ]),
    )
    .option('--model <model>', "embedding model (default: the provider's)")
    .option('--dimensions <n>', 'vector dimensions', int('--dimensions'))
    .option('--base-url <url>', 'API base URL (openai-compatible)')
    .option('--api-key-env <NAME>', 'environment variable that holds the API key');

export function embeddingFrom(ctx: CliContext, o: Record<string, unknown>) {
  const base = ctx.config.knowledge.embedding;
  const provider = (o.embedder as typeof base.provider | undefined) ?? base.provider;
  const sameProvider = provider === base.provider;
  const pick = <T>(value: T | undefined, fallback: T | undefined) =>
    value ?? (sameProvider ? fallback : undefined);
  const model = pick(o.model as string | undefined, base.model);
  const dimensions = pick(o.dimensions as number | undefined, base.dimensions);
  const baseUrl = pick(o.baseUrl as string | undefined, base.baseUrl);
  const apiKeyEnv = pick(o.apiKeyEnv as string | undefined, base.apiKeyEnv);
  return {
    provider,
    ...(model ? { model } : {}),
    ...(dimensions ? { dimensions } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
  };
}

export function need<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new KnowledgeBaseError(`${flag} is required.`);
  return value;
}

/** Ctrl-C once: finish the current document and stop cleanly; twice: leave now (the open transaction rolls back). */
export function interruptible(ctx: CliContext): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    ctx.io.stderr.write('\nStopping after the current document (Ctrl-C again to quit now)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
