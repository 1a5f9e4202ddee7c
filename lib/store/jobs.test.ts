import { describe, expect, it } from 'vitest';
import {
  claimBulkJobItems,
  closeBulkJobIfSettled,
  createBulkJob,
  deferBulkJobItem,
  getBulkJob,
  listBulkJobItems,
  listBulkJobs,
  listUnfinishedBulkJobIds,
  markBulkJobRunning,
  nextBulkJobItemIn,
  requestBulkJobCancel,
  retryFailedBulkJobItems,
  settleBulkJobItem,
} from './jobs';
import { setUpStoreBackends, sleep } from './testing';

const backends = setUpStoreBackends();
let jobNumber = 0;

function newJob(items: number, organizationId = 'org-jobs') {
  jobNumber += 1;
  return {
    id: `job-${Date.now()}-${jobNumber}`,
    organizationId,
    kind: 'invite' as const,
    createdBy: 'user-1',
    createdByEmail: 'admin@acme.example',
    params: { roleIds: [] },
    selection: { kind: 'list' },
    items: Array.from({ length: items }, (_, index) => ({ target: `person-${index}@acme.example` })),
  };
}

describe.each(backends)('bulk jobs on $name', (backend) => {
  it('stores a job with its items in order and counts them by state', async () => {
    const job = newJob(2_500);
    await createBulkJob(job, backend.store);
    const stored = await getBulkJob(job.id, backend.store);
    expect(stored).toMatchObject({ status: 'queued', total: 2_500, counts: { pending: 2_500, done: 0 } });
    const { rows, total } = await listBulkJobItems(job.id, { offset: 1_999, limit: 2 }, backend.store);
    expect(total).toBe(2_500);
    expect(rows.map((row) => [row.seq, row.target])).toEqual([
      [1_999, 'person-1999@acme.example'],
      [2_000, 'person-2000@acme.example'],
    ]);
    expect((await listBulkJobs(job.organizationId, {}, backend.store)).map((row) => row.id)).toContain(
      job.id,
    );
    expect(await listUnfinishedBulkJobIds(backend.store)).toContain(job.id);
  });

  it('hands each item to one worker at a time, across instances', async () => {
    const job = newJob(60);
    await createBulkJob(job, backend.store);
    const stores = [backend.store, await backend.openInstance(), await backend.openInstance()];
    const claims = await Promise.all(
      stores.flatMap((store, instance) =>
        [0, 1].map((round) => claimBulkJobItems(job.id, `worker-${instance}-${round}`, 15, 60_000, store)),
      ),
    );
    const seqs = claims.flat().map((item) => item.seq);
    expect(seqs).toHaveLength(60);
    expect(new Set(seqs).size).toBe(60);
    expect(await claimBulkJobItems(job.id, 'late-worker', 10, 60_000, backend.store)).toEqual([]);
  });

  it('lets an item go when its lease runs out, to a holder told its outcome is unknown; only that holder settles it', async () => {
    const job = newJob(1);
    await createBulkJob(job, backend.store);
    const [first] = await claimBulkJobItems(job.id, 'slow', 1, 50, backend.store);
    // Nobody had tried it before this claim.
    expect(first).toMatchObject({ attempts: 1, outcomeUnknown: false });
    for (let waitMs = await nextBulkJobItemIn(job.id, backend.store); waitMs !== 0;) {
      await sleep(Math.max(5, waitMs ?? 5));
      waitMs = await nextBulkJobItemIn(job.id, backend.store);
    }
    const [taken] = await claimBulkJobItems(job.id, 'fast', 1, 60_000, backend.store);
    // The first holder may have written before it stopped: the new one must read Logto back.
    expect(taken).toMatchObject({ seq: first!.seq, attempts: 2, outcomeUnknown: true });
    expect(await settleBulkJobItem(job.id, first!.seq, 'slow', { state: 'done' }, backend.store)).toBe(false);
    expect(
      await settleBulkJobItem(
        job.id,
        first!.seq,
        'fast',
        { state: 'done', result: { invitationId: 'i1' } },
        backend.store,
      ),
    ).toBe(true);
    const [settled] = (await listBulkJobItems(job.id, {}, backend.store)).rows;
    expect(settled).toMatchObject({ state: 'done', outcomeUnknown: false, result: { invitationId: 'i1' } });
    expect(await closeBulkJobIfSettled(job.id, backend.store)).toBe('finished');
  });

  it('hands an item put back after a failure that sent nothing to the next holder as known', async () => {
    const job = newJob(1);
    await createBulkJob(job, backend.store);
    const [item] = await claimBulkJobItems(job.id, 'w', 1, 60_000, backend.store);
    await deferBulkJobItem(
      job.id,
      item!.seq,
      'w',
      { delayMs: 0, outcomeUnknown: false, reason: 'rate_limited' },
      backend.store,
    );
    const [again] = await claimBulkJobItems(job.id, 'w2', 1, 60_000, backend.store);
    expect(again).toMatchObject({ attempts: 2, outcomeUnknown: false, transientFailures: 1 });
  });

  it('holds a deferred item back for its delay', async () => {
    const job = newJob(2);
    await createBulkJob(job, backend.store);
    const [item] = await claimBulkJobItems(job.id, 'w', 1, 60_000, backend.store);
    await deferBulkJobItem(
      job.id,
      item!.seq,
      'w',
      { delayMs: 60_000, outcomeUnknown: true, reason: 'upstream_unavailable' },
      backend.store,
    );
    const claimable = await claimBulkJobItems(job.id, 'w', 5, 60_000, backend.store);
    expect(claimable.map((row) => row.seq)).toEqual([1]);
    expect(await nextBulkJobItemIn(job.id, backend.store)).toBeGreaterThan(50_000);
  });

  it('cancels what nobody holds, lets held items finish, and retries failed items', async () => {
    const job = newJob(4);
    await createBulkJob(job, backend.store);
    await markBulkJobRunning(job.id, backend.store);
    const [held] = await claimBulkJobItems(job.id, 'w', 1, 60_000, backend.store);
    expect(await requestBulkJobCancel(job.id, backend.store)).toBe(true);
    expect((await getBulkJob(job.id, backend.store))?.counts).toMatchObject({ pending: 1, cancelled: 3 });
    expect(await closeBulkJobIfSettled(job.id, backend.store)).toBe('running');
    await settleBulkJobItem(
      job.id,
      held!.seq,
      'w',
      { state: 'failed', reason: 'upstream_unavailable' },
      backend.store,
    );
    expect(await closeBulkJobIfSettled(job.id, backend.store)).toBe('cancelled');
    expect(await requestBulkJobCancel(job.id, backend.store)).toBe(false);

    expect(await retryFailedBulkJobItems(job.id, backend.store)).toBe(1);
    const retried = await getBulkJob(job.id, backend.store);
    expect(retried).toMatchObject({
      status: 'queued',
      cancelRequestedAt: null,
      counts: { pending: 1, cancelled: 3 },
    });
    expect(await retryFailedBulkJobItems(job.id, backend.store)).toBe(0);
  });
});
