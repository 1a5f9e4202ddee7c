import 'server-only';

import { inArray, sql } from 'drizzle-orm';
import type { Client } from 'pg';
import { getStore, runSql, type PostgresStore, type Store } from './client';
import { cacheVersions } from './schema';

/**
 * Cache invalidation shared by every instance: a version counter per scope (e.g.
 * `org:<orgId>`, `user:<userId>`), plus a notification when one moves.
 *
 * Freshness guarantee, for a cache that follows the two rules below: once `bumpCacheVersion`
 * has resolved, no instance serves an answer read before the bump. The rules:
 * 1. Readers read the scope's version **before** fetching the value, store the value with that
 *    version, and before serving a cached value read the current version again
 *    ({@link readCacheVersions}, one query for all scopes involved) and discard the entry if it
 *    moved. An answer fetched while a change was under way carries the older version, so it is
 *    discarded at its next use.
 * 2. Writers bump the affected scopes **after** the change is made at Logto (and whether or not
 *    it fully succeeded).
 * {@link onCacheInvalidated} is the cheaper, eventual companion: a notification usually arrives
 * within milliseconds, but none is promised (they are lost while the listening connection is
 * down, which is reported as `{ kind: 'all' }`). Use it to drop entries early, and the version
 * read wherever the guarantee matters.
 */

/** The Postgres channel that carries bumped scopes. */
export const CACHE_INVALIDATION_CHANNEL = 'portal_cache_invalidated';

/** What {@link onCacheInvalidated} reports. */
export type CacheInvalidation =
  /** This scope's version moved. */
  | { kind: 'scope'; scope: string }
  /** Notifications may have been missed: forget everything. */
  | { kind: 'all'; reason: 'connection-lost' | 'reconnected' };

/** Bumps one scope's version and notifies listeners; resolves with the new version. */
export async function bumpCacheVersion(scope: string, store?: Store): Promise<number> {
  const versions = await bumpCacheVersions([scope], store);
  return versions[scope]!;
}

/** Bumps several scopes' versions in one statement; resolves with the new versions. */
export async function bumpCacheVersions(
  scopes: readonly string[],
  store?: Store,
): Promise<Record<string, number>> {
  const unique = [...new Set(scopes)];
  if (unique.length === 0) return {};
  const { db } = store ?? (await getStore());
  const rows = await runSql<{ scope: string; version: number }>(
    sql`with bumped as (
          insert into cache_versions (scope, version)
          select scope, 1 from unnest(array[${sql.join(
            unique.map((scope) => sql`${scope}`),
            sql`, `,
          )}]::text[]) as scope
          on conflict (scope) do update set version = cache_versions.version + 1
          returning scope, version
        )
        select scope, version::float8 as version, pg_notify(${CACHE_INVALIDATION_CHANNEL}, scope)
        from bumped`,
    db,
  );
  return Object.fromEntries(rows.map((row) => [row.scope, Number(row.version)]));
}

/** The current version of each scope (0 for a scope never bumped), in one query. */
export async function readCacheVersions(
  scopes: readonly string[],
  store?: Store,
): Promise<Record<string, number>> {
  const unique = [...new Set(scopes)];
  const versions: Record<string, number> = Object.fromEntries(unique.map((scope) => [scope, 0]));
  if (unique.length === 0) return versions;
  const { db } = store ?? (await getStore());
  const rows = await db
    .select({ scope: cacheVersions.scope, version: cacheVersions.version })
    .from(cacheVersions)
    .where(inArray(cacheVersions.scope, unique));
  for (const row of rows) versions[row.scope] = Number(row.version);
  return versions;
}

/**
 * Calls `callback` whenever any instance bumps a scope (see the freshness notes above). On
 * Postgres one LISTEN connection per store serves every callback and reconnects by itself,
 * reporting `{ kind: 'all' }` when it loses and regains the connection. On PGlite the
 * notifications come from the same process. Resolves once listening, with the function that
 * stops it.
 */
export async function onCacheInvalidated(
  callback: (event: CacheInvalidation) => void,
  store?: Store,
): Promise<() => Promise<void>> {
  const target = store ?? (await getStore());
  if (target.kind === 'pglite') {
    const unlisten = await target.client.listen(CACHE_INVALIDATION_CHANNEL, (scope) =>
      callback({ kind: 'scope', scope }),
    );
    let stopping: Promise<void> | undefined;
    return () => (stopping ??= target.client.closed ? Promise.resolve() : unlisten());
  }
  const listener = invalidationListener(target);
  await listener.add(callback);
  return () => listener.remove(callback);
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;

/** The store's one LISTEN connection, shared by its callbacks. */
class InvalidationListener {
  readonly #store: PostgresStore;
  readonly #callbacks = new Set<(event: CacheInvalidation) => void>();
  #client: Client | undefined;
  #connecting: Promise<void> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelayMs = RECONNECT_MIN_MS;

  constructor(store: PostgresStore) {
    this.#store = store;
    store.beforeClose.add(() => this.#stop());
  }

  async add(callback: (event: CacheInvalidation) => void): Promise<void> {
    this.#callbacks.add(callback);
    // The first subscriber learns at once if the store cannot be reached.
    try {
      await this.#ensureConnected();
    } catch (error) {
      this.#callbacks.delete(callback);
      throw error;
    }
  }

  async remove(callback: (event: CacheInvalidation) => void): Promise<void> {
    this.#callbacks.delete(callback);
    if (this.#callbacks.size === 0) await this.#stop();
  }

  #ensureConnected(): Promise<void> {
    if (this.#client) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      connectionString: this.#store.databaseUrl,
      application_name: 'org-admin-portal:cache-listener',
      connectionTimeoutMillis: 10_000,
      // The server should notice a vanished listener, and we a vanished server.
      keepAlive: true,
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === CACHE_INVALIDATION_CHANNEL && message.payload !== undefined) {
        this.#emit({ kind: 'scope', scope: message.payload });
      }
    });
    try {
      await client.connect();
      await client.query(`listen ${CACHE_INVALIDATION_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#callbacks.size === 0) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryDelayMs = RECONNECT_MIN_MS;
  }

  #lost(client: Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.#emit({ kind: 'all', reason: 'connection-lost' });
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#callbacks.size === 0 || this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#ensureConnected().then(
        () => {
          if (this.#client) this.#emit({ kind: 'all', reason: 'reconnected' });
        },
        () => {
          this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, RECONNECT_MAX_MS);
          this.#scheduleReconnect();
        },
      );
    }, this.#retryDelayMs);
    this.#retryTimer.unref();
  }

  #emit(event: CacheInvalidation): void {
    for (const callback of this.#callbacks) {
      try {
        callback(event);
      } catch (error) {
        console.error('A cache invalidation callback failed:', error);
      }
    }
  }

  async #stop(): Promise<void> {
    this.#callbacks.clear();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

function invalidationListener(store: PostgresStore): InvalidationListener {
  let listener = store.state.get('cache-invalidation-listener') as InvalidationListener | undefined;
  if (!listener) {
    listener = new InvalidationListener(store);
    store.state.set('cache-invalidation-listener', listener);
  }
  return listener;
}
