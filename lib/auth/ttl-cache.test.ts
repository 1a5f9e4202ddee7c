import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache';

describe('createTtlCache', () => {
  it('loads once within the TTL and again after it', async () => {
    let clock = 0;
    let loads = 0;
    const cache = createTtlCache<number>({ ttlMs: 60_000, maxEntries: 10, now: () => clock });
    const load = async () => ++loads;
    expect(await cache.get('u1', load)).toBe(1);
    clock = 59_999;
    expect(await cache.get('u1', load)).toBe(1);
    clock = 60_000;
    expect(await cache.get('u1', load)).toBe(2);
  });

  it('shares one in-flight load between concurrent callers', async () => {
    let loads = 0;
    const cache = createTtlCache<string>({ ttlMs: 1000, maxEntries: 10 });
    const load = () => new Promise<string>((resolve) => setTimeout(() => resolve(`v${++loads}`), 10));
    const values = await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    expect(values).toEqual(['v1', 'v1', 'v1']);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });

  it('evicts the oldest entry beyond maxEntries', async () => {
    const cache = createTtlCache<string>({ ttlMs: 60_000, maxEntries: 2 });
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('c', async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'a again')).toBe('a again');
  });
});
