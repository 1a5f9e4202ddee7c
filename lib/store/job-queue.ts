import 'server-only';

import PgBoss from 'pg-boss';
import type { Store } from './client';

/**
 * The queue that hands bulk-job work to instances: pg-boss (10.x, the last line that runs on
 * Node 20) in the `pgboss` schema of the portal's store. With Postgres every instance shares it;
 * with PGlite it runs in-process through the adapter below.
 *
 * The queue carries *slices*: "work on job X for a while". What each item of a job has become
 * lives in `bulk_job_items` (see `jobs.ts`), so a slice lost with its instance costs nothing but
 * time: the next slice — sent when an instance starts, or pg-boss's retry once the lost one
 * expires — carries on from the items.
 */
export type JobQueue = {
  /**
   * Asks for a slice of work on `jobId`. At most one slice per job waits in the queue (pg-boss's
   * `short` policy): asking again while one waits does nothing.
   */
  requestSlice(jobId: string): Promise<void>;
  /** Runs `handler` for slices, `workers` at a time in this process. */
  work(workers: number, handler: (jobId: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
};

/** Timing of the queue; defaults suit production, tests shorten them. */
export type JobQueueOptions = {
  /** How long a slice may stay active before pg-boss hands it to someone else (default 120 s). */
  expireInSeconds?: number;
  /** How often idle workers look for slices (default 1 s). */
  pollingIntervalSeconds?: number;
  /** How often pg-boss expires lost slices (default 30 s). */
  maintenanceIntervalSeconds?: number;
};

const QUEUE = 'bulk-job-slices';

/** pg-boss's `db` option on PGlite: statements without parameters may be several (its migrations). */
function pgliteAdapter(store: Extract<Store, { kind: 'pglite' }>) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        const results = await store.client.exec(text);
        return results.at(-1) ?? { rows: [] };
      }
      return store.client.query(text, values);
    },
  };
}

function postgresAdapter(store: Extract<Store, { kind: 'postgres' }>) {
  return {
    executeSql: (text: string, values?: unknown[]) => store.pool.query(text, values as unknown[] | undefined),
  };
}

/** Starts pg-boss on `store` (installing or upgrading its schema once) and creates the queue. */
export async function openJobQueue(store: Store, options: JobQueueOptions = {}): Promise<JobQueue> {
  const expireInSeconds = options.expireInSeconds ?? 120;
  const boss = new PgBoss({
    db: store.kind === 'pglite' ? pgliteAdapter(store) : postgresAdapter(store),
    schema: 'pgboss',
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
  } as PgBoss.ConstructorOptions);
  boss.on('error', (error) => console.error('[jobs] queue error:', error));
  await boss.start();
  await boss.createQueue(QUEUE, {
    name: QUEUE,
    policy: 'short',
    retryLimit: 1_000,
    retryDelay: 1,
    expireInSeconds,
  });

  return {
    async requestSlice(jobId) {
      await boss.send(QUEUE, { jobId }, { singletonKey: jobId, expireInSeconds });
    },
    async work(workers, handler) {
      const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
      for (let index = 0; index < workers; index += 1) {
        await boss.work<{ jobId: string }>(QUEUE, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
          if (job) await handler(job.data.jobId);
        });
      }
    },
    async stop() {
      await boss.stop({ graceful: true, close: false, wait: true, timeout: 10_000 });
    },
  };
}
