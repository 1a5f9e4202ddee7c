/**
 * Where every instance finds an organization's data generation: a counter the portal moves after
 * each of its own writes to that organization. Backed by the shared store (`lib/store`
 * cache-versions); without one, the process's own counters are the whole truth.
 */
export type SharedGenerations = {
  /** The current generation of each organization (0 when never written), in one store read. */
  read(orgIds: readonly string[]): Promise<Record<string, number>>;
  /** Moves the generation of each organization, in one store write. */
  bump(orgIds: readonly string[]): Promise<void>;
  /**
   * A result another instance read at `generation` less than `maxAgeMs` ago, and how long ago;
   * `undefined` when there is none.
   */
  readResult?(
    key: string,
    generation: number,
    maxAgeMs: number,
  ): Promise<{ value: unknown; ageMs: number } | undefined>;
  /** Offers a result read at `generation` `ageMs` ago to every instance. */
  shareResult?(key: string, generation: number, value: unknown, ageMs: number): Promise<void>;
};

/** Settings of an {@link OrgReadCache}. */
export type OrgReadCacheOptions = {
  /** How long a result may be served again (`PORTAL_READ_CACHE_MS`); 0 keeps nothing, reads are only shared while in flight. */
  ttlMs: number;
  /** The generations every instance sees; without it, this process's writes are the only ones it knows. */
  shared?: SharedGenerations;
  /** Results kept at most; the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
};

/** Counters of one cache, for tests and the bench. */
export type OrgReadCacheStats = {
  /** Reads that went to Logto (one per flight). */
  loads: number;
  /** Reads served from a kept result. */
  hits: number;
  /** Reads that joined a flight already under way. */
  joins: number;
  /** Store statements that moved generations (several writes may share one). */
  sharedBumps: number;
  /** Store statements that read generations (several reads may share one). */
  sharedReads: number;
  /** Flights answered by a result another instance had read (no Logto call). */
  sharedHits: number;
};

/** `lifetime`: how long the read that kept it may serve it again (for sweeping it away after). */
type Entry = { value: unknown; generation: string; storedAt: number; lifetime: number };

/** An organization's generation as {@link OrgReadCache.generation} took it. */
export type ReadGeneration = { readonly orgId: string; readonly local: number; readonly shared: number };

const DEFAULT_MAX_ENTRIES = 5_000;

/**
 * Organization-level reads shared by everyone in one server instance: concurrent identical reads
 * (same organization, same `key`) make one Logto call, and a result is served again for `ttlMs`.
 *
 * Freshness: a result belongs to the organization's generation read before it was fetched, and is
 * served only while that generation is still current. The portal's own writes move it
 * ({@link invalidate}, called by the Management API client after every write to an organization)
 * in this process at once and, with a shared store, in the store before the write returns, so once
 * a write has answered, no instance serves a result read before it. A read only joins a flight of
 * the same generation for the same reason. Changes made outside the portal (Logto Console) show
 * after at most `ttlMs`. Failures are never kept. When the store cannot be read, nothing kept is
 * trusted and the read goes to Logto alone.
 *
 * With a store that keeps results too, a flight first looks there for one another instance read at
 * the current generation, younger than `ttlMs`, and offers what it reads from Logto to the others:
 * behind a load balancer, a query costs one Logto call per window, not one per instance.
 * Results must then be JSON data.
 */
export class OrgReadCache {
  readonly stats: OrgReadCacheStats = {
    loads: 0,
    hits: 0,
    joins: 0,
    sharedBumps: 0,
    sharedReads: 0,
    sharedHits: 0,
  };
  readonly #options: Required<Omit<OrgReadCacheOptions, 'shared'>> & Pick<OrgReadCacheOptions, 'shared'>;
  readonly #local = new Map<string, number>();
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Promise<unknown>>();
  /** Generation reads asked for in this turn of the event loop, answered by one store read. */
  #pendingReads:
    Map<string, { resolve: (generation: number) => void; reject: (error: unknown) => void }[]> | undefined;
  /** Organizations whose writes wait for the next store bump, and those writers. */
  #pendingBumps = new Set<string>();
  #bumpWaiters: (() => void)[] = [];
  #isBumping = false;
  #lastSweep = 0;

  constructor(options: OrgReadCacheOptions) {
    this.#options = {
      maxEntries: DEFAULT_MAX_ENTRIES,
      now: () => performance.now(),
      ...options,
    };
  }

  /**
   * `load`'s result for `key` in organization `orgId`, shared as described on the class.
   * `key` must name everything the result depends on besides the organization (the query).
   * `ttlMs` overrides the cache's lifetime for this kind of result (0 with the cache off).
   */
  async read<T>(
    orgId: string,
    key: string,
    load: () => Promise<T>,
    { ttlMs }: { ttlMs?: number } = {},
  ): Promise<T> {
    const lifetime = this.#lifetime(ttlMs);
    let sharedGeneration = 0;
    if (this.#options.shared) {
      try {
        sharedGeneration = await this.#readShared(orgId);
      } catch (error) {
        console.error('[logto] could not read the shared read-cache generation; asking Logto:', error);
        this.stats.loads += 1;
        return load();
      }
    }
    const generation = `${this.#local.get(orgId) ?? 0}:${sharedGeneration}`;
    const entryKey = `${orgId}\n${key}`;
    const entry = this.#entries.get(entryKey);
    if (entry) {
      if (entry.generation === generation && this.#options.now() - entry.storedAt < lifetime) {
        this.stats.hits += 1;
        return entry.value as T;
      }
      this.#entries.delete(entryKey);
    }

    const flightKey = `${entryKey}\n${generation}`;
    const flying = this.#flights.get(flightKey);
    if (flying) {
      this.stats.joins += 1;
      return flying as Promise<T>;
    }
    const localAtStart = this.#local.get(orgId) ?? 0;
    // A result from before a write here is neither kept nor shared (it would be discarded at its next use anyway).
    const isCurrent = () => (this.#local.get(orgId) ?? 0) === localAtStart;
    const flight = this.#fly(entryKey, lifetime, sharedGeneration, load, isCurrent).then(
      ({ value, readAt }) => {
        if (lifetime > 0 && isCurrent()) {
          this.#remember(entryKey, { value, generation, storedAt: readAt, lifetime });
        }
        return value;
      },
    );
    this.#flights.set(flightKey, flight);
    const forget = () => {
      if (this.#flights.get(flightKey) === flight) this.#flights.delete(flightKey);
    };
    flight.then(forget, forget);
    return flight;
  }

  /**
   * One flight's result and when it was read: another instance's, if the store has one for this
   * generation young enough, else Logto's (then offered to the others while still current here).
   */
  async #fly<T>(
    entryKey: string,
    lifetime: number,
    sharedGeneration: number,
    load: () => Promise<T>,
    isCurrent: () => boolean,
  ): Promise<{ value: T; readAt: number }> {
    const shared = lifetime > 0 ? this.#options.shared : undefined;
    if (shared?.readResult) {
      try {
        const found = await shared.readResult(entryKey, sharedGeneration, lifetime);
        if (found) {
          this.stats.sharedHits += 1;
          return { value: found.value as T, readAt: this.#options.now() - found.ageMs };
        }
      } catch (error) {
        console.error('[logto] could not read a shared result; asking Logto:', error);
      }
    }
    this.stats.loads += 1;
    const readAt = this.#options.now();
    const value = await load();
    if (shared?.shareResult && isCurrent()) {
      shared
        .shareResult(entryKey, sharedGeneration, value, this.#options.now() - readAt)
        .catch((error: unknown) =>
          console.error('[logto] could not share a result with other instances:', error),
        );
    }
    return { value, readAt };
  }

  /**
   * Where a result about `orgId` read from Logto from now on belongs, for {@link keep}: taken
   * before the read, so a write that answers meanwhile makes the result stale, as in {@link read}.
   * Rejects when the shared store cannot be read (then nothing should be kept).
   */
  async generation(orgId: string): Promise<ReadGeneration> {
    const local = this.#local.get(orgId) ?? 0;
    const shared = this.#options.shared ? await this.#readShared(orgId) : 0;
    return { orgId, local, shared };
  }

  /**
   * Keeps a result that a call made for another purpose also answered (a person's organizations
   * carry each organization's record), as if {@link read} had read it for `key`: served here and
   * offered to the other instances, unless this organization was written since `generation` was
   * taken. `readAt` is when that call started (`now()` time); `ttlMs` is the lifetime the reads of
   * `key` ask for, as in {@link read}.
   */
  keep(key: string, generation: ReadGeneration, value: unknown, readAt: number, ttlMs?: number): void {
    const { orgId, local, shared } = generation;
    if (this.#options.ttlMs <= 0 || (this.#local.get(orgId) ?? 0) !== local) return;
    const entryKey = `${orgId}\n${key}`;
    this.#remember(entryKey, {
      value,
      generation: `${local}:${shared}`,
      storedAt: readAt,
      lifetime: this.#lifetime(ttlMs),
    });
    this.#options.shared
      ?.shareResult?.(entryKey, shared, value, this.#options.now() - readAt)
      .catch((error: unknown) =>
        console.error('[logto] could not share a result with other instances:', error),
      );
  }

  /**
   * Forgets what is known of these organizations: here at once, and (with a shared store) on every
   * instance once the returned promise resolves. Never rejects: a store that cannot be reached is
   * logged, and other instances then catch up within the lifetime of their results.
   */
  async invalidate(orgIds: readonly string[]): Promise<void> {
    const unique = [...new Set(orgIds)];
    if (unique.length === 0) return;
    for (const orgId of unique) this.#local.set(orgId, (this.#local.get(orgId) ?? 0) + 1);
    if (!this.#options.shared) return;
    for (const orgId of unique) this.#pendingBumps.add(orgId);
    const done = new Promise<void>((resolve) => this.#bumpWaiters.push(resolve));
    if (!this.#isBumping) void this.#drainBumps();
    return done;
  }

  /** Results kept now (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** How long a result read for `ttlMs` may be served again (0 with the cache off). */
  #lifetime(ttlMs: number | undefined): number {
    return this.#options.ttlMs > 0 ? (ttlMs ?? this.#options.ttlMs) : 0;
  }

  #remember(entryKey: string, entry: Entry): void {
    this.#sweep();
    this.#entries.delete(entryKey);
    this.#entries.set(entryKey, entry);
    if (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /**
   * Drops the results past their lifetime, at most once per default lifetime. Some are large (an
   * organization's every invitation), and one not read again would otherwise stay until
   * `maxEntries` newer ones pushed it out.
   */
  #sweep(): void {
    const now = this.#options.now();
    if (now - this.#lastSweep < this.#options.ttlMs) return;
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) {
      if (now - entry.storedAt >= entry.lifetime) this.#entries.delete(key);
    }
  }

  /**
   * One organization's shared generation. Reads asked for in the same turn of the event loop share
   * one store query, which starts after all of them were asked, so each sees every write that had
   * answered before it asked.
   */
  #readShared(orgId: string): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!this.#pendingReads) {
        this.#pendingReads = new Map();
        setImmediate(() => void this.#flushReads());
      }
      const waiters = this.#pendingReads.get(orgId) ?? [];
      waiters.push({ resolve, reject });
      this.#pendingReads.set(orgId, waiters);
    });
  }

  async #flushReads(): Promise<void> {
    const batch = this.#pendingReads;
    this.#pendingReads = undefined;
    if (!batch || !this.#options.shared) return;
    this.stats.sharedReads += 1;
    try {
      const generations = await this.#options.shared.read([...batch.keys()]);
      for (const [orgId, waiters] of batch)
        for (const waiter of waiters) waiter.resolve(generations[orgId] ?? 0);
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  /**
   * Moves the shared generations of every organization written so far, one store statement at a
   * time: writes that answer while a statement runs share the next one (which starts after they
   * answered), so a bulk job's writes cost far fewer statements than writes.
   */
  async #drainBumps(): Promise<void> {
    this.#isBumping = true;
    try {
      while (this.#pendingBumps.size > 0) {
        const orgIds = [...this.#pendingBumps];
        const waiters = this.#bumpWaiters;
        this.#pendingBumps = new Set();
        this.#bumpWaiters = [];
        try {
          this.stats.sharedBumps += 1;
          await this.#options.shared?.bump(orgIds);
        } catch (error) {
          console.error(
            '[logto] could not tell other instances about a change; they catch up shortly:',
            error,
          );
        }
        for (const resolve of waiters) resolve();
      }
    } finally {
      this.#isBumping = false;
    }
  }
}

const ORGANIZATION_PATH = /^\/api\/organizations\/([^/]+)(?:\/|$)/;
const INVITATION_PATH = /^\/api\/organization-invitations(?:\/|$)/;

/**
 * The organizations a Management API write changes: the one in its path
 * (`/api/organizations/:id/…`), and for invitation writes the one the invitation belongs to, from
 * `body`: what a create sends, or Logto's answer (accepting an invitation adds a member).
 */
export function organizationsWrittenBy(pathname: string, body?: unknown): string[] {
  const match = ORGANIZATION_PATH.exec(pathname);
  if (match?.[1]) return [decodeURIComponent(match[1])];
  if (INVITATION_PATH.test(pathname) && typeof body === 'object' && body !== null) {
    const { organizationId } = body as { organizationId?: unknown };
    if (typeof organizationId === 'string' && organizationId !== '') return [organizationId];
  }
  return [];
}
