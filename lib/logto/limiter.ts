/** Limits of a {@link RequestLimiter}. */
export type RequestLimiterOptions = {
  /** At most this many requests in any window of `windowMs`. */
  maxRequests: number;
  windowMs: number;
  /** At most this many requests in flight at once. */
  maxInFlight: number;
};

/**
 * Keeps a process under a request budget and an in-flight cap. Callers wait (FIFO) for a slot;
 * they never fail.
 *
 * A request counts against the window from the moment it starts until `windowMs` after it ends.
 * Counting from the end, not only the start, is what guarantees the budget as the server sees it:
 * the server receives each request somewhere between its start and end here, so however the
 * network delays them, no server-side window can hold more than `maxRequests` of them.
 */
export class RequestLimiter {
  #inFlight = 0;
  /** End times (performance.now) of finished requests still inside the window, oldest first. */
  #recentEnds: number[] = [];
  #waiters: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RequestLimiterOptions) {}

  /** Waits for a slot; the returned function gives it back and must be called exactly once. */
  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      this.#waiters.push(() => resolve(this.#releaser()));
      this.#pump();
    });
  }

  #releaser(): () => void {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      this.#inFlight -= 1;
      this.#recentEnds.push(performance.now());
      this.#pump();
    };
  }

  #pump(): void {
    const { maxRequests, windowMs, maxInFlight } = this.options;
    const now = performance.now();
    while (this.#recentEnds.length > 0 && this.#recentEnds[0]! <= now - windowMs) this.#recentEnds.shift();

    while (
      this.#waiters.length > 0 &&
      this.#inFlight < maxInFlight &&
      this.#inFlight + this.#recentEnds.length < maxRequests
    ) {
      this.#inFlight += 1;
      this.#waiters.shift()!();
    }

    // Releases wake the queue by themselves; the window only frees up with time.
    const oldestEnd = this.#recentEnds[0];
    if (this.#waiters.length > 0 && oldestEnd !== undefined && this.#timer === undefined) {
      this.#timer = setTimeout(
        () => {
          this.#timer = undefined;
          this.#pump();
        },
        Math.max(0, oldestEnd + windowMs - now),
      );
    }
  }
}
