import { describe, expect, it } from 'vitest';
import { ImageCache } from './image-cache.js';

describe('ImageCache', () => {
  it('returns what was stored, per account and attachment, until it expires', () => {
    let now = 0;
    const cache = new ImageCache(1000, 60_000, () => now);
    cache.set(1, 10, new Uint8Array(100), 'image/png');
    expect(cache.get(1, 10)?.mime).toBe('image/png');
    expect(cache.get(2, 10)).toBeNull();
    now = 60_001;
    expect(cache.get(1, 10)).toBeNull();
  });

  it('evicts the oldest images beyond its byte budget and never keeps one larger than it', () => {
    const cache = new ImageCache(250);
    cache.set(1, 1, new Uint8Array(100), 'image/png');
    cache.set(1, 2, new Uint8Array(100), 'image/png');
    cache.set(1, 3, new Uint8Array(100), 'image/jpeg');
    expect(cache.get(1, 1)).toBeNull();
    expect(cache.get(1, 2)).not.toBeNull();
    expect(cache.get(1, 3)).not.toBeNull();
    cache.set(1, 4, new Uint8Array(300), 'image/png');
    expect(cache.get(1, 4)).toBeNull();
  });
});
