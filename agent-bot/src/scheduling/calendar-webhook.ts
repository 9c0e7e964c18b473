import type { AppointmentsConfig } from '@switchboard/core';

/**
 * Tells an external calendar about a booking change. Best effort by design: the booking in
 * PostgreSQL is the truth, so a slow or failing calendar never undoes or blocks it; the tool
 * result reports `calendarSynced: false` and the error goes to the log.
 */
export async function notifyCalendar(
  webhook: NonNullable<AppointmentsConfig['calendarWebhook']>,
  body: unknown,
  fetchImpl: typeof fetch = fetch,
  onError?: (error: unknown) => void,
): Promise<boolean> {
  try {
    const response = await fetchImpl(webhook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...webhook.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(webhook.timeoutMs),
      redirect: 'error',
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`calendar webhook answered HTTP ${response.status}`);
    return true;
  } catch (error) {
    onError?.(error);
    return false;
  }
}
