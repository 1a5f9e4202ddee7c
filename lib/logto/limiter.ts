import { LogtoBusyError, LogtoNetworkError } from './errors';
import type { SharedPermits } from './shared-permits';

/**
 * Who a Management API request is for, which decides its place in the budget:
 * - `interactive`: signed-in people using the portal (pages, tables, actions);
 * - `public`: signed-out visitors and invitees, who get only a small share and a short queue so
 *   that nobody on the internet can spend the budget every admin shares;
 * - `jobs`: bulk jobs working in the background, which use at most their share of the budget and
 *   only what people in the other lanes leave over.
 */
export type Lane = 'interactive' | 'public' | 'jobs';

/** Limits of a {@link RequestLimiter}. */
export type RequestLimiterOptions = {
  /** At most this many requests in any window of `windowMs`. */
  maxRequests: number;
  windowMs: number;
  /** At most this many requests in flight at once. */
  maxInFlight: number;
  /** Share of `maxRequests` the public lane may use per window (default 0.1). */
  publicShare?: number;
  /** Share of `maxRequests` (and of `maxInFlight`) bulk jobs may use per window (default 0.7). */
  jobsShare?: number;
  /**
   * Pacing: permits refill continuously at `maxRequests` per `windowMs`, and at most this many
   * may be taken at once after a quiet spell. Default `maxRequests`: no pacing beyond the window.
   * A small burst (the portal uses a tenth of the budget) spreads a busy window's permits evenly
   * instead of letting them all out in its first seconds and then holding everyone for the rest.
   */
  burst?: number;
  /** Requests that may wait per lane; one more is refused at once with {@link LogtoBusyError}. */
  maxQueued?: Partial<Record<Lane, number>>;
  /**
   * Longest wait per lane (default: 1,500 ms for `interactive`, none for the others). A request
   * whose expected wait is longer is refused at once with {@link LogtoBusyError} and a retry-after,
   * so a page says "busy, retrying" instead of hanging; one that waits that long anyway (the
   * estimate cannot see other instances' use of a shared budget) is refused then.
   */
  maxWaitMs?: Partial<Record<Lane, number>>;
  /** In-flight requests one client may hold at once (default half of `maxInFlight`). */
  maxInFlightPerClient?: number;
  /**
   * The budget shared with other instances: each request also needs a permit from it. Without
   * one, `maxRequests` per window is this process's alone.
   */
  sharedPermits?: SharedPermits;
};

/** What one `acquire` asks for. */
export type AcquireOptions = {
  lane?: Lane;
  /** Whose request this is (a user id, a visitor's address); requests of the busiest client wait longest. */
  clientKey?: string;
  /** `performance.now()` by which a slot must be had; later, the wait fails as a timeout. */
  deadline?: number;
  /**
   * A table's prefetch of its next page: it never waits, and takes a permit only when nobody
   * waits and half the pacing burst would still be free after it (kept for people's own views);
   * otherwise it is refused at once as busy.
   */
  isPrefetch?: boolean;
};

type Waiter = {
  lane: Lane;
  clientKey: string;
  grant: (release: () => void) => void;
  fail: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
};

/** A request counted against the window: in flight until it ends, then for `windowMs` more. */
type Use = { lane: Lane; clientKey: string; endedAt: number | undefined };

const DEFAULT_PUBLIC_SHARE = 0.1;
const DEFAULT_JOBS_SHARE = 0.7;
const DEFAULT_MAX_QUEUED: Record<Lane, number> = { interactive: 2_000, public: 20, jobs: 10_000 };
const DEFAULT_MAX_WAIT_MS: Partial<Record<Lane, number>> = { interactive: 1_500 };
const ANONYMOUS = '';
/** Ranks every job request after every other request, whatever the clients' use. */
const JOBS_RANK_OFFSET = Number.MAX_SAFE_INTEGER / 2;

/**
 * Keeps a process under a request budget and an in-flight cap, and shares it fairly.
 *
 * A request counts against the window from the moment it starts until `windowMs` after it ends.
 * Counting from the end, not only the start, is what guarantees the budget as the server sees it:
 * the server receives each request somewhere between its start and end here, so however the
 * network delays them, no server-side window can hold more than `maxRequests` of them.
 *
 * Sharing: the public lane never uses more than its share of a window and queues at most a few
 * requests (more are refused at once, so a flood cannot build an unbounded queue); a freed slot
 * goes to the waiting client that used the fewest requests in the window (first come first
 * served among equals), so one person's bulk work cannot hold everyone else's page views; and one
 * client holds at most a few requests in flight. The limiter is work-conserving: with nobody else
 * waiting, one client may use the whole budget — except bulk jobs, which never use more than their
 * share (so a page view never waits for a job's burst to leave the window) and are served only
 * when no signed-in person or visitor is waiting.
 */
export class RequestLimiter {
  #uses: Use[] = [];
  #inFlight = 0;
  #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #publicMax: number;
  readonly #jobsMax: number;
  readonly #jobsMaxInFlight: number;
  /** Pacing buckets: everyone's, and the jobs lane's own (at its share of the rate). */
  readonly #paced: TokenBucket;
  readonly #jobsPaced: TokenBucket;
  #timerAt = Infinity;
  readonly #maxQueued: Record<Lane, number>;
  readonly #maxWaitMs: Partial<Record<Lane, number>>;
  readonly #maxInFlightPerClient: number;
  /** Pacing permits a prefetch leaves for people's own views. */
  readonly #prefetchReserve: number;

  constructor(private readonly options: RequestLimiterOptions) {
    this.#publicMax = Math.max(
      1,
      Math.floor(options.maxRequests * (options.publicShare ?? DEFAULT_PUBLIC_SHARE)),
    );
    const jobsShare = options.jobsShare ?? DEFAULT_JOBS_SHARE;
    this.#jobsMax = Math.max(1, Math.floor(options.maxRequests * jobsShare));
    this.#jobsMaxInFlight = Math.max(1, Math.floor(options.maxInFlight * jobsShare));
    this.#maxQueued = { ...DEFAULT_MAX_QUEUED, ...options.maxQueued };
    this.#maxWaitMs = { ...DEFAULT_MAX_WAIT_MS, ...options.maxWaitMs };
    const rate = options.maxRequests / options.windowMs;
    const burst = Math.max(
      1,
      Math.min(options.maxRequests, Math.floor(options.burst ?? options.maxRequests)),
    );
    this.#paced = new TokenBucket(burst, rate);
    this.#prefetchReserve = Math.floor(burst / 2);
    this.#jobsPaced = new TokenBucket(Math.max(1, Math.floor(burst * jobsShare)), rate * jobsShare);
    this.#maxInFlightPerClient =
      options.maxInFlightPerClient ?? Math.max(1, Math.floor(options.maxInFlight / 2));
  }

  /**
   * Waits for a slot; the returned function gives it back and must be called exactly once.
   * Rejects with {@link LogtoBusyError} at once when the lane's queue is full or its expected wait
   * is longer than the lane's `maxWaitMs` (and when it has waited that long), and with a
   * `network.timeout` {@link LogtoNetworkError} when `deadline` passes first.
   */
  acquire({
    lane = 'interactive',
    clientKey = ANONYMOUS,
    deadline,
    isPrefetch = false,
  }: AcquireOptions = {}): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const queued = this.#waiters.filter((waiter) => waiter.lane === lane).length;
      if (queued >= this.#maxQueued[lane]) {
        reject(new LogtoBusyError(lane, this.#retryAfterMs()));
        return;
      }
      const now = performance.now();
      if (isPrefetch && this.expectedWaitMs(lane, clientKey, now, this.#prefetchReserve) > 0) {
        reject(new LogtoBusyError(lane, this.#retryAfterMs()));
        return;
      }
      const maxWaitMs = isPrefetch ? 0 : this.#maxWaitMs[lane];
      if (maxWaitMs !== undefined) {
        const expectedMs = this.expectedWaitMs(lane, clientKey, now);
        if (expectedMs > maxWaitMs) {
          reject(new LogtoBusyError(lane, Math.max(1_000, Math.ceil(expectedMs))));
          return;
        }
      }
      const waiter: Waiter = {
        lane,
        clientKey,
        grant: (release) => {
          if (waiter.timer) clearTimeout(waiter.timer);
          resolve(release);
        },
        fail: reject,
        timer: undefined,
      };
      const giveUpAt = Math.min(deadline ?? Infinity, maxWaitMs === undefined ? Infinity : now + maxWaitMs);
      if (Number.isFinite(giveUpAt)) {
        const isBusy = giveUpAt < (deadline ?? Infinity);
        waiter.timer = setTimeout(
          () => {
            const index = this.#waiters.indexOf(waiter);
            if (index === -1) return;
            this.#waiters.splice(index, 1);
            reject(
              isBusy
                ? new LogtoBusyError(lane, this.#retryAfterMs())
                : new LogtoNetworkError('network.timeout', 'No request budget was free in time.'),
            );
          },
          Math.max(0, giveUpAt - performance.now()),
        );
      }
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** How many requests wait in a lane (for the proxy's early refusal, tests and the bench). */
  queued(lane: Lane): number {
    return this.#waiters.filter((waiter) => waiter.lane === lane).length;
  }

  /** Whether a lane's queue is full, so a new request would be refused at once. */
  isSaturated(lane: Lane): boolean {
    return this.queued(lane) >= this.#maxQueued[lane];
  }

  /**
   * How long a new request of `lane` from `clientKey` would wait here: the people's requests that
   * would go before it (those of clients that used no more of the window; jobs always go after
   * people) need pacing tokens and room in the window first. An estimate — releases, other
   * instances and arrivals that rank ahead move it — but never "no wait" when the budget is spent.
   */
  expectedWaitMs(
    lane: Lane,
    clientKey: string = ANONYMOUS,
    now: number = performance.now(),
    /** Permits that must still be there after this request's. */
    reserve = 0,
  ): number {
    if (lane === 'jobs') return 0;
    const { maxRequests, windowMs } = this.options;
    const live = this.#uses.filter((use) => use.endedAt === undefined || use.endedAt > now - windowMs);
    const used = new Map<string, number>();
    for (const use of live) used.set(use.clientKey, (used.get(use.clientKey) ?? 0) + 1);
    const usedBy = (key: string) => (key === ANONYMOUS ? 0 : (used.get(key) ?? 0));
    const rank = usedBy(clientKey);
    const ahead = this.#waiters.filter(
      (waiter) => waiter.lane !== 'jobs' && usedBy(waiter.clientKey) <= rank,
    ).length;
    const needed = ahead + 1 + reserve;
    const paced = this.#paced.timeFor(needed, now) - now;
    const over = live.length + needed - maxRequests;
    let windowed = 0;
    if (over > 0) {
      const leaving = live
        .flatMap((use) => (use.endedAt === undefined ? [] : [use.endedAt + windowMs]))
        .sort((a, b) => a - b);
      // Requests still in flight leave the window no sooner than a window from now.
      windowed = (leaving[over - 1] ?? now + windowMs) - now;
    }
    return Math.max(0, paced, windowed);
  }

  /** When a slot is likely to free up: the oldest counted request leaving the window. */
  #retryAfterMs(): number {
    const oldestEnd = this.#uses.find((use) => use.endedAt !== undefined)?.endedAt;
    if (oldestEnd === undefined) return 1_000;
    return Math.max(1_000, Math.ceil(oldestEnd + this.options.windowMs - performance.now()));
  }

  #releaser(use: Use): () => void {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      this.#inFlight -= 1;
      use.endedAt = performance.now();
      this.#pump();
    };
  }

  #pump(): void {
    const { maxRequests, windowMs, maxInFlight } = this.options;
    const now = performance.now();
    this.#uses = this.#uses.filter((use) => use.endedAt === undefined || use.endedAt > now - windowMs);

    while (this.#waiters.length > 0 && this.#inFlight < maxInFlight && this.#uses.length < maxRequests) {
      if (!this.#paced.has(now)) break;
      const index = this.#nextWaiterIndex(now);
      if (index === -1) break;
      const shared = this.options.sharedPermits;
      if (shared && !shared.take()) {
        shared.request(this.#waiters.length, () => this.#pump());
        break;
      }
      const [waiter] = this.#waiters.splice(index, 1);
      this.#paced.take(now);
      if (waiter!.lane === 'jobs') this.#jobsPaced.take(now);
      const use: Use = { lane: waiter!.lane, clientKey: waiter!.clientKey, endedAt: undefined };
      this.#uses.push(use);
      this.#inFlight += 1;
      waiter!.grant(this.#releaser(use));
    }
    if (this.#waiters.length > 0) this.#wakeAt(this.#nextChance(now));
  }

  /**
   * When waiting requests may next get a permit: the oldest counted request leaving the window,
   * or the next pacing token (everyone's, or the jobs' own when only jobs wait). Releases wake
   * the queue by themselves.
   */
  #nextChance(now: number): number {
    const candidates: number[] = [this.#paced.nextAt(now)];
    for (const use of this.#uses) {
      if (use.endedAt !== undefined) candidates.push(use.endedAt + this.options.windowMs);
    }
    if (this.#waiters.some((waiter) => waiter.lane === 'jobs')) candidates.push(this.#jobsPaced.nextAt(now));
    // A moment already here is not what holds the queue back (an in-flight limit is, and a
    // release will pump): waking for it would only spin.
    return Math.min(...candidates.filter((at) => at > now));
  }

  #wakeAt(at: number): void {
    if (!Number.isFinite(at) || (this.#timer !== undefined && this.#timerAt <= at)) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        this.#pump();
      },
      Math.max(0, Math.ceil(at - performance.now())),
    );
  }

  /**
   * The waiter to serve next, or -1 when every waiter is held back by its lane or client limit.
   * Bulk jobs come last: one is picked only when no person's request can go.
   */
  #nextWaiterIndex(now: number): number {
    const usedByClient = new Map<string, number>();
    const inFlightByClient = new Map<string, number>();
    let publicUsed = 0;
    let jobsUsed = 0;
    let jobsInFlight = 0;
    for (const use of this.#uses) {
      usedByClient.set(use.clientKey, (usedByClient.get(use.clientKey) ?? 0) + 1);
      if (use.endedAt === undefined)
        inFlightByClient.set(use.clientKey, (inFlightByClient.get(use.clientKey) ?? 0) + 1);
      if (use.lane === 'public') publicUsed += 1;
      if (use.lane === 'jobs') {
        jobsUsed += 1;
        if (use.endedAt === undefined) jobsInFlight += 1;
      }
    }
    const isJobHeldBack =
      jobsUsed >= this.#jobsMax || jobsInFlight >= this.#jobsMaxInFlight || !this.#jobsPaced.has(now);
    let best = -1;
    let bestRank = Infinity;
    this.#waiters.forEach((waiter, index) => {
      if (waiter.lane === 'public' && publicUsed >= this.#publicMax) return;
      if (waiter.lane === 'jobs' && isJobHeldBack) return;
      // Anonymous requests (no client known) are not held back per client.
      const isKnownClient = waiter.clientKey !== ANONYMOUS;
      if (isKnownClient && (inFlightByClient.get(waiter.clientKey) ?? 0) >= this.#maxInFlightPerClient)
        return;
      const used = isKnownClient ? (usedByClient.get(waiter.clientKey) ?? 0) : 0;
      const rank = (waiter.lane === 'jobs' ? JOBS_RANK_OFFSET : 0) + used;
      if (rank < bestRank) {
        best = index;
        bestRank = rank;
      }
    });
    return best;
  }
}

/** Permits that refill continuously at `ratePerMs`, holding at most `capacity`. */
class TokenBucket {
  #tokens: number;
  #updatedAt: number | undefined;

  constructor(
    private readonly capacity: number,
    private readonly ratePerMs: number,
  ) {
    this.#tokens = capacity;
  }

  #refill(now: number): void {
    if (this.#updatedAt !== undefined) {
      this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#updatedAt) * this.ratePerMs);
    }
    this.#updatedAt = now;
  }

  has(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= 1;
  }

  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }

  /** When the next whole permit is there (now, if it already is). */
  nextAt(now: number): number {
    return this.timeFor(1, now);
  }

  /** When `count` permits will have been there, taking none meanwhile (now, if they already are). */
  timeFor(count: number, now: number): number {
    this.#refill(now);
    return this.#tokens >= count ? now : now + (count - this.#tokens) / this.ratePerMs;
  }
}
