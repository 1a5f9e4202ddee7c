import pg from 'pg';

/** One grant of the shared request budget, as the store recorded it (`budget_leases`). */
export type LeaseGrantRow = { id: number; instanceId: string; permits: number; atEpochMs: number };

/**
 * Reads the store's own record of the permits it granted (`budget_leases`) while a run lasts:
 * the store deletes rows a minute old, so it copies them every `everyMs` and once more on stop.
 * The bench's view of the shared budget from the store's side, to set beside what Logto received.
 * The returned function stops (once; later calls get the same answer).
 */
export async function watchLeases(
  databaseUrl: string,
  everyMs = 15_000,
): Promise<() => Promise<LeaseGrantRow[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // The server may stop before this is stopped (a failed run): that is no crash.
  client.on('error', () => undefined);
  await client.connect();
  const rows = new Map<number, LeaseGrantRow>();
  const copy = async () => {
    const result = await client.query<{ id: string; instance_id: string; permits: number; at: number }>(
      `select id, instance_id, permits, (extract(epoch from granted_at) * 1000)::float8 as at from budget_leases`,
    );
    for (const row of result.rows) {
      rows.set(Number(row.id), {
        id: Number(row.id),
        instanceId: row.instance_id,
        permits: row.permits,
        atEpochMs: Number(row.at),
      });
    }
  };
  await copy();
  let copying: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    copying = copying.then(copy).catch(() => undefined);
  }, everyMs);
  let stopping: Promise<LeaseGrantRow[]> | undefined;
  return () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      try {
        await copying;
        await copy();
      } finally {
        await client.end();
      }
      return [...rows.values()].sort((a, b) => a.atEpochMs - b.atEpochMs || a.id - b.id);
    })());
}
