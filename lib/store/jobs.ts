import 'server-only';

import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { getStore, inStoreTransaction, runSql, type Store } from './client';
import { bulkJobItems, bulkJobs } from './schema';

/** What a bulk job does to each of its items. */
export type BulkJobKind = 'invite' | 'assign_role' | 'remove_role' | 'remove_members';

/** queued → running → finished | cancelled; a retry of failed items puts a job back to queued. */
export type BulkJobStatus = 'queued' | 'running' | 'finished' | 'cancelled';

/** Where one item stands. Only `pending` items are ever claimed. */
export type BulkJobItemState = 'pending' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** Items per state. */
export type BulkJobCounts = Record<BulkJobItemState, number>;

/** A job as stored, with its items counted by state. */
export type BulkJobRow = {
  id: string;
  organizationId: string;
  kind: BulkJobKind;
  status: BulkJobStatus;
  createdBy: string;
  createdByEmail: string | null;
  createdByOperator: boolean;
  params: unknown;
  selection: unknown;
  total: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequestedAt: Date | null;
  counts: BulkJobCounts;
};

/** One item as stored. */
export type BulkJobItemRow = {
  seq: number;
  target: string;
  label: string | null;
  state: BulkJobItemState;
  reason: string | null;
  result: unknown;
  /** Times the item was claimed to be applied. */
  attempts: number;
  transientFailures: number;
  /**
   * A write may have been sent and its outcome was never learnt: read Logto back before writing
   * again. (From a claim: whether that was so before the claim.)
   */
  outcomeUnknown: boolean;
};

/** What {@link createBulkJob} stores. */
export type NewBulkJob = {
  id: string;
  organizationId: string;
  kind: BulkJobKind;
  createdBy: string;
  createdByEmail?: string | null;
  createdByOperator?: boolean;
  params: unknown;
  selection: unknown;
  items: ReadonlyArray<{ target: string; label?: string | null }>;
};

const INSERT_BATCH = 1_000;

const emptyCounts = (): BulkJobCounts => ({ pending: 0, done: 0, skipped: 0, failed: 0, cancelled: 0 });

async function storeOf(store?: Store): Promise<Store> {
  return store ?? (await getStore());
}

/** Stores a job and all its items at once (queued), in one transaction. */
export async function createBulkJob(job: NewBulkJob, store?: Store): Promise<void> {
  const target = await storeOf(store);
  await inStoreTransaction(async (tx) => {
    await tx.insert(bulkJobs).values({
      id: job.id,
      organizationId: job.organizationId,
      kind: job.kind,
      createdBy: job.createdBy,
      createdByEmail: job.createdByEmail ?? null,
      createdByOperator: job.createdByOperator ?? false,
      params: job.params,
      selection: job.selection,
      total: job.items.length,
    });
    for (let start = 0; start < job.items.length; start += INSERT_BATCH) {
      await tx.insert(bulkJobItems).values(
        job.items.slice(start, start + INSERT_BATCH).map((item, offset) => ({
          jobId: job.id,
          seq: start + offset,
          target: item.target,
          label: item.label ?? null,
        })),
      );
    }
  }, target);
}

async function countItems(jobIds: readonly string[], store: Store): Promise<Map<string, BulkJobCounts>> {
  const counts = new Map<string, BulkJobCounts>(jobIds.map((id) => [id, emptyCounts()]));
  if (jobIds.length === 0) return counts;
  const rows = await store.db
    .select({ jobId: bulkJobItems.jobId, state: bulkJobItems.state, n: sql<number>`count(*)::integer` })
    .from(bulkJobItems)
    .where(inArray(bulkJobItems.jobId, [...jobIds]))
    .groupBy(bulkJobItems.jobId, bulkJobItems.state);
  for (const row of rows) {
    const entry = counts.get(row.jobId);
    if (entry && row.state in entry) entry[row.state as BulkJobItemState] = Number(row.n);
  }
  return counts;
}

type JobRecord = typeof bulkJobs.$inferSelect;

function toJobRow(record: JobRecord, counts: BulkJobCounts | undefined): BulkJobRow {
  return {
    ...record,
    kind: record.kind as BulkJobKind,
    status: record.status as BulkJobStatus,
    counts: counts ?? emptyCounts(),
  };
}

/** One job with its counts, or null. */
export async function getBulkJob(jobId: string, store?: Store): Promise<BulkJobRow | null> {
  const target = await storeOf(store);
  const [record] = await target.db.select().from(bulkJobs).where(eq(bulkJobs.id, jobId));
  if (!record) return null;
  return toJobRow(record, (await countItems([jobId], target)).get(jobId));
}

/** An organization's jobs, newest first. */
export async function listBulkJobs(
  organizationId: string,
  { limit = 50 }: { limit?: number } = {},
  store?: Store,
): Promise<BulkJobRow[]> {
  const target = await storeOf(store);
  const records = await target.db
    .select()
    .from(bulkJobs)
    .where(eq(bulkJobs.organizationId, organizationId))
    .orderBy(desc(bulkJobs.createdAt), desc(bulkJobs.id))
    .limit(limit);
  const counts = await countItems(
    records.map((record) => record.id),
    target,
  );
  return records.map((record) => toJobRow(record, counts.get(record.id)));
}

/** Jobs some worker should be running: queued or running, oldest first. */
export async function listUnfinishedBulkJobIds(store?: Store): Promise<string[]> {
  const target = await storeOf(store);
  const rows = await target.db
    .select({ id: bulkJobs.id })
    .from(bulkJobs)
    .where(inArray(bulkJobs.status, ['queued', 'running']))
    .orderBy(asc(bulkJobs.createdAt));
  return rows.map((row) => row.id);
}

/** Marks a queued job running (first start or after a retry). */
export async function markBulkJobRunning(jobId: string, store?: Store): Promise<void> {
  const target = await storeOf(store);
  await runSql(
    sql`update bulk_jobs set status = 'running', started_at = coalesce(started_at, now())
        where id = ${jobId} and status = 'queued'`,
    target.db,
  );
}

type ItemRecord = {
  seq: number;
  target: string;
  label: string | null;
  state: string;
  reason: string | null;
  result: unknown;
  attempts: number;
  transient_failures: number;
  outcome_unknown: boolean;
};

function toItemRow(record: ItemRecord): BulkJobItemRow {
  return {
    seq: Number(record.seq),
    target: record.target,
    label: record.label,
    state: record.state as BulkJobItemState,
    reason: record.reason,
    result: record.result,
    attempts: Number(record.attempts),
    transientFailures: Number(record.transient_failures),
    outcomeUnknown: Boolean(record.outcome_unknown),
  };
}

/**
 * Claims up to `limit` pending items of a job for `owner` for `leaseMs` (the database's clock),
 * in order. An item is claimable when nobody holds a live lease on it and its back-off has
 * passed; a lease left by a worker that died simply runs out. `skip locked` lets instances claim
 * side by side without waiting for each other.
 *
 * Claiming marks the items' outcome unknown (and counts a try) in the same statement, because
 * the holder may send their writes at any moment from now on: should it die, whoever claims them
 * next reads Logto back first. Each returned item says whether its outcome was already unknown
 * *before* this claim, which is what its new holder must act on.
 */
export async function claimBulkJobItems(
  jobId: string,
  owner: string,
  limit: number,
  leaseMs: number,
  store?: Store,
): Promise<BulkJobItemRow[]> {
  const target = await storeOf(store);
  const rows = await runSql<ItemRecord>(
    sql`with picked as (
          select job_id, seq, outcome_unknown as was_unknown from bulk_job_items
          where job_id = ${jobId} and state = 'pending'
            and (lease_until is null or lease_until < now())
            and (not_before is null or not_before <= now())
          order by seq
          limit ${limit}
          for update skip locked)
        update bulk_job_items as item set lease_owner = ${owner},
          lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8),
          attempts = item.attempts + 1, outcome_unknown = true, updated_at = now()
        from picked
        where item.job_id = picked.job_id and item.seq = picked.seq
        returning item.seq, item.target, item.label, item.state, item.reason, item.result, item.attempts,
          item.transient_failures, picked.was_unknown as outcome_unknown`,
    target.db,
  );
  return rows.map(toItemRow).sort((a, b) => a.seq - b.seq);
}

/** Extends `owner`'s leases on a job's items it still holds. */
export async function renewBulkJobLeases(
  jobId: string,
  owner: string,
  leaseMs: number,
  store?: Store,
): Promise<void> {
  const target = await storeOf(store);
  await runSql(
    sql`update bulk_job_items set lease_until = now() + make_interval(secs => ${leaseMs / 1000}::float8)
        where job_id = ${jobId} and lease_owner = ${owner} and state = 'pending'`,
    target.db,
  );
}

/** Settles an item `owner` holds: done, skipped or failed, with the reason and what it produced. */
export async function settleBulkJobItem(
  jobId: string,
  seq: number,
  owner: string,
  outcome: { state: 'done' | 'skipped' | 'failed'; reason?: string | null; result?: unknown },
  store?: Store,
): Promise<boolean> {
  const target = await storeOf(store);
  const rows = await runSql<{ seq: number }>(
    sql`update bulk_job_items set state = ${outcome.state}, reason = ${outcome.reason ?? null},
          result = ${outcome.result === undefined ? null : JSON.stringify(outcome.result)}::jsonb,
          outcome_unknown = false, lease_owner = null, lease_until = null, updated_at = now()
        where job_id = ${jobId} and seq = ${seq} and lease_owner = ${owner} and state = 'pending'
        returning seq`,
    target.db,
  );
  return rows.length === 1;
}

/**
 * Hands an item back after a passing failure (Logto busy, down or slow), to be tried again after
 * `delayMs`. `outcomeUnknown` says whether the write may have happened.
 */
export async function deferBulkJobItem(
  jobId: string,
  seq: number,
  owner: string,
  { delayMs, outcomeUnknown, reason }: { delayMs: number; outcomeUnknown: boolean; reason: string },
  store?: Store,
): Promise<void> {
  const target = await storeOf(store);
  await runSql(
    sql`update bulk_job_items set transient_failures = transient_failures + 1,
          outcome_unknown = ${outcomeUnknown}, reason = ${reason},
          not_before = now() + make_interval(secs => ${delayMs / 1000}::float8),
          lease_owner = null, lease_until = null, updated_at = now()
        where job_id = ${jobId} and seq = ${seq} and lease_owner = ${owner} and state = 'pending'`,
    target.db,
  );
}

/**
 * Gives back `owner`'s unfinished claims on a job at once (a worker stopping cleanly). They keep
 * their unknown outcome: the next holder reads Logto back before writing, which is only wasted
 * when nothing had been sent.
 */
export async function releaseBulkJobItems(jobId: string, owner: string, store?: Store): Promise<void> {
  const target = await storeOf(store);
  await runSql(
    sql`update bulk_job_items set lease_owner = null, lease_until = null
        where job_id = ${jobId} and lease_owner = ${owner} and state = 'pending'`,
    target.db,
  );
}

/** Whether a job has pending items and, if so, in how many ms the first becomes claimable (≥ 0). */
export async function nextBulkJobItemIn(jobId: string, store?: Store): Promise<number | null> {
  const target = await storeOf(store);
  const [row] = await runSql<{ pending: number; wait_ms: number | null }>(
    sql`select count(*)::integer as pending,
          greatest(0, min(extract(epoch from (greatest(coalesce(lease_until, now()), coalesce(not_before, now())) - now())) * 1000))::float8 as wait_ms
        from bulk_job_items where job_id = ${jobId} and state = 'pending'`,
    target.db,
  );
  if (!row || Number(row.pending) === 0) return null;
  return Number(row.wait_ms ?? 0);
}

/**
 * Closes a job whose items are all settled: `cancelled` when a cancel was asked for, else
 * `finished`. Answers the job's status afterwards (unchanged while items are pending).
 */
export async function closeBulkJobIfSettled(jobId: string, store?: Store): Promise<BulkJobStatus | null> {
  const target = await storeOf(store);
  await runSql(
    sql`update bulk_jobs set
          status = case when cancel_requested_at is null then 'finished' else 'cancelled' end,
          finished_at = now()
        where id = ${jobId} and status in ('queued', 'running')
          and not exists (select 1 from bulk_job_items where job_id = ${jobId} and state = 'pending')`,
    target.db,
  );
  const [row] = await target.db
    .select({ status: bulkJobs.status })
    .from(bulkJobs)
    .where(eq(bulkJobs.id, jobId));
  return (row?.status as BulkJobStatus | undefined) ?? null;
}

/**
 * Asks a job to stop: items nobody is working on are cancelled now; items in a worker's hands
 * finish (what is done stays done). Answers false when the job was already over.
 */
export async function requestBulkJobCancel(jobId: string, store?: Store): Promise<boolean> {
  const target = await storeOf(store);
  const updated = await runSql<{ id: string }>(
    sql`update bulk_jobs set cancel_requested_at = coalesce(cancel_requested_at, now())
        where id = ${jobId} and status in ('queued', 'running') returning id`,
    target.db,
  );
  if (updated.length === 0) return false;
  await runSql(
    sql`update bulk_job_items set state = 'cancelled', reason = 'cancelled', lease_owner = null,
          lease_until = null, updated_at = now()
        where job_id = ${jobId} and state = 'pending' and (lease_until is null or lease_until < now())`,
    target.db,
  );
  await closeBulkJobIfSettled(jobId, target);
  return true;
}

/** Whether a cancel was asked for. */
export async function isBulkJobCancelRequested(jobId: string, store?: Store): Promise<boolean> {
  const target = await storeOf(store);
  const [row] = await target.db
    .select({ at: bulkJobs.cancelRequestedAt })
    .from(bulkJobs)
    .where(eq(bulkJobs.id, jobId));
  return row?.at != null;
}

/**
 * Puts a finished job's failed items back to pending and the job back in the queue. Answers how
 * many items will be tried again (0: nothing to do, the job is left as it was).
 */
export async function retryFailedBulkJobItems(jobId: string, store?: Store): Promise<number> {
  const target = await storeOf(store);
  return inStoreTransaction(async (tx) => {
    const [job] = await runSql<{ status: string }>(
      sql`select status from bulk_jobs where id = ${jobId} for update`,
      tx,
    );
    if (!job || (job.status !== 'finished' && job.status !== 'cancelled')) return 0;
    const retried = await runSql<{ seq: number }>(
      sql`update bulk_job_items set state = 'pending', reason = null, transient_failures = 0,
            not_before = null, updated_at = now()
          where job_id = ${jobId} and state = 'failed' returning seq`,
      tx,
    );
    if (retried.length === 0) return 0;
    await runSql(
      sql`update bulk_jobs set status = 'queued', finished_at = null, cancel_requested_at = null
          where id = ${jobId}`,
      tx,
    );
    return retried.length;
  }, target);
}

/** One page of a job's items in order, optionally only those in some states. */
export async function listBulkJobItems(
  jobId: string,
  { offset = 0, limit = 100, states }: { offset?: number; limit?: number; states?: BulkJobItemState[] } = {},
  store?: Store,
): Promise<{ rows: BulkJobItemRow[]; total: number }> {
  const target = await storeOf(store);
  const where =
    states && states.length > 0
      ? and(eq(bulkJobItems.jobId, jobId), inArray(bulkJobItems.state, states))
      : eq(bulkJobItems.jobId, jobId);
  const [records, [total]] = await Promise.all([
    target.db
      .select()
      .from(bulkJobItems)
      .where(where)
      .orderBy(asc(bulkJobItems.seq))
      .offset(offset)
      .limit(limit),
    target.db
      .select({ n: sql<number>`count(*)::integer` })
      .from(bulkJobItems)
      .where(where),
  ]);
  return {
    rows: records.map((record) =>
      toItemRow({
        seq: record.seq,
        target: record.target,
        label: record.label,
        state: record.state,
        reason: record.reason,
        result: record.result,
        attempts: record.attempts,
        transient_failures: record.transientFailures,
        outcome_unknown: record.outcomeUnknown,
      }),
    ),
    total: Number(total?.n ?? 0),
  };
}
