import { mapWithConcurrency } from '../../../lib/concurrency';
import { round } from './stats';

/** What a phase found in the tenant, what it added, and how long the adding took. */
export type TopUp = { existing: number; created: number; seconds: number };

/**
 * Brings something the local Logto holds from `existing` up to `total`: `create(n)` makes the
 * n-th missing one (1-based), `concurrency` at once. Runs before a phase's counting starts.
 */
export async function topUp(
  existing: number,
  total: number,
  concurrency: number,
  create: (number: number) => Promise<unknown>,
): Promise<TopUp> {
  const missing = Math.max(0, total - existing);
  const started = performance.now();
  await mapWithConcurrency(
    Array.from({ length: missing }, (_, index) => index + 1),
    concurrency,
    create,
  );
  return { existing, created: missing, seconds: round((performance.now() - started) / 1000, 1) };
}
