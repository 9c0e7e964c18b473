import { z } from 'zod';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z0-9_+\-/]+$/.test(zone);
  } catch {
    return false;
  }
}

/**
 * What an operator tunes, in one place: edit DEFAULT_SETTINGS, run `npm run dashboards`, commit
 * the regenerated provisioning files (the staleness test checks they match these values).
 */
export const settingsSchema = z.strictObject({
  /** Chatwoot's public URL, for links to conversations (no trailing slash). */
  chatwootUrl: z
    .string()
    .url()
    .refine((url) => !url.endsWith('/'), 'no trailing slash'),
  /**
   * The account's IANA time zone, as analytics.accounts[].timezone: where the dashboards' days
   * and weeks start by default (the Time zone variable, the dashboards' clock) and where the
   * daily-cost alert's day begins.
   */
  timeZone: z.string().refine(isTimeZone, 'unknown time zone (an IANA name such as America/Sao_Paulo)'),
  alerts: z.strictObject({
    /** p95 AI response time over the last 15 minutes above this fires (seconds). */
    p95ResponseSeconds: z.number().positive(),
    /** Share of failed model calls per provider over the last 15 minutes (0..1). */
    providerErrorRate: z.number().gt(0).lt(1),
    /** Fewer calls than this in the window never fire the error-rate alert (one failure is not a trend). */
    providerMinCalls: z.number().int().positive(),
    /** Last hour's response rate this far below the trailing 7 days' (0..1, absolute). */
    responseRateDrop: z.number().gt(0).lt(1),
    /** Fewer customer messages than this in the last hour never fire the drop alert. */
    responseRateMinMessages: z.number().int().positive(),
    /** Spend since 00:00 in timeZone above this fires (USD). */
    dailyBudgetUsd: z.number().positive(),
  }),
});

export type DashboardSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: DashboardSettings = {
  chatwootUrl: 'http://localhost:3000',
  timeZone: 'UTC',
  alerts: {
    p95ResponseSeconds: 30,
    providerErrorRate: 0.2,
    providerMinCalls: 5,
    responseRateDrop: 0.15,
    responseRateMinMessages: 10,
    dailyBudgetUsd: 50,
  },
};
