import 'server-only';

import { sql } from 'drizzle-orm';
import { getStore, runSql, type Store } from './client';

/** A request for permits of the shared Management API budget (see {@link leasePermits}). */
export type LeaseRequest = {
  /** Who asks; recorded for diagnosis. */
  instanceId: string;
  /** Permits wanted now (a small block, e.g. 5, keeps round trips rare and sharing fair). */
  wanted: number;
  /** Permits the whole deployment may use within any `windowMs` (e.g. 200). */
  budget: number;
  /** The tenant's rate-limit window (e.g. 10,000 ms). */
  windowMs: number;
  /** How long after its grant a permit may still be spent; the request must have finished by then. */
  leaseTtlMs: number;
  /**
   * Pacing across instances: one token bucket of `count` permits, shared by every instance, that
   * refills completely in `windowMs` (e.g. 20 per second for a budget of 200 per 10 s). After a
   * quiet spell `count` may go at once; under load the budget goes out evenly over its window.
   */
  pace?: { count: number; windowMs: number };
};

/** The answer to a {@link LeaseRequest}. */
export type LeaseGrant = {
  /** Permits granted, 0 ≤ granted ≤ wanted. */
  granted: number;
  /** When nothing was granted: how long until a permit frees up (0 when some were granted). */
  retryAfterMs: number;
  /** When the store granted them (the database's clock). */
  grantedAt: Date;
};

/**
 * Leases up to `wanted` permits of the request budget shared by every instance on the store.
 * The permits granted to all instances together within any span of `windowMs + leaseTtlMs`
 * never exceed `budget`. So, provided each permit's request is sent and finished within
 * `leaseTtlMs` of the call (measure that from before the call: the grant happens during it), no
 * window of `windowMs` at Logto sees more than `budget` requests, however the instances
 * interleave. Permits are granted whenever the span (and the pace, if given) has room: no caller
 * is refused while some are free.
 *
 * One round trip: the `portal_lease_permits` function decides under an advisory lock, stamps the
 * grant with the database's clock (instances' clocks do not matter) and deletes rows too old to
 * count. On PGlite the same function runs in-process.
 */
export async function tryLeasePermits(request: LeaseRequest, store?: Store): Promise<LeaseGrant> {
  const { instanceId, wanted, budget, windowMs, leaseTtlMs, pace } = request;
  const paceNumbers = pace ? { 'pace.count': pace.count, 'pace.windowMs': pace.windowMs } : {};
  for (const [name, value] of Object.entries({ wanted, budget, windowMs, leaseTtlMs, ...paceNumbers })) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
  if (windowMs === 0) throw new RangeError('windowMs must be at least 1');
  const spanMs = windowMs + leaseTtlMs;
  if (spanMs > 2 ** 31 - 1) throw new RangeError('windowMs + leaseTtlMs must be under 24 days');
  if (pace && (pace.windowMs === 0 || pace.windowMs > windowMs))
    throw new RangeError('pace.windowMs must be between 1 and windowMs');

  const [row] = await runSql<{ granted: number; retry_after_ms: number; granted_at_ms: number }>(
    sql`select granted, retry_after_ms, (extract(epoch from granted_at) * 1000)::float8 as granted_at_ms
        from portal_lease_permits(${instanceId}, ${wanted}::integer, ${budget}::integer, ${spanMs}::integer,
          ${pace?.count ?? null}::integer, ${pace?.windowMs ?? null}::integer)`,
    (store ?? (await getStore())).db,
  );
  if (!row) throw new Error('portal_lease_permits returned no row');
  return {
    granted: Number(row.granted),
    retryAfterMs: Number(row.retry_after_ms),
    grantedAt: new Date(Number(row.granted_at_ms)),
  };
}

/** {@link tryLeasePermits}, answering only how many permits were granted. */
export async function leasePermits(request: LeaseRequest, store?: Store): Promise<number> {
  return (await tryLeasePermits(request, store)).granted;
}

/** How long an instance may stay silent before {@link heartbeat} forgets it altogether. */
const FORGET_INSTANCES_AFTER = '1 day';

/**
 * Records that `instanceId` is alive now (the database's clock), so siblings can count it with
 * {@link countLiveInstances}. Call it every few seconds. Also forgets instances silent for a day.
 */
export async function heartbeat(instanceId: string, store?: Store): Promise<void> {
  const { db } = store ?? (await getStore());
  await runSql(
    sql`with forgotten as (
          delete from instances
          where instance_id <> ${instanceId} and last_seen_at < now() - ${FORGET_INSTANCES_AFTER}::interval
        )
        insert into instances (instance_id, last_seen_at) values (${instanceId}, now())
        on conflict (instance_id) do update set last_seen_at = excluded.last_seen_at`,
    db,
  );
}

/** Removes `instanceId` from the live instances at once (on a clean shutdown). */
export async function retireInstance(instanceId: string, store?: Store): Promise<void> {
  const { db } = store ?? (await getStore());
  await runSql(sql`delete from instances where instance_id = ${instanceId}`, db);
}

/** How many instances sent a {@link heartbeat} within the last `withinMs` (by the database's clock). */
export async function countLiveInstances(withinMs: number, store?: Store): Promise<number> {
  if (!Number.isFinite(withinMs) || withinMs < 0)
    throw new RangeError(`withinMs must be ≥ 0, got ${withinMs}`);
  const { db } = store ?? (await getStore());
  const [row] = await runSql<{ live: number }>(
    sql`select count(*)::integer as live from instances
        where last_seen_at > now() - make_interval(secs => ${withinMs / 1000}::float8)`,
    db,
  );
  return Number(row?.live ?? 0);
}
