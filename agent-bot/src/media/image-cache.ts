/**
 * Image bytes fetched during enrichment, kept briefly so the answering model can see the
 * original image in the same turn (and a regeneration) without a second download. Bounded by
 * bytes and age; a miss only means the responder wrapper fetches again.
 */
export class ImageCache {
  private readonly entries = new Map<string, { data: Uint8Array; mime: string; expiresAt: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(accountId: number, attachmentId: number, data: Uint8Array, mime: string): void {
    const key = `${accountId}:${attachmentId}`;
    this.delete(key);
    if (data.length > this.maxBytes) return;
    this.entries.set(key, { data, mime, expiresAt: this.now() + this.ttlMs });
    this.bytes += data.length;
    // Map keeps insertion order: the oldest go first.
    for (const [oldKey] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldKey);
    }
  }

  get(accountId: number, attachmentId: number): { data: Uint8Array; mime: string } | null {
    const key = `${accountId}:${attachmentId}`;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt < this.now()) {
      this.delete(key);
      return null;
    }
    return { data: entry.data, mime: entry.mime };
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.data.length;
    this.entries.delete(key);
  }
}
