/** How long a browser without `requestIdleCallback` (Safari) waits before running idle work. */
const FALLBACK_DELAY_MS = 50;

/**
 * Runs `task` once the browser has nothing more urgent to do — the frame a click asked for is
 * painted first — and at the latest after `timeoutMs`. Returns a function that cancels it. For
 * work nobody is waiting for, such as loading the next page before anyone asks for it.
 */
export function whenIdle(task: () => void, timeoutMs = 500): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(task, FALLBACK_DELAY_MS);
  return () => window.clearTimeout(timer);
}
