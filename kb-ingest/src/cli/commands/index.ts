import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { registerCreateCommand } from './create.js';
import { registerListCommand } from './list.js';
import { registerUploadCommand } from './upload.js';
import { registerSearchCommand } from './search.js';
import { registerShowCommand } from './show.js';
import { registerDeleteCommand } from './delete.js';
import { registerReembedCommand } from './reembed.js';
import { registerStatsCommand } from './stats.js';
import type { Wrap } from './options.js';

/** Every kb-ingest command, a file each, in the order `kb-ingest --help` lists them. */
export function registerCommands(program: Command, ctxFor: () => CliContext, wrap: Wrap): void {
  const deps = { ctxFor, wrap };
  registerCreateCommand(program, deps);
  registerListCommand(program, deps);
  registerUploadCommand(program, deps);
  registerSearchCommand(program, deps);
  registerShowCommand(program, deps);
  registerDeleteCommand(program, deps);
  registerReembedCommand(program, deps);
  registerStatsCommand(program, deps);
}
