import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  bumpCacheVersion,
  bumpCacheVersions,
  type CacheInvalidation,
  onCacheInvalidated,
  readCacheVersions,
} from './cache-versions';
import { runSql } from './client';
import { sleep, setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

/** Collects invalidations and waits for one that matches. */
function recorder() {
  const events: CacheInvalidation[] = [];
  return {
    events,
    callback: (event: CacheInvalidation) => events.push(event),
    async waitFor(matches: (event: CacheInvalidation) => boolean, timeoutMs = 5_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!events.some(matches)) {
        if (Date.now() > deadline) throw new Error(`No matching invalidation; got ${JSON.stringify(events)}`);
        await sleep(10);
      }
    },
  };
}

describe.each(backends)('cache versions on $name', (backend) => {
  it('starts every scope at 0 and counts bumps', async () => {
    const { store } = backend;
    expect(await readCacheVersions(['org:counted', 'user:never'], store)).toEqual({
      'org:counted': 0,
      'user:never': 0,
    });
    expect(await bumpCacheVersion('org:counted', store)).toBe(1);
    expect(await bumpCacheVersion('org:counted', store)).toBe(2);
    expect(await readCacheVersions(['org:counted', 'user:never'], store)).toEqual({
      'org:counted': 2,
      'user:never': 0,
    });
    expect(await readCacheVersions([], store)).toEqual({});
  });

  it('bumps several scopes at once, each once', async () => {
    const { store } = backend;
    await bumpCacheVersion('org:many', store);
    expect(await bumpCacheVersions(['org:many', 'user:many', 'org:many'], store)).toEqual({
      'org:many': 2,
      'user:many': 1,
    });
    expect(await bumpCacheVersions([], store)).toEqual({});
  });

  it('shows a bump to every instance at once', async () => {
    const other = await backend.openInstance();
    const before = await readCacheVersions(['org:shared'], other);
    await bumpCacheVersion('org:shared', backend.store);
    const after = await readCacheVersions(['org:shared'], other);
    expect(after['org:shared']).toBe(before['org:shared']! + 1);
  });

  it('notifies listeners of bumps made by any instance, until they stop listening', async () => {
    const other = await backend.openInstance();
    const heard = recorder();
    const stop = await onCacheInvalidated(heard.callback, backend.store);
    await bumpCacheVersions(['org:notified', 'user:notified'], other);
    await heard.waitFor((event) => event.kind === 'scope' && event.scope === 'user:notified');
    expect(heard.events).toEqual(
      expect.arrayContaining([
        { kind: 'scope', scope: 'org:notified' },
        { kind: 'scope', scope: 'user:notified' },
      ]),
    );

    await stop();
    const count = heard.events.length;
    await bumpCacheVersion('org:notified', other);
    await sleep(100);
    expect(heard.events).toHaveLength(count);
  });
});

describe('cache invalidation on postgres only', () => {
  const postgres = backends.find((backend) => backend.name === 'postgres')!;

  it('says everything may be stale when the LISTEN connection drops, reconnects and hears again', async () => {
    const heard = recorder();
    const stop = await onCacheInvalidated(heard.callback, postgres.store);
    try {
      await runSql(
        sql`select pg_terminate_backend(pid) from pg_stat_activity
            where application_name = 'org-admin-portal:cache-listener'`,
        postgres.store.db,
      );
      await heard.waitFor((event) => event.kind === 'all' && event.reason === 'connection-lost');
      await heard.waitFor((event) => event.kind === 'all' && event.reason === 'reconnected');
      await bumpCacheVersion('org:after-reconnect', postgres.store);
      await heard.waitFor((event) => event.kind === 'scope' && event.scope === 'org:after-reconnect');
    } finally {
      await stop();
    }
  });

  it('shares one LISTEN connection between the callbacks of a store', async () => {
    const stops = await Promise.all([1, 2, 3].map(() => onCacheInvalidated(() => undefined, postgres.store)));
    const [row] = await runSql<{ listeners: number }>(
      sql`select count(*)::integer as listeners from pg_stat_activity
          where application_name = 'org-admin-portal:cache-listener'`,
      postgres.store.db,
    );
    expect(row?.listeners).toBe(1);
    await Promise.all(stops.map((stop) => stop()));
  });
});
