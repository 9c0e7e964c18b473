/** WhatsApp's customer-service window: 24 h from the customer's last message, reset by each. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WindowState {
  open: boolean;
  closesAt: string | null;
}

/**
 * WhatsApp's window for this conversation. A website widget (`web`) has none: Chatwoot's
 * `MessageWindowService` lets a web widget reply at any time, and there are no templates there.
 */
export function replyWindow(
  lastCustomerMessageAt: Date | null,
  now: Date,
  channel?: 'whatsapp' | 'web' | 'api' | 'test',
): WindowState {
  if (channel === 'web') return { open: true, closesAt: null };
  if (!lastCustomerMessageAt) return { open: false, closesAt: null };
  const closesAt = new Date(lastCustomerMessageAt.getTime() + WINDOW_MS);
  return { open: now.getTime() < closesAt.getTime(), closesAt: closesAt.toISOString() };
}

/**
 * Failures that mean "free-form outside the window": Meta's 131047, and Chatwoot's own
 * message when it tried to send a non-template outside the window (contract §4).
 */
export function isWindowFailure(externalError: string): boolean {
  return (
    /\b131047\b/.test(externalError) || /template not found or invalid template name/i.test(externalError)
  );
}

/** "131047: Re-engagement message" → "131047". */
export function errorCode(externalError: string): string | undefined {
  return /^\s*(\d{3,6})\b/.exec(externalError)?.[1];
}
