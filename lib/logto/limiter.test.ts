import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogtoBusyError, LogtoNetworkError } from './errors';
import { RequestLimiter } from './limiter';

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('RequestLimiter', () => {
  it('never lets more than the budget out in a window, and frees slots as the window passes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const limiter = new RequestLimiter({ maxRequests: 3, windowMs: 1_000, maxInFlight: 10 });
    const granted: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      void limiter.acquire().then((release) => {
        granted.push(index);
        release();
      });
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps public traffic to its share, refuses it at once when its short queue is full, and lets an admin through', async () => {
    const limiter = new RequestLimiter({
      maxRequests: 10,
      windowMs: 60_000,
      maxInFlight: 16,
      publicShare: 0.2,
      maxQueued: { public: 5 },
    });
    const outcomes = { granted: 0, busy: 0 };
    const publicRequests = Array.from({ length: 80 }, () =>
      limiter.acquire({ lane: 'public', clientKey: 'visitor:1.2.3.4' }).then(
        () => (outcomes.granted += 1),
        (error: unknown) => {
          expect(error).toBeInstanceOf(LogtoBusyError);
          outcomes.busy += 1;
        },
      ),
    );
    await settle();
    // 2 of 10 permits are public; 5 more may wait; the other 73 are refused without waiting.
    expect(outcomes).toEqual({ granted: 2, busy: 73 });
    expect(limiter.queued('public')).toBe(5);
    expect(limiter.isSaturated('public')).toBe(true);

    let isAdminServed = false;
    void limiter.acquire({ lane: 'interactive', clientKey: 'user:alice' }).then(() => (isAdminServed = true));
    await settle();
    expect(isAdminServed).toBe(true);
    expect(publicRequests).toHaveLength(80);
  });

  it('spreads a busy window evenly when paced: a small burst, then one permit per slice of the window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const limiter = new RequestLimiter({
      maxRequests: 10,
      windowMs: 1_000,
      maxInFlight: 10,
      burst: 2,
      // Everyone queues here, however long the wait: this is about the order of grants.
      maxWaitMs: { interactive: Infinity },
    });
    let granted = 0;
    for (let index = 0; index < 30; index += 1) {
      void limiter.acquire({ clientKey: `user:${index}` }).then((release) => {
        granted += 1;
        release();
      });
    }
    const grantedAt = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return granted;
    };
    expect(await grantedAt(0)).toBe(2);
    // One more every 100 ms (10 per 1,000 ms)…
    expect(await grantedAt(500)).toBe(7);
    expect(await grantedAt(300)).toBe(10);
    // …while the window still caps what any 1,000 ms holds: the 11th waits for the first to age out.
    expect(await grantedAt(150)).toBe(10);
    expect(await grantedAt(50)).toBe(12);
    expect(await grantedAt(500)).toBe(17);
  });

  it('holds bulk jobs to their share even when idle, and serves people ahead of them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const limiter = new RequestLimiter({ maxRequests: 10, windowMs: 1_000, maxInFlight: 10, jobsShare: 0.7 });
    const order: string[] = [];
    const take = (lane: 'jobs' | 'interactive', name: string) =>
      void limiter
        .acquire({ lane, clientKey: lane === 'jobs' ? 'job:1' : `user:${name}` })
        .then((release) => {
          order.push(name);
          release();
        });
    for (let index = 0; index < 12; index += 1) take('jobs', `job-${index}`);
    await vi.advanceTimersByTimeAsync(0);
    // 7 of 10 permits at most, though nobody else wants the other 3.
    expect(order).toHaveLength(7);
    expect(limiter.queued('jobs')).toBe(5);

    // A person arriving while the job waits gets a permit at once…
    take('interactive', 'alice');
    await vi.advanceTimersByTimeAsync(0);
    expect(order.at(-1)).toBe('alice');

    // …and when the window frees up, waiting people go before the job's backlog.
    for (const name of ['bob', 'carol', 'dave']) take('interactive', name);
    await vi.advanceTimersByTimeAsync(0);
    expect(order.slice(8)).toEqual(['bob', 'carol']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order.slice(10)).toEqual(['dave', 'job-7', 'job-8', 'job-9', 'job-10', 'job-11']);
  });

  it('gives a freed slot to the client who used the least, so one bulk job cannot hold others back', async () => {
    const limiter = new RequestLimiter({ maxRequests: 100, windowMs: 60_000, maxInFlight: 1 });
    const order: string[] = [];
    const first = await limiter.acquire({ clientKey: 'user:bulk' });
    for (let index = 0; index < 5; index += 1) {
      void limiter.acquire({ clientKey: 'user:bulk' }).then((release) => {
        order.push('bulk');
        release();
      });
    }
    void limiter.acquire({ clientKey: 'user:viewer' }).then((release) => {
      order.push('viewer');
      release();
    });
    first();
    await settle();
    expect(order[0]).toBe('viewer');
    expect(order).toHaveLength(6);
  });

  it('lets one client use the whole budget when nobody else is waiting', async () => {
    const limiter = new RequestLimiter({ maxRequests: 20, windowMs: 60_000, maxInFlight: 4 });
    let granted = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.acquire({ clientKey: 'user:bulk' }).then((release) => {
          granted += 1;
          release();
        }),
      ),
    );
    expect(granted).toBe(20);
  });

  it('holds one client to half the in-flight slots', async () => {
    const limiter = new RequestLimiter({ maxRequests: 100, windowMs: 60_000, maxInFlight: 4 });
    let granted = 0;
    for (let index = 0; index < 4; index += 1) {
      void limiter.acquire({ clientKey: 'user:bulk' }).then(() => (granted += 1));
    }
    await settle();
    expect(granted).toBe(2);
    let isOtherServed = false;
    void limiter.acquire({ clientKey: 'user:other' }).then(() => (isOtherServed = true));
    await settle();
    expect(isOtherServed).toBe(true);
  });

  it('fails a wait that outlives its deadline as a timeout, and forgets the waiter', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const limiter = new RequestLimiter({
      maxRequests: 1,
      windowMs: 10_000,
      maxInFlight: 1,
      maxWaitMs: { interactive: Infinity },
    });
    const release = await limiter.acquire();
    const waiting = limiter.acquire({ deadline: performance.now() + 500 });
    const failure = waiting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    const error = await failure;
    expect(error).toBeInstanceOf(LogtoNetworkError);
    expect((error as LogtoNetworkError).code).toBe('network.timeout');
    expect(limiter.queued('interactive')).toBe(0);
    release();
  });

  it('refuses at once a person whose expected wait is over 1.5 s, saying when to retry; jobs still queue', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // One permit a second after a burst of two.
    const limiter = new RequestLimiter({ maxRequests: 10, windowMs: 10_000, maxInFlight: 10, burst: 2 });
    const outcomes: string[] = [];
    const take = (name: string, lane: 'interactive' | 'jobs' = 'interactive') =>
      limiter.acquire({ lane, clientKey: lane === 'jobs' ? 'job:1' : `user:${name}` }).then(
        (release) => {
          outcomes.push(`${name} granted`);
          release();
        },
        (error: unknown) => {
          expect(error).toBeInstanceOf(LogtoBusyError);
          outcomes.push(`${name} busy ${Math.ceil((error as LogtoBusyError).retryAfterMs / 1_000)} s`);
        },
      );
    for (const name of ['a', 'b', 'c']) void take(name);
    void take('job', 'jobs');
    await vi.advanceTimersByTimeAsync(0);
    // a and b take the burst; c waits about a second, which is fine.
    expect(outcomes).toEqual(['a granted', 'b granted']);
    void take('d');
    await vi.advanceTimersByTimeAsync(0);
    // d would wait about two: refused without waiting, told to come back then.
    expect(outcomes).toEqual(['a granted', 'b granted', 'd busy 2 s']);
    expect(limiter.queued('interactive')).toBe(1);
    expect(limiter.queued('jobs')).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outcomes.at(-1)).toBe('c granted');
    // With c gone the queue is short again: a new request waits its second and gets through.
    void take('e');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outcomes.at(-1)).toBe('e granted');
    expect(limiter.queued('jobs')).toBe(1);
  });

  it('serves a prefetch only while half the burst stays free and nobody waits, refusing it at once otherwise', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // A burst of four, then one permit a second; a prefetch leaves two.
    const limiter = new RequestLimiter({ maxRequests: 10, windowMs: 10_000, maxInFlight: 10, burst: 4 });
    const outcomes: string[] = [];
    const take = (name: string, isPrefetch = false) =>
      limiter.acquire({ clientKey: `user:${name}`, isPrefetch }).then(
        (release) => {
          outcomes.push(`${name} granted`);
          release();
        },
        (error: unknown) => {
          expect(error).toBeInstanceOf(LogtoBusyError);
          outcomes.push(`${name} busy`);
        },
      );
    for (const name of ['prefetch 1', 'prefetch 2', 'prefetch 3']) void take(name, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes, 'four free: two prefetches go, a third would leave fewer than two').toEqual([
      'prefetch 1 granted',
      'prefetch 2 granted',
      'prefetch 3 busy',
    ]);
    for (const name of ['view 1', 'view 2', 'view 3']) void take(name);
    void take('prefetch 4', true);
    await vi.advanceTimersByTimeAsync(0);
    expect(
      outcomes.slice(3),
      'people take what is left and one waits; the prefetch does not wait behind them',
    ).toEqual(['view 1 granted', 'view 2 granted', 'prefetch 4 busy']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outcomes.at(-1)).toBe('view 3 granted');
  });

  it('refuses a person who has waited 1.5 s anyway (the wait the estimate could not see)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    // The in-flight cap is not in the estimate: a long request holds the only slot.
    const limiter = new RequestLimiter({ maxRequests: 100, windowMs: 10_000, maxInFlight: 1 });
    const release = await limiter.acquire({ clientKey: 'user:a' });
    const failure = limiter.acquire({ clientKey: 'user:b' }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(limiter.queued('interactive')).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await failure).toBeInstanceOf(LogtoBusyError);
    expect(limiter.queued('interactive')).toBe(0);
    release();
  });
});
