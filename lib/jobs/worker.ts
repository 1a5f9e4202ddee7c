import 'server-only';

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { processSingleton } from '@/lib/process-singleton';
import { getStore } from '@/lib/store';
import { type JobQueue, openJobQueue } from '@/lib/store/job-queue';
import { createBulkJob, listUnfinishedBulkJobIds, type NewBulkJob } from '@/lib/store/jobs';
import { runJobSlice } from './runner';

/** Slices one process works on at once (each on a different job). */
const WORKERS_PER_PROCESS = 2;

type WorkerState = {
  queue: Promise<JobQueue> | undefined;
  workerId: string;
  stopping: AbortController;
};

const state = () =>
  processSingleton<WorkerState>('bulk-job-workers', () => ({
    queue: undefined,
    workerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    stopping: new AbortController(),
  }));

function numberFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Starts this process's job workers (once): pg-boss on the store hands them slices of jobs, and
 * every job left unfinished — by a restart, a crash, an instance gone — gets a slice at once,
 * so it carries on from its items. Called at server start; safe to call again.
 */
export function startJobWorkers(): Promise<JobQueue> {
  const current = state();
  current.queue ??= (async () => {
    const queue = await openJobQueue(await getStore(), {
      expireInSeconds: numberFromEnv('PORTAL_JOB_SLICE_EXPIRE_SECONDS'),
    });
    await queue.work(WORKERS_PER_PROCESS, async (jobId) => {
      const next = await runJobSlice(jobId, {
        workerId: current.workerId,
        signal: current.stopping.signal,
        sliceMs: numberFromEnv('PORTAL_JOB_SLICE_MS'),
        leaseMs: numberFromEnv('PORTAL_JOB_LEASE_MS'),
      });
      if (next === 'more') await queue.requestSlice(jobId);
    });
    for (const jobId of await listUnfinishedBulkJobIds()) await queue.requestSlice(jobId);
    process.once('SIGTERM', () => current.stopping.abort());
    return queue;
  })();
  current.queue.catch((error) => {
    console.error('[jobs] the job workers could not start; retrying on the next job:', error);
    current.queue = undefined;
  });
  return current.queue;
}

/** Stores a new job with all its items and asks a worker to start on it. */
export async function enqueueBulkJob(job: NewBulkJob): Promise<void> {
  await createBulkJob(job);
  const queue = await startJobWorkers();
  await queue.requestSlice(job.id);
}

/** Asks a worker to pick up a job again (after its failed items were put back). */
export async function requeueBulkJob(jobId: string): Promise<void> {
  await (await startJobWorkers()).requestSlice(jobId);
}
