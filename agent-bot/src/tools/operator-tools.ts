import type { Logger, ToolsConfig } from '@switchboard/core';
import type pg from 'pg';
import { createAppointmentTools } from './appointments/appointment-tools.js';
import { createCollectCustomerDataTool } from './customer-data/collect-customer-data-tool.js';
import { createScheduleFollowUpTool } from './follow-up/schedule-follow-up-tool.js';
import { createLookupTools } from './lookup/lookup-tool.js';
import { SqlLookupRunner } from './lookup/sql-lookup.js';
import { createSendFileTool } from './send-file/send-file-tool.js';
import type { Tool } from './tool.js';

/**
 * The tools operators configure under `tools:` (lookups, appointments, customer data, files,
 * follow-ups), built once per process. The assistant side adds knowledge_search and
 * handoff_to_human and selects per assistant with `selectTools(all, assistant.tools, name)`.
 * Tool names: each lookup's own name, find_slots, book_appointment, reschedule_appointment,
 * cancel_appointment, list_appointments, collect_customer_data, send_file, schedule_follow_up.
 */
export interface OperatorTools {
  tools: Tool[];
  /** Closes the lookup connection pools. */
  close(): Promise<void>;
}

export function createOperatorTools(options: {
  config: ToolsConfig;
  /**
   * Switchboard's own database: bookings and knowledge-base documents. A function is read on
   * every use: in local mode (PGlite, one shared session) the engine swaps in its single
   * connection at start, and the tools must use that one so their transactions never wrap
   * the engine's queries.
   */
  pool: pg.Pool | (() => pg.Pool);
  fetch?: typeof fetch;
  logger?: Pick<Logger, 'warn'>;
}): OperatorTools {
  const { config, logger } = options;
  const pool = typeof options.pool === 'function' ? lazyPool(options.pool) : options.pool;
  const sql = new SqlLookupRunner();
  const fetchOption = options.fetch ? { fetch: options.fetch } : {};
  const tools: Tool[] = [
    ...createLookupTools({
      lookups: config.lookups,
      sql,
      ...fetchOption,
      // The driver/HTTP detail is for operators; it can hold hostnames but never customer data.
      onFailure: (lookup, error) =>
        logger?.warn({ lookup, kind: error.kind, detail: error.detail }, 'lookup failed'),
    }),
    ...(config.appointments
      ? createAppointmentTools({
          pool,
          config: config.appointments,
          ...fetchOption,
          onWebhookError: (error) => logger?.warn({ error: String(error) }, 'calendar webhook failed'),
        })
      : []),
    createCollectCustomerDataTool({ fieldsByAssistant: config.customerData }),
    createSendFileTool({
      files: config.files,
      limits: config.fileLimits,
      pool,
      ...fetchOption,
    }),
    createScheduleFollowUpTool({ followUps: config.followUps }),
  ];
  return { tools, close: () => sql.close() };
}

/** The two calls the tools make, forwarded to whatever pool the getter returns at that moment. */
function lazyPool(get: () => pg.Pool): pg.Pool {
  return {
    query: (...args: unknown[]) => {
      const current = get();
      return (current.query as (...a: unknown[]) => unknown).apply(current, args);
    },
    connect: () => get().connect(),
  } as unknown as pg.Pool;
}
