import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { ClickHouse } from '@switchboard/core';
import { exportRows, exportStream } from '../export/export-rows.js';
import { filtersSchema } from '../metrics/filters.js';

export const EXPORT_USAGE = `Usage: tsx analytics/src/cli/export-cli.ts <conversations|messages> [options]

Writes the same rows as GET /api/export/<kind>, streamed.
  --account N          Chatwoot account (required without --url)
  --from, --to         ISO date or date-time, UTC (to is exclusive; default: the last 30 days)
  --channel LIST       whatsapp,web,api,test
  --assistant LIST     assistant keys
  --inbox LIST         inbox ids
  --customer DIGITS    phone number or part of it
  --format csv|ndjson  default csv
  --out FILE           default stdout
  --url URL --token T  read through a running analytics service instead of ClickHouse
                       (needed in local mode while the service holds the chdb directory)`;

const argsSchema = z.object({
  kind: z.enum(['conversations', 'messages']),
  format: z.enum(['csv', 'ndjson']).default('csv'),
  account: z.coerce.number().int().positive().optional(),
  url: z.string().url().optional(),
  token: z.string().optional(),
  out: z.string().optional(),
});

const FILTER_FLAGS = ['from', 'to', 'channel', 'assistant', 'inbox', 'customer'] as const;

export interface ExportCliIo {
  stdout: Writable;
  stderr?: Writable;
  /** Opens ClickHouse for direct mode (main() connects from the config). */
  clickhouse?: () => Promise<Pick<ClickHouse, 'client' | 'close'>>;
  fetch?: typeof fetch;
}

/** Runs the export; returns the process exit code. Errors name the flag, never row data. */
export async function runExportCli(argv: string[], io: ExportCliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: Object.fromEntries(
      ['format', 'account', 'url', 'token', 'out', ...FILTER_FLAGS].map((name) => [
        name,
        { type: 'string' as const },
      ]),
    ),
  });
  const args = argsSchema.safeParse({ ...values, kind: positionals[0] });
  const filterInput = Object.fromEntries(
    FILTER_FLAGS.filter((f) => values[f] !== undefined).map((f) => [f, values[f]]),
  );
  const filters = filtersSchema.safeParse(filterInput);
  if (!args.success || !filters.success || (!args.data.url && !args.data.account)) {
    const issues = [...(args.error?.issues ?? []), ...(filters.error?.issues ?? [])];
    (io.stderr ?? process.stderr).write(
      `${issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n') || '--account or --url is required'}\n\n${EXPORT_USAGE}\n`,
    );
    return 2;
  }
  const { kind, format, out } = args.data;
  const target = out ? fs.createWriteStream(out) : io.stdout;

  if (args.data.url) {
    const query = new URLSearchParams({ ...filterInput, format } as Record<string, string>);
    const response = await (io.fetch ?? fetch)(
      `${args.data.url.replace(/\/$/, '')}/api/export/${kind}?${query}`,
      {
        headers: { authorization: `Bearer ${args.data.token ?? ''}` },
      },
    );
    if (!response.ok || !response.body) {
      (io.stderr ?? process.stderr).write(`export failed: HTTP ${response.status}\n`);
      return 1;
    }
    await pipeline(Readable.fromWeb(response.body as never), target);
    return 0;
  }
  if (!io.clickhouse) throw new Error('no ClickHouse connection available');
  const ch = await io.clickhouse();
  try {
    await pipeline(
      exportStream(exportRows(ch, kind, args.data.account!, filters.data), kind, format),
      target,
    );
  } finally {
    await ch.close();
  }
  return 0;
}

const isMain = process.argv[1]?.endsWith('export-cli.ts') || process.argv[1]?.endsWith('export-cli.js');
if (isMain) {
  const { loadConfig, connectClickHouse } = await import('@switchboard/core');
  const code = await runExportCli(process.argv.slice(2), {
    stdout: process.stdout,
    clickhouse: () => connectClickHouse(loadConfig().config.clickhouse),
  }).catch((error: unknown) => {
    process.stderr.write(`export failed: ${(error as Error).message}\n`);
    return 1;
  });
  process.exitCode = code;
}
