/**
 * A small in-process cache of promises with a time-to-live. Concurrent callers for one key share
 * one load; a failed load is forgotten at once so the next call retries; the oldest entry is
 * evicted beyond `maxEntries` so memory stays bounded however many users sign in.
 */
export function createTtlCache<V>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { value: Promise<V>; loadedAt: number }>();

  return {
    get(key: string, load: () => Promise<V>): Promise<V> {
      const cached = entries.get(key);
      if (cached && now() - cached.loadedAt < options.ttlMs) return cached.value;
      entries.delete(key);

      const entry = { value: load(), loadedAt: now() };
      entries.set(key, entry);
      if (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entry.value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.value;
    },
    delete(key: string): void {
      entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}
