import { describe, expect, it } from 'vitest';
import { RequestLimiter } from './limiter';
import { admitPublicVisit, publicVisitsPerMinute, registerPublicLimiter, visitorKeyOf } from './public-gate';

describe('admitPublicVisit', () => {
  it('lets a visitor make a limited number of views a minute, then answers 429 with when to come back', () => {
    const start = 1_000_000;
    const limit = publicVisitsPerMinute();
    for (let index = 0; index < limit; index += 1) expect(admitPublicVisit('visitor-a', start).ok).toBe(true);
    const refused = admitPublicVisit('visitor-a', start + 15_000);
    expect(refused).toEqual({ ok: false, status: 429, retryAfterSeconds: 45 });
    // Another visitor is not affected, and the same one is welcome again a minute later.
    expect(admitPublicVisit('visitor-b', start + 15_000).ok).toBe(true);
    expect(admitPublicVisit('visitor-a', start + 60_000).ok).toBe(true);
  });

  it('answers 503 at once while the public lane of the budget is full', async () => {
    const limiter = new RequestLimiter({
      maxRequests: 10,
      windowMs: 60_000,
      maxInFlight: 4,
      maxQueued: { public: 1 },
    });
    registerPublicLimiter(limiter);
    await limiter.acquire({ lane: 'public' });
    void limiter.acquire({ lane: 'public' }).catch(() => undefined);
    expect(admitPublicVisit('visitor-c')).toEqual({ ok: false, status: 503, retryAfterSeconds: 5 });
  });
});

describe('visitorKeyOf', () => {
  it('takes the first forwarded address, then X-Real-IP', () => {
    expect(visitorKeyOf(new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }))).toBe('203.0.113.9');
    expect(visitorKeyOf(new Headers({ 'x-real-ip': '203.0.113.7' }))).toBe('203.0.113.7');
    expect(visitorKeyOf(new Headers())).toBe('unknown');
  });
});
