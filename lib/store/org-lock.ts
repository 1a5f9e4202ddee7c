import 'server-only';

import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';
import { processSingleton } from '@/lib/process-singleton';
import { getStore, type PostgresStore, type Store } from './client';

/** What a task running under {@link withOrganizationLock} is given. */
export type OrganizationLockContext = {
  /**
   * Aborted when the lock is lost before the task ends: the lock's connection failed or the task
   * outlived `maxHoldMs`. Check it (or pass it to `fetch`) before each step that relies on
   * holding the lock; after it fires another instance may take the lock.
   */
  readonly signal: AbortSignal;
};

/** Options of {@link withOrganizationLock}. */
export type OrganizationLockOptions = {
  /** Give up waiting for the lock after this long (default 30 s). */
  waitMs?: number;
  /** The lock is released after this long even if the task still runs (default 120 s). */
  maxHoldMs?: number;
  /** Default: the process's store. */
  store?: Store;
};

/** The lock was not obtained within `waitMs`. */
export class OrganizationLockTimeoutError extends Error {
  override name = 'OrganizationLockTimeoutError';
  constructor(
    readonly organizationId: string,
    waitMs: number,
  ) {
    super(`Timed out after ${waitMs} ms waiting for the lock of organization ${organizationId}`);
  }
}

/** The lock was lost while the task ran (see {@link OrganizationLockContext.signal}). */
export class OrganizationLockLostError extends Error {
  override name = 'OrganizationLockLostError';
  constructor(
    readonly organizationId: string,
    reason: string,
  ) {
    super(`Lost the lock of organization ${organizationId}: ${reason}`);
  }
}

const DEFAULT_WAIT_MS = 30_000;
const DEFAULT_MAX_HOLD_MS = 120_000;
/** SQLSTATE lock_not_available: `lock_timeout` expired. */
const LOCK_NOT_AVAILABLE = '55P03';
const IDLE_MARGIN_MS = 5_000;

type HeldLock = { store: Store; organizationId: string; signal: AbortSignal };

function heldLocks(): AsyncLocalStorage<readonly HeldLock[]> {
  return processSingleton('store:org-locks-held', () => new AsyncLocalStorage<readonly HeldLock[]>());
}

/**
 * Runs `task` while holding the organization's lock, which every portal instance sharing the
 * store respects: two tasks for one organization never overlap, anywhere; tasks for different
 * organizations run side by side. Changes that could remove the last holder of `assign:roles`
 * (rule 4) run under it, so a decision made from fresh answers stays true until it is applied.
 *
 * - In this process, tasks for one organization queue first come, first served (on PGlite, which
 *   belongs to one process, that queue is the whole lock).
 * - On Postgres the head of the queue then takes a transaction-scoped advisory lock,
 *   `pg_advisory_xact_lock(hashtext('org-lock:' || orgId))`, in a transaction kept open (idle)
 *   for the task's duration on a connection of the store's lock pool. The task itself talks to
 *   Logto, not SQL; it may still use the store, through its other connections.
 *
 * Re-entrant: a task may call it again for the same organization and runs at once. Do not nest
 * locks of different organizations (two tasks nesting them in opposite order would wait for each
 * other until `waitMs`).
 */
export async function withOrganizationLock<T>(
  organizationId: string,
  task: (context: OrganizationLockContext) => Promise<T>,
  options: OrganizationLockOptions = {},
): Promise<T> {
  const store = options.store ?? (await getStore());
  const held = heldLocks().getStore() ?? [];
  const outer = held.find((lock) => lock.store === store && lock.organizationId === organizationId);
  if (outer) return task({ signal: outer.signal });

  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  const deadline = Date.now() + waitMs;
  const controller = new AbortController();
  const loseLock = (reason: string) => {
    if (!controller.signal.aborted) controller.abort(new OrganizationLockLostError(organizationId, reason));
  };

  const leaveQueue = await joinQueue(store, organizationId, waitMs);
  try {
    const unlock =
      store.kind === 'postgres'
        ? await takeAdvisoryLock(store, organizationId, { deadline, waitMs, maxHoldMs }, loseLock)
        : async () => undefined;
    const holdTimer = setTimeout(() => {
      loseLock(`held for longer than ${maxHoldMs} ms`);
      void unlock();
      leaveQueue();
    }, maxHoldMs);
    try {
      const signal = controller.signal;
      return await heldLocks().run([...held, { store, organizationId, signal }], () => task({ signal }));
    } finally {
      clearTimeout(holdTimer);
      await unlock();
    }
  } finally {
    leaveQueue();
  }
}

/**
 * Takes this process's turn for the organization; resolves with the function that gives it up
 * (idempotent). Throws {@link OrganizationLockTimeoutError} after `waitMs`.
 */
async function joinQueue(store: Store, organizationId: string, waitMs: number): Promise<() => void> {
  const queues = orgQueues(store);
  const previous = queues.get(organizationId) ?? Promise.resolve();
  let resolveReleased!: () => void;
  const released = new Promise<void>((resolve) => (resolveReleased = resolve));
  // The next task waits for ours to be released, and ours only starts after the previous one.
  const tail = previous.then(() => released);
  queues.set(organizationId, tail);
  let isReleased = false;
  const leave = () => {
    if (isReleased) return;
    isReleased = true;
    resolveReleased();
    if (queues.get(organizationId) === tail) queues.delete(organizationId);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const isOurTurn = await Promise.race([
    previous.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
  ]);
  clearTimeout(timer);
  if (isOurTurn) return leave;
  // Keep the queue consistent: pass the turn on as soon as it would have been ours.
  void previous.then(leave);
  throw new OrganizationLockTimeoutError(organizationId, waitMs);
}

function orgQueues(store: Store): Map<string, Promise<void>> {
  let queues = store.state.get('org-lock-queues') as Map<string, Promise<void>> | undefined;
  if (!queues) {
    queues = new Map();
    store.state.set('org-lock-queues', queues);
  }
  return queues;
}

/**
 * Takes the organization's advisory lock on a lock-pool connection before the deadline; resolves
 * with the function that releases it (idempotent). `onLost` is told if the connection fails while
 * the lock is held.
 */
async function takeAdvisoryLock(
  store: PostgresStore,
  organizationId: string,
  limits: { deadline: number; waitMs: number; maxHoldMs: number },
  onLost: (reason: string) => void,
): Promise<() => Promise<void>> {
  const remainingMs = limits.deadline - Date.now();
  if (remainingMs <= 0) throw new OrganizationLockTimeoutError(organizationId, limits.waitMs);
  const client = await connectWithin(store, organizationId, remainingMs, limits.waitMs);
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
    onLost(`its connection failed (${error.message})`);
  };
  // A checked-out client without an 'error' listener would crash the process when the server
  // drops it; here a dropped connection means the lock is gone.
  client.on('error', onError);
  let unlocking: Promise<void> | undefined;
  const unlock = () =>
    (unlocking ??= (async () => {
      // Nothing was written: ending the transaction only releases the lock.
      if (!broken) await client.query('rollback').catch((error: Error) => (broken = error));
      client.off('error', onError);
      client.release(broken);
    })());

  try {
    // One round trip. The server also ends a session idle in its transaction for longer than
    // maxHoldMs (plus a margin for our own timer to act first), which releases the lock should
    // this process freeze.
    await client.query(
      `begin; set local lock_timeout = ${Math.max(1, Math.round(limits.deadline - Date.now()))}; ` +
        `set local idle_in_transaction_session_timeout = ${Math.round(limits.maxHoldMs) + IDLE_MARGIN_MS}; ` +
        `select pg_advisory_xact_lock(hashtext(${client.escapeLiteral(`org-lock:${organizationId}`)}))`,
    );
    return unlock;
  } catch (error) {
    await unlock();
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) {
      throw new OrganizationLockTimeoutError(organizationId, limits.waitMs);
    }
    throw error;
  }
}

/** A lock-pool connection within `withinMs`, or {@link OrganizationLockTimeoutError}. */
async function connectWithin(
  store: PostgresStore,
  organizationId: string,
  withinMs: number,
  waitMs: number,
): Promise<PoolClient> {
  const connecting = store.lockPool.connect();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const winner = await Promise.race([
    connecting,
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), withinMs))),
  ]).finally(() => clearTimeout(timer));
  if (winner) return winner;
  // Too late for us: hand the connection back whenever it arrives.
  connecting.then(
    (client) => client.release(),
    () => undefined,
  );
  throw new OrganizationLockTimeoutError(organizationId, waitMs);
}
