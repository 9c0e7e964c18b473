import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StartupError, connectPostgres, loadConfig, runMain } from '@switchboard/core';
import { createScheduler } from './scheduler.js';

/**
 * `npx tsx agent-bot/src/scheduling/export-ics-cli.ts [--from 2026-03-01] [--days 30]
 * [--resource anna] [--out bookings.ics]`: every live booking in the range as one iCalendar
 * file, for importing into (or comparing with) the business's calendar. Without --out it
 * prints to stdout.
 */
await runMain('export-ics', async (onClose) => {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      days: { type: 'string', default: '60' },
      resource: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const { config } = loadConfig();
  if (!config.tools.appointments) throw new StartupError('tools.appointments is not configured');
  const db = await connectPostgres(config.database, { whenLocalInUse: 'connect' });
  onClose({ name: 'postgres', close: () => db.close() });
  const now = new Date();
  const from = values.from ? new Date(`${values.from}T00:00:00Z`) : now;
  if (Number.isNaN(from.getTime())) throw new StartupError('--from must be YYYY-MM-DD');
  const until = new Date(from.getTime() + Number(values.days) * 24 * 60 * 60_000);
  const scheduler = createScheduler({ pool: db.pool, config: config.tools.appointments });
  const ics = await scheduler.exportIcs({
    from,
    until,
    now,
    ...(values.resource ? { resource: values.resource } : {}),
  });
  if (values.out) writeFileSync(values.out, ics);
  else process.stdout.write(ics);
  await db.close();
});
