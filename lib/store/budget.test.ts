import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  countLiveInstances,
  heartbeat,
  leasePermits,
  retireInstance,
  tryLeasePermits,
  type LeaseGrant,
} from './budget';
import { runSql, type Store } from './client';
import { sleep, setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

/** The most permits granted within any span of `spanMs`, by the store's clock. */
function mostPermitsInAnySpan(grants: LeaseGrant[], spanMs: number): number {
  const times = grants.filter((grant) => grant.granted > 0).sort((a, b) => +a.grantedAt - +b.grantedAt);
  let most = 0;
  // The busiest span ends at some grant.
  for (const last of times) {
    const inSpan = times.filter(
      (grant) => +grant.grantedAt > +last.grantedAt - spanMs && +grant.grantedAt <= +last.grantedAt,
    );
    most = Math.max(
      most,
      inSpan.reduce((sum, grant) => sum + grant.granted, 0),
    );
  }
  return most;
}

describe.each(backends)('the shared request budget on $name', (backend) => {
  beforeEach(async () => {
    await runSql(sql`delete from budget_leases`, backend.store.db);
    await runSql(sql`delete from instances`, backend.store.db);
  });

  const lease = (store: Store, wanted: number, budget: number, windowMs = 10_000, leaseTtlMs = 1_000) =>
    tryLeasePermits({ instanceId: 'test', wanted, budget, windowMs, leaseTtlMs }, store);

  it('grants what is wanted while there is room, then what is left, then nothing', async () => {
    const { store } = backend;
    expect((await lease(store, 4, 10)).granted).toBe(4);
    expect((await lease(store, 4, 10)).granted).toBe(4);
    expect((await lease(store, 4, 10)).granted).toBe(2);
    const refused = await lease(store, 4, 10);
    expect(refused.granted).toBe(0);
    expect(refused.retryAfterMs).toBeGreaterThan(9_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(11_000);
    expect(
      await leasePermits(
        { instanceId: 'test', wanted: 0, budget: 10, windowMs: 10_000, leaseTtlMs: 0 },
        store,
      ),
    ).toBe(0);
  });

  it('frees permits as the oldest grants leave the span, and says when', async () => {
    const { store } = backend;
    const windowMs = 200;
    const leaseTtlMs = 100;
    const first = await lease(store, 3, 10, windowMs, leaseTtlMs);
    await sleep(120);
    expect((await lease(store, 7, 10, windowMs, leaseTtlMs)).granted).toBe(7);
    const refused = await lease(store, 1, 10, windowMs, leaseTtlMs);
    expect(refused.granted).toBe(0);
    // The first grant's 3 permits free first, 300 ms after it was made.
    const expectedWait = +first.grantedAt + windowMs + leaseTtlMs - +refused.grantedAt;
    expect(Math.abs(refused.retryAfterMs - expectedWait)).toBeLessThanOrEqual(2);
    await sleep(refused.retryAfterMs);
    expect((await lease(store, 5, 10, windowMs, leaseTtlMs)).granted).toBe(3);
  });

  it('gives concurrent callers of several instances exactly the budget, never more', async () => {
    const instances = [backend.store, await backend.openInstance(), await backend.openInstance()];
    const grants = await Promise.all(
      instances.flatMap((store) => Array.from({ length: 10 }, () => lease(store, 3, 50))),
    );
    expect(grants.reduce((sum, grant) => sum + grant.granted, 0)).toBe(50);
    expect(grants.filter((grant) => grant.granted === 0).every((grant) => grant.retryAfterMs > 0)).toBe(true);
  });

  it('keeps every span within the budget under sustained load, and keeps granting', async () => {
    const instances = [backend.store, await backend.openInstance(), await backend.openInstance()];
    const budget = 20;
    const windowMs = 150;
    const leaseTtlMs = 100;
    const runForMs = 1_500;
    const grants: LeaseGrant[] = [];
    const deadline = Date.now() + runForMs;
    await Promise.all(
      instances.flatMap((store, instance) =>
        Array.from({ length: 3 }, async (_, worker) => {
          while (Date.now() < deadline) {
            const grant = await tryLeasePermits(
              {
                instanceId: `i${instance}w${worker}`,
                wanted: 1 + Math.floor(Math.random() * 4),
                budget,
                windowMs,
                leaseTtlMs,
              },
              store,
            );
            grants.push(grant);
            await sleep(grant.granted > 0 ? 5 : Math.min(grant.retryAfterMs, 50));
          }
        }),
      ),
    );
    // Demand far exceeds the budget, so the busiest span is full, and no span holds more.
    expect(mostPermitsInAnySpan(grants, windowMs + leaseTtlMs)).toBe(budget);
    // Granting never stalls: every full span of the run saw permits granted.
    const granted = grants.reduce((sum, grant) => sum + grant.granted, 0);
    expect(granted).toBeGreaterThanOrEqual(budget * Math.floor(runForMs / (windowMs + leaseTtlMs)) * 0.5);
  });

  it('paces grants across instances with one bucket: full at first, then a permit as each refills', async () => {
    await runSql(sql`delete from budget_pace`, backend.store.db);
    const instances = [backend.store, await backend.openInstance(), await backend.openInstance()];
    // A permit a second: the three calls land well within one refill however busy the machine.
    const pace = { count: 6, windowMs: 6_000 };
    const request = (index: number) =>
      tryLeasePermits(
        { instanceId: `i${index}`, wanted: 5, budget: 100, windowMs: 10_000, leaseTtlMs: 1_000, pace },
        instances[index]!,
      );
    const grants = await Promise.all(instances.map((_, index) => request(index)));
    expect(
      grants.reduce((sum, grant) => sum + grant.granted, 0),
      'the bucket, though the budget has room',
    ).toBe(6);
    const refused = grants.filter((grant) => grant.granted === 0);
    expect(refused.length).toBeGreaterThan(0);
    for (const grant of refused) {
      // One permit's refill time, less what has refilled since the bucket was emptied.
      expect(grant.retryAfterMs).toBeGreaterThan(0);
      expect(grant.retryAfterMs).toBeLessThanOrEqual(pace.windowMs / pace.count);
    }
    await sleep(Math.max(...refused.map((grant) => grant.retryAfterMs)));
    expect((await request(0)).granted, 'a permit has refilled').toBeGreaterThan(0);
  });

  it('keeps both the pace and the budget under sustained load from several instances', async () => {
    await runSql(sql`delete from budget_pace`, backend.store.db);
    const instances = [backend.store, await backend.openInstance(), await backend.openInstance()];
    const request = { budget: 40, windowMs: 1_000, leaseTtlMs: 100, pace: { count: 8, windowMs: 200 } };
    const grants: LeaseGrant[] = [];
    const deadline = Date.now() + 1_500;
    await Promise.all(
      instances.flatMap((store, instance) =>
        Array.from({ length: 3 }, async (_, worker) => {
          while (Date.now() < deadline) {
            const grant = await tryLeasePermits(
              { instanceId: `i${instance}w${worker}`, wanted: 1 + Math.floor(Math.random() * 4), ...request },
              store,
            );
            grants.push(grant);
            await sleep(grant.granted > 0 ? 5 : Math.min(grant.retryAfterMs, 50));
          }
        }),
      ),
    );
    const given = grants.filter((grant) => grant.granted > 0).sort((a, b) => +a.grantedAt - +b.grantedAt);
    const total = given.reduce((sum, grant) => sum + grant.granted, 0);
    const spanMs = +given.at(-1)!.grantedAt - +given[0]!.grantedAt;
    const { count, windowMs } = request.pace;
    // A full bucket at first, then no more than it refills: by the store's own clock.
    expect(total).toBeLessThanOrEqual(count + Math.floor((spanMs * count) / windowMs));
    expect(mostPermitsInAnySpan(grants, windowMs)).toBeLessThanOrEqual(2 * count);
    expect(mostPermitsInAnySpan(grants, request.windowMs + request.leaseTtlMs)).toBeLessThanOrEqual(
      request.budget,
    );
  });

  it('still serves an instance of the previous release, which knows nothing of the pace', async () => {
    const [row] = await runSql<{ granted: number }>(
      sql`select granted from portal_lease_permits('old', 4::integer, 10::integer, 11000::integer)`,
      backend.store.db,
    );
    expect(Number(row?.granted)).toBe(4);
  });

  it('deletes leases too old to count', async () => {
    const { store } = backend;
    await runSql(
      sql`insert into budget_leases (instance_id, permits, granted_at) values ('old', 5, now() - interval '2 minutes')`,
      store.db,
    );
    expect((await lease(store, 1, 10, 1_000, 0)).granted).toBe(1);
    const [row] = await runSql<{ rows: number }>(
      sql`select count(*)::integer as rows from budget_leases`,
      store.db,
    );
    expect(row?.rows).toBe(1);
  });

  it('refuses nonsensical requests', async () => {
    await expect(lease(backend.store, -1, 10)).rejects.toThrow(RangeError);
    await expect(lease(backend.store, 1, 10, 0)).rejects.toThrow(RangeError);
    await expect(lease(backend.store, 1.5, 10)).rejects.toThrow(RangeError);
    const withPace = (pace: { count: number; windowMs: number }) =>
      tryLeasePermits(
        { instanceId: 'test', wanted: 1, budget: 10, windowMs: 1_000, leaseTtlMs: 100, pace },
        backend.store,
      );
    await expect(withPace({ count: 2, windowMs: 0 })).rejects.toThrow(RangeError);
    await expect(withPace({ count: 2, windowMs: 2_000 }), 'a pace slower than the window').rejects.toThrow(
      RangeError,
    );
    await expect(withPace({ count: -1, windowMs: 100 })).rejects.toThrow(RangeError);
  });

  it('counts the instances that sent a heartbeat recently', async () => {
    const other = await backend.openInstance();
    await heartbeat('instance-a', backend.store);
    await heartbeat('instance-b', other);
    await heartbeat('instance-b', other);
    expect(await countLiveInstances(60_000, backend.store)).toBe(2);
    await sleep(150);
    await heartbeat('instance-a', backend.store);
    expect(await countLiveInstances(100, other)).toBe(1);
    await retireInstance('instance-a', backend.store);
    expect(await countLiveInstances(60_000, backend.store)).toBe(1);
  });
});
