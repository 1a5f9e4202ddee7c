import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '@/lib/process-singleton';

/**
 * Where one request's Management API time went: the calls it sent to Logto (retries included),
 * how long their answers took, summed, and how long it waited for the request budget and the
 * M2M token before sending them. A read another request already had in flight, or one served
 * from the read cache, is not a call of this request.
 */
export type LogtoCallTiming = { calls: number; answerMs: number; waitMs: number };

// One store per process, as for the budget context: a route's bundle and the shared client's
// bundle must see the same one.
const storage = processSingleton('logto-call-timing', () => new AsyncLocalStorage<LogtoCallTiming>());

/**
 * Runs `task` and tells where its Management API time went, with the task's whole duration. A
 * call the task starts but does not wait for counts only if it ends before the task does.
 */
export async function timeLogtoCalls<T>(
  task: () => Promise<T>,
): Promise<{ value: T; timing: LogtoCallTiming; totalMs: number }> {
  const timing: LogtoCallTiming = { calls: 0, answerMs: 0, waitMs: 0 };
  const startedAt = performance.now();
  const value = await storage.run(timing, task);
  return { value, timing: { ...timing }, totalMs: performance.now() - startedAt };
}

/** Adds one sent call (its wait for budget and token, then its answer) to the current timing, if any. */
export function recordLogtoCall(waitMs: number, answerMs: number): void {
  const timing = storage.getStore();
  if (!timing) return;
  timing.calls += 1;
  timing.waitMs += waitMs;
  timing.answerMs += answerMs;
}

/**
 * A `Server-Timing` header value (shown by browsers' developer tools beside the request): Logto's
 * answers, the wait for budget, and the whole handler, in milliseconds with one decimal.
 */
export function serverTimingHeader({ calls, answerMs, waitMs }: LogtoCallTiming, totalMs: number): string {
  const callsText = calls === 1 ? '1 call' : `${calls} calls`;
  return [
    `logto;dur=${answerMs.toFixed(1)};desc="Logto answers, ${callsText}"`,
    `budget;dur=${waitMs.toFixed(1)};desc="Waiting for request budget and token"`,
    `total;dur=${totalMs.toFixed(1)};desc="Whole request"`,
  ].join(', ');
}
