import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '@/lib/process-singleton';
import type { Lane } from './limiter';

/**
 * Whose Management API calls the current work makes: the lane and the client they count for, and
 * whether they only prefetch (then they take budget only when plenty is free).
 */
export type BudgetContext = { lane: Lane; clientKey?: string; isPrefetch?: boolean };

// One store per process: Next bundles this module several times, and a context entered in an
// action's bundle must be the one the shared client's bundle reads.
const storage = processSingleton('logto-budget-context', () => new AsyncLocalStorage<BudgetContext>());

/**
 * Runs `task` with its Management API calls counted for `context` (the lane and client used by
 * the request budget's fair sharing). Calls made outside any context are interactive and
 * anonymous.
 */
export function runWithBudgetContext<T>(context: BudgetContext, task: () => T): T {
  return storage.run({ ...context }, task);
}

/** The current context, if any. */
export function currentBudgetContext(): BudgetContext | undefined {
  return storage.getStore();
}

/**
 * Names the client of the current context once it is known (the session is read after the
 * context starts). Does nothing outside a context, and never overrides an earlier name.
 */
export function attributeBudgetTo(clientKey: string): void {
  const context = storage.getStore();
  if (context && context.clientKey === undefined) context.clientKey = clientKey;
}
