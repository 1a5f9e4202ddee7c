import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runSql } from './client';
import { OrganizationLockLostError, OrganizationLockTimeoutError, withOrganizationLock } from './org-lock';
import { sleep, setUpStoreBackends } from './testing';

const backends = setUpStoreBackends();

/** Asserts that the recorded enter/exit events never interleave: each enter is followed by its exit. */
function expectNoOverlap(events: string[]): void {
  expect(events.length % 2).toBe(0);
  for (let index = 0; index < events.length; index += 2) {
    const [name, step] = events[index]!.split(':');
    expect(step).toBe('enter');
    expect(events[index + 1]).toBe(`${name}:exit`);
  }
}

describe.each(backends)('withOrganizationLock on $name', (backend) => {
  it('never overlaps two tasks for one organization', async () => {
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:enter`);
      await sleep(60);
      events.push(`${name}:exit`);
      return name;
    };
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => withOrganizationLock('org-same', task(name), { store: backend.store })),
    );
    expect(results).toEqual(['a', 'b', 'c']);
    expectNoOverlap(events);
  });

  it('never overlaps tasks of one organization from several instances', async () => {
    const instances = [backend.store, await backend.openInstance(), await backend.openInstance()];
    const events: string[] = [];
    let inside = 0;
    let mostInside = 0;
    await Promise.all(
      instances.flatMap((store, instance) =>
        Array.from({ length: 4 }, (_, index) =>
          withOrganizationLock(
            'org-shared',
            async () => {
              inside += 1;
              mostInside = Math.max(mostInside, inside);
              events.push(`${instance}.${index}:enter`);
              await sleep(5 + Math.random() * 20);
              events.push(`${instance}.${index}:exit`);
              inside -= 1;
            },
            { store },
          ),
        ),
      ),
    );
    expect(mostInside).toBe(1);
    expect(events).toHaveLength(24);
    expectNoOverlap(events);
  });

  it('runs tasks of different organizations side by side', async () => {
    const other = await backend.openInstance();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name}:enter`);
      await sleep(100);
      events.push(`${name}:exit`);
    };
    await Promise.all([
      withOrganizationLock('org-one', task('one'), { store: backend.store }),
      withOrganizationLock('org-two', task('two'), { store: other }),
    ]);
    expect(events.slice(0, 2).sort()).toEqual(['one:enter', 'two:enter']);
  });

  it('releases the lock when the task throws', async () => {
    await expect(
      withOrganizationLock('org-throws', async () => Promise.reject(new Error('boom')), {
        store: backend.store,
      }),
    ).rejects.toThrow('boom');
    const other = await backend.openInstance();
    await expect(
      withOrganizationLock('org-throws', async () => 'next', { store: other, waitMs: 2_000 }),
    ).resolves.toBe('next');
  });

  it('is re-entrant for the same organization', async () => {
    const result = await withOrganizationLock(
      'org-nested',
      async ({ signal }) =>
        withOrganizationLock(
          'org-nested',
          async (inner) => {
            expect(inner.signal).toBe(signal);
            return 'inner';
          },
          { store: backend.store, waitMs: 500 },
        ),
      { store: backend.store },
    );
    expect(result).toBe('inner');
  });

  it('gives up waiting after waitMs, in this instance and across instances', async () => {
    const other = await backend.openInstance();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let hasEntered!: () => void;
    const entered = new Promise<void>((resolve) => (hasEntered = resolve));
    const holder = withOrganizationLock(
      'org-busy',
      async () => {
        hasEntered();
        await held;
      },
      { store: backend.store },
    );
    await entered;

    for (const store of [backend.store, other]) {
      const started = Date.now();
      const waiting = withOrganizationLock('org-busy', async () => 'never', { store, waitMs: 150 });
      await expect(waiting).rejects.toBeInstanceOf(OrganizationLockTimeoutError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    }

    release();
    await holder;
    // The queue is intact after the timeouts.
    await expect(
      withOrganizationLock('org-busy', async () => 'free', { store: other, waitMs: 2_000 }),
    ).resolves.toBe('free');
  });

  it('lets go of a task that holds the lock beyond maxHoldMs and says so through its signal', async () => {
    let signal: AbortSignal | undefined;
    let finishSlowTask!: () => void;
    const slowTaskMayFinish = new Promise<void>((resolve) => (finishSlowTask = resolve));
    const slow = withOrganizationLock(
      'org-slow',
      async (context) => {
        signal = context.signal;
        await slowTaskMayFinish;
      },
      { store: backend.store, maxHoldMs: 150 },
    );
    const other = await backend.openInstance();
    await expect(
      withOrganizationLock('org-slow', async () => 'next', { store: other, waitMs: 5_000 }),
    ).resolves.toBe('next');
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(OrganizationLockLostError);
    finishSlowTask();
    await slow;
  });
});

describe('withOrganizationLock on postgres only', () => {
  const postgres = backends.find((backend) => backend.name === 'postgres')!;

  it('holds a transaction-scoped advisory lock on hashtext(org-lock:<id>)', async () => {
    const locks = await withOrganizationLock(
      'org-visible',
      () =>
        runSql<{ granted: boolean }>(
          sql`select granted from pg_locks
              where locktype = 'advisory' and objsubid = 1
                and ((classid::bigint << 32) | objid::bigint) = hashtext('org-lock:org-visible')::bigint`,
          postgres.store.db,
        ),
      { store: postgres.store },
    );
    expect(locks).toEqual([{ granted: true }]);
  });

  it('aborts the signal when the lock connection is lost, and the lock is free again', async () => {
    let signal: AbortSignal | undefined;
    const task = withOrganizationLock(
      'org-dropped',
      async (context) => {
        signal = context.signal;
        await runSql(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
              where application_name = 'org-admin-portal:org-lock' and state = 'idle in transaction'`,
          postgres.store.db,
        );
        for (let attempt = 0; attempt < 100 && !context.signal.aborted; attempt += 1) await sleep(20);
      },
      { store: postgres.store },
    );
    await task;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(OrganizationLockLostError);
    const other = await postgres.openInstance();
    await expect(
      withOrganizationLock('org-dropped', async () => 'free', { store: other, waitMs: 2_000 }),
    ).resolves.toBe('free');
  });
});
