import { Command, CommanderError } from 'commander';
import { StartupError } from '@switchboard/core';
import { ZodError } from 'zod';
import { KnowledgeBaseError } from '../knowledge-bases/knowledge-base.js';
import { createCliContext, type CliContext, type CliIo } from './cli-context.js';
import { registerCommands } from './commands/index.js';

/**
 * `kb-ingest`: exit 0 when everything worked, 1 when an item (or the command) failed,
 * 2 for usage and configuration errors, 130 when interrupted with Ctrl-C.
 */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let exitCode = 0;
  let ctx: CliContext | null = null;
  const program = new Command('kb-ingest')
    .description('Knowledge bases for Switchboard assistants: upload, sync, search')
    .option('--json', 'machine-readable output on stdout')
    .option('--config <file>', 'configuration file (default config/switchboard.yaml)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const ctxFor = (): CliContext => {
    const globals = program.opts<{ json?: boolean; config?: string }>();
    ctx ??= createCliContext(io, {
      json: Boolean(globals.json),
      ...(globals.config ? { config: globals.config } : {}),
    });
    return ctx;
  };
  registerCommands(program, ctxFor, (run) => async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    exitCode = await run(command.opts(), command.args);
  });
  // --json and --config are accepted after the subcommand too.
  for (const command of program.commands) {
    command
      .option('--json', 'machine-readable output on stdout')
      .option('--config <file>', 'configuration file');
    command.hook('preAction', (_, action) => {
      const local = action.opts<{ json?: boolean; config?: string }>();
      if (local.json) program.setOptionValue('json', true);
      if (local.config) program.setOptionValue('config', local.config);
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = reportError(error, io, program.opts<{ json?: boolean }>().json === true);
  } finally {
    await (ctx as CliContext | null)?.close().catch(() => undefined);
  }
  return exitCode;
}

function reportError(error: unknown, io: CliIo, json: boolean): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
      ? 0
      : 2;
  }
  let message: string;
  let code = 1;
  if (error instanceof KnowledgeBaseError || StartupError.isInstance(error)) {
    message = error.message;
    code = 2;
  } else if (error instanceof ZodError) {
    message = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    code = 2;
  } else {
    message = (error as Error)?.message ?? String(error);
  }
  io.stderr.write(`kb-ingest: ${message}\n`);
  if (json) io.stdout.write(`${JSON.stringify({ error: message })}\n`);
  return code;
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await runCli(argv);
  process.exit(code);
}
