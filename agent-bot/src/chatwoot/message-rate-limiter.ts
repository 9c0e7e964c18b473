/**
 * Chatwoot refuses more than CONVERSATION_MESSAGE_PER_MINUTE_LIMIT (default 200) messages per
 * conversation per minute with a 422 (lib/limits.rb). A sliding window per conversation keeps
 * this process under it; the 422 itself is still treated as retryable in case several
 * processes share a conversation's budget.
 */
export class MessageRateLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly limit = 200,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the next message to `key` may go out (0: now). Records it when 0. */
  reserve(key: string): number {
    const now = this.now();
    const times = (this.sent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.limit) {
      this.sent.set(key, times);
      return times[0]! + this.windowMs - now;
    }
    times.push(now);
    this.sent.set(key, times);
    if (this.sent.size > 10_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [key, times] of this.sent) {
      if (times.every((t) => now - t >= this.windowMs)) this.sent.delete(key);
    }
  }
}
