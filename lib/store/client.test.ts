import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@/scripts/lib/processes';
import { startTestPostgres, type TestPostgres } from '@/test/postgres';
import {
  closeStore,
  getStore,
  inStoreTransaction,
  migrateStore,
  openStore,
  readStoreConfig,
  runSql,
  type Store,
  StoreConfigError,
} from './client';
import { cacheVersions } from './schema';

const JOURNAL = (await import('@/drizzle/meta/_journal.json', { with: { type: 'json' } })).default as {
  entries: unknown[];
};

let server: TestPostgres;
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, PORTAL_DATA_DIR: process.env.PORTAL_DATA_DIR };

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await closeStore();
  Object.assign(process.env, savedEnv);
  for (const [name, value] of Object.entries(savedEnv)) if (value === undefined) delete process.env[name];
  await server?.stop();
});

function useEnv(env: { DATABASE_URL?: string; PORTAL_DATA_DIR?: string }): void {
  delete process.env.DATABASE_URL;
  delete process.env.PORTAL_DATA_DIR;
  Object.assign(process.env, env);
}

describe('readStoreConfig', () => {
  it('uses DATABASE_URL when set', () => {
    expect(readStoreConfig({ DATABASE_URL: ' postgres://u:p@db:5432/portal ' })).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://u:p@db:5432/portal',
    });
    expect(readStoreConfig({ DATABASE_URL: 'postgresql://db/portal' }).kind).toBe('postgres');
  });

  it('refuses a DATABASE_URL that is not a Postgres URL, saying what to do', () => {
    expect(() => readStoreConfig({ DATABASE_URL: 'mysql://db/portal' })).toThrow(StoreConfigError);
    expect(() => readStoreConfig({ DATABASE_URL: 'mysql://db/portal' })).toThrow(/DATABASE_URL/);
  });

  it('falls back to PGlite under .data/portal, PORTAL_DATA_DIR, or memory', () => {
    expect(readStoreConfig({})).toEqual({ kind: 'pglite', dataDir: path.resolve('.data/portal') });
    expect(readStoreConfig({ DATABASE_URL: ' ', PORTAL_DATA_DIR: '/var/portal' })).toEqual({
      kind: 'pglite',
      dataDir: '/var/portal',
    });
    expect(readStoreConfig({ PORTAL_DATA_DIR: 'memory://' })).toEqual({ kind: 'pglite', dataDir: undefined });
  });
});

describe('the process store', () => {
  it('is opened once per process, migrated, and shared', async () => {
    useEnv({ PORTAL_DATA_DIR: 'memory://' });
    const first = getStore();
    expect(getStore()).toBe(first);
    await migrateStore();
    const store = await first;
    expect(store.kind).toBe('pglite');
    const rows = await runSql<{ exists: boolean }>(
      sql`select to_regclass('public.activity_log') is not null as exists`,
    );
    expect(rows).toEqual([{ exists: true }]);
  });

  it('runs raw SQL and transactions, rolling back a transaction that throws', async () => {
    const store = await getStore();
    await expect(
      inStoreTransaction(async (tx) => {
        await tx.insert(cacheVersions).values({ scope: 'rolled-back', version: 7 });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const committed = await inStoreTransaction(async (tx) => {
      await tx.insert(cacheVersions).values({ scope: 'committed', version: 3 });
      return runSql<{ version: number }>(
        sql`select version::integer as version from cache_versions where scope = 'committed'`,
        tx,
      );
    }, store);
    expect(committed).toEqual([{ version: 3 }]);
    const rows = await runSql<{ scope: string }>(
      sql`select scope from cache_versions order by scope`,
      store.db,
    );
    expect(rows).toEqual([{ scope: 'committed' }]);
  });

  it('does not keep a failed open: the next call tries again', async () => {
    await closeStore();
    useEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await findFreePort()}/postgres` });
    await expect(getStore()).rejects.toThrow();
    useEnv({ DATABASE_URL: server.url });
    const store = await getStore();
    expect(store.kind).toBe('postgres');
    await closeStore();
  });
});

describe('migrations on postgres', () => {
  it('are applied once when several instances start at once', async () => {
    const databaseUrl = await server.createDatabase('concurrent_start');
    const stores: Store[] = await Promise.all(
      Array.from({ length: 4 }, () => openStore({ kind: 'postgres', databaseUrl }, { poolSize: 2 })),
    );
    try {
      const [store] = stores;
      const applied = await runSql<{ count: number }>(
        sql`select count(*)::integer as count from drizzle.__drizzle_migrations`,
        store!.db,
      );
      expect(applied).toEqual([{ count: JOURNAL.entries.length }]);
      const functions = await runSql<{ name: string }>(
        sql`select proname as name from pg_proc where proname = 'portal_lease_permits'`,
        store!.db,
      );
      expect(functions).toHaveLength(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    // A later start finds nothing to do.
    const again = await openStore({ kind: 'postgres', databaseUrl });
    await again.close();
  });

  it('says where the migrations were expected when they are missing', async () => {
    await expect(
      openStore({ kind: 'postgres', databaseUrl: server.url }, { migrationsFolder: '/nowhere/drizzle' }),
    ).rejects.toThrow(/\/nowhere\/drizzle/);
  });
});
