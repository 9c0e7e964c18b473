/**
 * What an operator tunes, in one place: edit, run `npm run dashboards`, commit the regenerated
 * provisioning files (the staleness test checks they match these values).
 */
export interface DashboardSettings {
  /** Chatwoot's public URL, for links to conversations. */
  chatwootUrl: string;
  alerts: {
    /** p95 AI response time over the last 15 minutes above this fires (seconds). */
    p95ResponseSeconds: number;
    /** Share of failed model calls per provider over the last 15 minutes (0..1). */
    providerErrorRate: number;
    /** Fewer calls than this in the window never fire the error-rate alert (one failure is not a trend). */
    providerMinCalls: number;
    /** Last hour's response rate this far below the trailing 7 days' (0..1, absolute). */
    responseRateDrop: number;
    /** Fewer customer messages than this in the last hour never fire the drop alert. */
    responseRateMinMessages: number;
    /** Spend since 00:00 UTC above this fires (USD). */
    dailyBudgetUsd: number;
  };
}

export const DEFAULT_SETTINGS: DashboardSettings = {
  chatwootUrl: 'http://localhost:3000',
  alerts: {
    p95ResponseSeconds: 30,
    providerErrorRate: 0.2,
    providerMinCalls: 5,
    responseRateDrop: 0.15,
    responseRateMinMessages: 10,
    dailyBudgetUsd: 50,
  },
};
