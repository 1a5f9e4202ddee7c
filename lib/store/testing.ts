/**
 * Test support for `lib/store`: every primitive is tested on both drivers. A test file calls
 * {@link setUpStoreBackends} once at its top level and runs its suite with
 * `describe.each(backends)`. It opens one in-memory PGlite and one throwaway Postgres server per
 * file (PGlite costs seconds to open) and closes both afterwards.
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from '@/test/postgres';
import { openStore, type Store } from './client';

/** One driver under test. Its members are usable from `beforeAll` on. */
export type StoreBackend = {
  readonly name: 'pglite' | 'postgres';
  /** The backend's store. */
  readonly store: Store;
  /**
   * Another store on the same database, standing in for another portal instance (PGlite belongs
   * to one process, so there it is the same store). Closed after the file.
   */
  openInstance(): Promise<Store>;
};

/** Registers the hooks that open and close both backends; returns them for `describe.each`. */
export function setUpStoreBackends(): StoreBackend[] {
  let pglite: Store | undefined;
  let server: TestPostgres | undefined;
  let postgres: Store | undefined;
  const extraStores: Store[] = [];

  beforeAll(async () => {
    const [pgliteStore, postgresServer] = await Promise.all([
      openStore({ kind: 'pglite', dataDir: undefined }),
      startTestPostgres(),
    ]);
    pglite = pgliteStore;
    server = postgresServer;
    postgres = await openStore({ kind: 'postgres', databaseUrl: server.url });
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([...extraStores, pglite, postgres].map((store) => store?.close()));
    await server?.stop();
  }, 60_000);

  const opened = (store: Store | undefined) => {
    if (!store) throw new Error('The store backends open in beforeAll; use them inside tests or hooks');
    return store;
  };
  return [
    {
      name: 'pglite',
      get store() {
        return opened(pglite);
      },
      openInstance: async () => opened(pglite),
    },
    {
      name: 'postgres',
      get store() {
        return opened(postgres);
      },
      async openInstance() {
        if (!server) throw new Error('The Postgres server starts in beforeAll');
        const store = await openStore({ kind: 'postgres', databaseUrl: server.url }, { migrate: false });
        extraStores.push(store);
        return store;
      },
    },
  ];
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
