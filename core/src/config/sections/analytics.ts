import { z } from 'zod';

/**
 * The analytics service: API tokens per Chatwoot account (metrics, export, insight panel) and
 * the outbox shipper. Tokens come from ${ENV} interpolation, never from the file itself.
 */
export const analyticsAccountSchema = z.strictObject({
  /** Chatwoot account id the token may read. */
  accountId: z.number().int().positive(),
  /** Bearer token for /api/* and the insight panel; long and random (>= 24 chars). */
  apiToken: z.string().min(24, 'analytics api tokens must be at least 24 characters'),
  /** IANA time zone the account's day, week and month buckets start in (API series, dashboards). */
  timezone: z
    .string()
    .default('UTC')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'unknown time zone (use an IANA name such as Europe/London)'),
});

export const analyticsShipperSchema = z.strictObject({
  /** Off only for processes that must not ship (e.g. a read-only API replica). */
  enabled: z.boolean().default(true),
  /** Events per ClickHouse insert. Large batches are what make ClickHouse fast. */
  batchSize: z.number().int().min(1).max(100_000).default(10_000),
  /** Pause between polls when the outbox is empty. */
  idleIntervalMs: z.number().int().min(10).default(500),
  /** A claimed batch not marked shipped within this time is claimed again by any shipper. */
  leaseSeconds: z.number().int().min(1).default(60),
  /** Backoff ceiling while ClickHouse is unavailable (doubles from idleIntervalMs). */
  maxBackoffMs: z.number().int().min(10).default(30_000),
  /** Shipped outbox rows are deleted after this long (kept a while for debugging). */
  retainShippedHours: z.number().min(0).default(24),
});

const shipperDefaults = {
  enabled: true,
  batchSize: 10_000,
  idleIntervalMs: 500,
  leaseSeconds: 60,
  maxBackoffMs: 30_000,
  retainShippedHours: 24,
};

export const analyticsSchema = z
  .strictObject({
    accounts: z.array(analyticsAccountSchema).default([]),
    shipper: analyticsShipperSchema.default(shipperDefaults),
    /** Largest export, rows (a guard against unbounded exports; streaming keeps memory flat). */
    maxExportRows: z.number().int().positive().default(10_000_000),
  })
  .default({ accounts: [], shipper: shipperDefaults, maxExportRows: 10_000_000 });

export type AnalyticsConfig = z.infer<typeof analyticsSchema>;
