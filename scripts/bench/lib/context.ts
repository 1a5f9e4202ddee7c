import type { PortalSession } from './http-session';
import type { LogtoAdmin, LogtoStats } from './logto-admin';
import type { Stack } from './stack';

/**
 * The portal's default Management API request budget (`LOGTO_REQUEST_BUDGET`, lib/config), which
 * is also Logto Cloud's documented limit: the local Logto's rate-limit fault enforces it where a
 * phase checks that the portal keeps to it.
 */
export const PORTAL_BUDGET = { limit: 200, windowMs: 10_000 } as const;

/**
 * The portal's read cache lifetime (`PORTAL_READ_CACHE_MS`'s default, lib/config) and a margin:
 * after this long, a page comes from Logto again.
 */
export const READ_CACHE_SETTLE_MS = 5_500;

/**
 * Counts, over the whole run, what the local Logto saw from the one portal process: M2M token
 * requests (sign-ins' code exchanges taken out) and calls per route. Phases reset Logto's
 * counters, so each phase's numbers are added here before the next reset.
 */
export class LogtoTally {
  m2mTokenRequests = 0;
  byRoute: Record<string, number> = {};
  /** Per observation window, so a surprising total can be traced to its phase. */
  windows: Array<{ label: string; apiRequests: number; tokenRequests: number; codeExchanges: number }> = [];
  readonly startedAt = performance.now();

  /** Adds one observation window; `codeExchanges` = sign-ins completed inside it. */
  add(label: string, stats: LogtoStats, codeExchanges = 0): void {
    this.windows.push({
      label,
      apiRequests: stats.apiRequests,
      tokenRequests: stats.tokenRequests,
      codeExchanges,
    });
    this.m2mTokenRequests += Math.max(0, stats.tokenRequests - codeExchanges);
    for (const [route, count] of Object.entries(stats.byRoute)) {
      this.byRoute[route] = (this.byRoute[route] ?? 0) + count;
    }
  }
}

/** Everything a phase needs. */
export type BenchContext = {
  stack: Stack;
  admin: LogtoAdmin;
  projectDir: string;
  /** Id of the big organization (Acme, 10,000 members). */
  orgId: string;
  members: number;
  isQuick: boolean;
  /** Alice (Acme admin), signed in over HTTP. */
  alice: PortalSession;
  tally: LogtoTally;
  log: (message: string) => void;
};

/**
 * Runs `work` between a reset and a read of the local Logto's counters and adds them to the
 * run's tally. The bench's own Logto calls inside `work` must be few and known: callers
 * subtract them.
 */
export async function observeLogto<T>(
  context: Pick<BenchContext, 'admin' | 'tally'>,
  label: string,
  work: () => Promise<T>,
  options: { codeExchanges?: number } = {},
): Promise<{ value: T; stats: LogtoStats; elapsedMs: number }> {
  await context.admin.resetStats();
  const started = performance.now();
  const value = await work();
  const elapsedMs = performance.now() - started;
  const stats = await context.admin.stats();
  context.tally.add(label, stats, options.codeExchanges ?? 0);
  return { value, stats, elapsedMs };
}

/** Sum of per-route counts (requests that reached a Management API route). */
export function routedRequests(stats: LogtoStats): number {
  return Object.values(stats.byRoute).reduce((sum, count) => sum + count, 0);
}
