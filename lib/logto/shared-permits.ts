/**
 * The request budget shared by every portal instance. An instance leases small blocks of permits
 * from the store (see `lib/store` `tryLeasePermits`) and spends each within a short use-by time;
 * the store counts every block for the window plus that time, so all instances together never
 * send Logto more than the budget in any window.
 *
 * When the store cannot be reached the instance falls back to its share of the budget by the last
 * count of live instances (never the whole budget once it has seen siblings), and tries the store
 * again shortly.
 */

/** What the store answers to a lease. */
export type PermitLease = { granted: number; retryAfterMs: number };

/** How a {@link SharedPermits} reaches the store (injected, so `lib/logto` talks no SQL). */
export type PermitStore = {
  lease: (wanted: number, leaseTtlMs: number) => Promise<PermitLease>;
  /** Marks this instance alive and answers how many instances are alive. */
  heartbeat: () => Promise<number>;
};

export type SharedPermitsOptions = {
  store: PermitStore;
  /** The deployment's budget per window. */
  budget: number;
  windowMs: number;
  /** How long after a lease its permits may still be spent (default 300 ms). */
  useWithinMs?: number;
  /**
   * How late after it is sent a request may still reach Logto's counter (default 1,000 ms): a
   * busy server, a far Logto or a slow network delay arrivals, and a late one must not land in
   * the next window's count. The store counts each lease for the window plus both times.
   */
  arrivalSlackMs?: number;
  /** Permits asked for at once, at most (default 10). */
  maxBlock?: number;
  /** How long to use the fallback share after the store failed (default 5 s). */
  fallbackMs?: number;
  now?: () => number;
};

const HEARTBEAT_INTERVAL_MS = 5_000;

/** A pool of leased permits for one instance's {@link RequestLimiter}. */
export class SharedPermits {
  /** Use-by times of permits in hand, oldest first. */
  #permits: number[] = [];
  #isLeasing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #fallbackUntil = 0;
  /** Start times of requests sent on the fallback share, within the window. */
  #fallbackSent: number[] = [];
  #liveInstances = 1;
  #lastHeartbeat = -Infinity;
  readonly #useWithinMs: number;
  readonly #leaseTtlMs: number;
  readonly #maxBlock: number;
  readonly #fallbackMs: number;
  readonly #now: () => number;
  /** Counters for tests and the bench. */
  readonly stats = { leases: 0, permitsLeased: 0, permitsExpired: 0, storeFailures: 0, fallbackGrants: 0 };

  constructor(private readonly options: SharedPermitsOptions) {
    this.#useWithinMs = options.useWithinMs ?? 300;
    this.#leaseTtlMs = this.#useWithinMs + (options.arrivalSlackMs ?? 1_000);
    this.#maxBlock = options.maxBlock ?? 10;
    this.#fallbackMs = options.fallbackMs ?? 5_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Whether a permit is at hand; takes it if so. */
  take(): boolean {
    const now = this.#now();
    if (now < this.#fallbackUntil) return this.#takeFallback(now);
    while (this.#permits.length > 0 && this.#permits[0]! <= now) {
      this.#permits.shift();
      this.stats.permitsExpired += 1;
    }
    if (this.#permits.length === 0) return false;
    this.#permits.shift();
    return true;
  }

  /**
   * Asks the store for up to `wanted` permits (one lease at a time); `onPermits` runs when some
   * arrived, or when it is worth trying again.
   */
  request(wanted: number, onPermits: () => void): void {
    this.#maybeHeartbeat();
    if (this.#isLeasing || this.#retryTimer !== undefined) return;
    if (this.#now() < this.#fallbackUntil) {
      this.#retryLater(this.#fallbackRetryMs(), onPermits);
      return;
    }
    this.#isLeasing = true;
    const block = Math.max(1, Math.min(this.#maxBlock, wanted));
    // The use-by time counts from before the call: the store may grant at any moment during it.
    const useBy = this.#now() + this.#useWithinMs;
    this.options.store
      .lease(block, this.#leaseTtlMs)
      .then(
        ({ granted, retryAfterMs }) => {
          this.stats.leases += 1;
          this.stats.permitsLeased += granted;
          for (let index = 0; index < granted; index += 1) this.#permits.push(useBy);
          if (granted === 0) this.#retryLater(Math.max(20, Math.min(retryAfterMs, 1_000)), onPermits);
        },
        () => {
          this.stats.storeFailures += 1;
          this.#fallbackUntil = this.#now() + this.#fallbackMs;
        },
      )
      .finally(() => {
        this.#isLeasing = false;
        onPermits();
      });
  }

  /** The share of the budget this instance may use alone: the budget split over the live instances. */
  fallbackShare(): number {
    return Math.max(1, Math.floor(this.options.budget / Math.max(1, this.#liveInstances)));
  }

  #takeFallback(now: number): boolean {
    // Counted from the send for a whole window, as the store would have counted a lease.
    this.#fallbackSent = this.#fallbackSent.filter(
      (sentAt) => sentAt > now - this.options.windowMs - this.#leaseTtlMs,
    );
    if (this.#fallbackSent.length >= this.fallbackShare()) return false;
    this.#fallbackSent.push(now);
    this.stats.fallbackGrants += 1;
    return true;
  }

  #fallbackRetryMs(): number {
    const oldest = this.#fallbackSent[0];
    const windowFrees =
      oldest === undefined ? 50 : oldest + this.options.windowMs + this.#leaseTtlMs - this.#now();
    return Math.max(20, Math.min(windowFrees, this.#fallbackUntil - this.#now()));
  }

  #retryLater(delayMs: number, onPermits: () => void): void {
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      onPermits();
    }, delayMs);
  }

  #maybeHeartbeat(): void {
    const now = this.#now();
    if (now - this.#lastHeartbeat < HEARTBEAT_INTERVAL_MS) return;
    this.#lastHeartbeat = now;
    this.options.store.heartbeat().then(
      (live) => {
        this.#liveInstances = Math.max(1, live);
      },
      () => undefined,
    );
  }
}
