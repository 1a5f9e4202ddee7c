import 'server-only';

import { recordActivity } from '@/lib/activity/record';
import { mapWithConcurrency } from '@/lib/concurrency';
import { resolveError } from '@/lib/activity/outcome';
import { classifyError } from '@/lib/actions/classify-error';
import {
  LogtoApiError,
  LogtoAuthError,
  LogtoBusyError,
  LogtoNetworkError,
  type ManagementClient,
  runWithBudgetContext,
} from '@/lib/logto';
import { OrganizationLockTimeoutError } from '@/lib/store';
import {
  type BulkJobItemRow,
  type BulkJobRow,
  claimBulkJobItems,
  closeBulkJobIfSettled,
  deferBulkJobItem,
  getBulkJob,
  isBulkJobCancelRequested,
  markBulkJobRunning,
  nextBulkJobItemIn,
  releaseBulkJobItems,
  renewBulkJobLeases,
  requestBulkJobCancel,
  settleBulkJobItem,
} from '@/lib/store/jobs';
import type { ActivityEvent } from '@/lib/activity/record';
import { activityForKind, applyItem, type ItemOutcome } from './kinds';

/** How a slice of work on one job goes. Defaults suit production; tests shorten them. */
export type SliceOptions = {
  /** Who is working (lease owner): one id per process. */
  workerId: string;
  client?: ManagementClient;
  /** How long one slice works before handing the job back to the queue (default 20 s). */
  sliceMs?: number;
  /** How long a claim on an item lasts unless renewed (default 30 s). */
  leaseMs?: number;
  /** Items worked on at once (default 8); the jobs lane of the request budget paces them. */
  concurrency?: number;
  /**
   * The wait before an item's first retry after a passing failure (default 500 ms); each further
   * failure doubles it, up to 30 s, with jitter.
   */
  firstBackoffMs?: number;
  /** Stops claiming when aborted (the process is shutting down). */
  signal?: AbortSignal;
};

/** Passing failures an item is retried after, before it is marked failed. */
const MAX_TRANSIENT_FAILURES = 40;
const MAX_BACKOFF_MS = 30_000;
const DEFAULT_FIRST_BACKOFF_MS = 500;
/** How long an idle slice waits at most between looks for claimable items. */
const IDLE_POLL_MS = 1_000;

/** Whether an error is passing (Logto busy, down or slow), and whether the write may have happened. */
function transience(error: unknown): { isTransient: boolean; maybeWritten: boolean } {
  if (error instanceof LogtoBusyError || error instanceof OrganizationLockTimeoutError)
    return { isTransient: true, maybeWritten: false };
  if (error instanceof LogtoAuthError) return { isTransient: true, maybeWritten: false };
  if (error instanceof LogtoNetworkError) return { isTransient: true, maybeWritten: true };
  if (error instanceof LogtoApiError) {
    if (error.status === 429 && error.code !== 'request.message_rate_limited')
      return { isTransient: true, maybeWritten: false };
    if (error.status >= 500 && error.status !== 501) return { isTransient: true, maybeWritten: true };
  }
  return { isTransient: false, maybeWritten: false };
}

function backoffMs(failures: number, firstBackoffMs = DEFAULT_FIRST_BACKOFF_MS): number {
  const step = Math.min(MAX_BACKOFF_MS, firstBackoffMs * 2 ** failures);
  return Math.round(step / 2 + Math.random() * (step / 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Applies one claimed item and settles it; answers its activity entry (null when the item was
 * put back for later, or another worker took it over).
 */
async function processItem(
  job: BulkJobRow,
  item: BulkJobItemRow,
  options: SliceOptions,
  memo: Map<string, unknown>,
): Promise<ActivityEvent | null> {
  const { workerId } = options;
  let isAttempted = false;
  let outcome: ItemOutcome;
  try {
    outcome = await applyItem({
      job,
      item,
      client: options.client,
      memo,
      beforeWrite: async () => {
        isAttempted = true;
      },
    });
  } catch (error) {
    const { isTransient, maybeWritten } = transience(error);
    const reason = classifyError(error).code;
    if (isTransient && item.transientFailures + 1 < MAX_TRANSIENT_FAILURES) {
      await deferBulkJobItem(job.id, item.seq, workerId, {
        delayMs: backoffMs(item.transientFailures, options.firstBackoffMs),
        outcomeUnknown: item.outcomeUnknown || (isAttempted && maybeWritten),
        reason,
      });
      return null;
    }
    if (!isTransient && classifyError(error).isUnexpected)
      console.error(`[jobs] ${job.id} item ${item.seq} failed:`, error);
    outcome = {
      state: 'failed',
      reason: resolveError(error).reason ?? reason,
      activity: { ...activityForKind(job.kind, item), ...resolveError(error) },
    };
  }
  const isSettled = await settleBulkJobItem(job.id, item.seq, workerId, {
    state: outcome.state,
    reason: outcome.reason ?? null,
    result: outcome.result,
  });
  return isSettled ? outcome.activity : null;
}

/** Works through one claimed batch, then records its items in the activity log in one write. */
async function processBatch(
  job: BulkJobRow,
  items: readonly BulkJobItemRow[],
  options: SliceOptions & { concurrency: number },
  memo: Map<string, unknown>,
): Promise<void> {
  const events: ActivityEvent[] = [];
  await mapWithConcurrency(items, options.concurrency, async (item) => {
    const event = await processItem(job, item, options, memo);
    if (event) events.push(event);
  });
  await recordActivity(
    {
      actor: { userId: job.createdBy, email: job.createdByEmail, isOperator: job.createdByOperator },
      orgId: job.organizationId,
      jobId: job.id,
    },
    events,
  );
}

/**
 * Works on one job for up to `sliceMs`: claims its pending items in order, a few at a time,
 * applies each (its Logto calls in the `jobs` lane of the request budget), settles it and records
 * it in the activity log. Answers `'settled'` when the job is over (finished or cancelled) and
 * `'more'` when items remain: the caller queues another slice.
 *
 * Exactly once per item: an item is held by one worker at a time (a lease, renewed while the
 * slice runs); claiming it marks its outcome unknown, and only a settled answer clears that.
 * Whoever picks up an item with an unknown outcome — after a crash, a timeout, a lost lease —
 * reads Logto back before writing again.
 */
export async function runJobSlice(jobId: string, options: SliceOptions): Promise<'settled' | 'more'> {
  const sliceMs = options.sliceMs ?? 20_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const concurrency = options.concurrency ?? 8;
  const job = await getBulkJob(jobId);
  if (!job || job.status === 'finished' || job.status === 'cancelled') return 'settled';
  await markBulkJobRunning(jobId);

  const memo = new Map<string, unknown>();
  const renewal = setInterval(
    () => void renewBulkJobLeases(jobId, options.workerId, leaseMs).catch(() => undefined),
    Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  const endsAt = performance.now() + sliceMs;
  try {
    return await runWithBudgetContext({ lane: 'jobs', clientKey: `job:${jobId}` }, async () => {
      while (performance.now() < endsAt && !options.signal?.aborted) {
        if (await isBulkJobCancelRequested(jobId)) {
          await requestBulkJobCancel(jobId);
          break;
        }
        const items = await claimBulkJobItems(jobId, options.workerId, concurrency * 2, leaseMs);
        if (items.length === 0) {
          const waitMs = await nextBulkJobItemIn(jobId);
          if (waitMs === null) break;
          await sleep(Math.min(Math.max(waitMs, 50), IDLE_POLL_MS, Math.max(0, endsAt - performance.now())));
          continue;
        }
        await processBatch(job, items, { ...options, concurrency }, memo);
      }
      await releaseBulkJobItems(jobId, options.workerId);
      // Items another worker held when the cancel came are handed back by now or soon; the next
      // slice cancels them.
      if (await isBulkJobCancelRequested(jobId)) await requestBulkJobCancel(jobId);
      const status = await closeBulkJobIfSettled(jobId);
      return status === 'finished' || status === 'cancelled' ? 'settled' : 'more';
    });
  } finally {
    clearInterval(renewal);
    await releaseBulkJobItems(jobId, options.workerId).catch(() => undefined);
  }
}
