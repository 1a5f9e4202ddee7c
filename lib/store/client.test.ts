import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@/scripts/lib/processes';
import { startTestPostgres, type TestPostgres } from '@/test/postgres';
import {
  closeStore,
  createDatabaseApart,
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
    const settings = await runSql<{ value: string }>(sql`select current_setting('shared_buffers') as value`);
    expect(settings).toEqual([{ value: '32MB' }]);
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

describe('the embedded store on disk', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'portal-store-test-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("has a new folder's database made by a child process, and keeps its data across a reopen", async () => {
    const folder = path.join(dataDir, 'portal');
    const store = await openStore({ kind: 'pglite', dataDir: folder });
    try {
      expect(existsSync(path.join(folder, 'PG_VERSION'))).toBe(true);
      await store.db.insert(cacheVersions).values({ scope: 'kept', version: 5 });
    } finally {
      await store.close();
    }
    expect(await createDatabaseApart(folder)).toBe('existing');
    const reopened = await openStore({ kind: 'pglite', dataDir: folder });
    try {
      const rows = await runSql<{ version: number }>(
        sql`select version::integer as version from cache_versions where scope = 'kept'`,
        reopened.db,
      );
      expect(rows).toEqual([{ version: 5 }]);
      // Postgres writes all its shared buffers at start-up: the server keeps them for life.
      const settings = await runSql<{ value: string }>(
        sql`select current_setting('shared_buffers') as value`,
        reopened.db,
      );
      expect(settings).toEqual([{ value: '32MB' }]);
    } finally {
      await reopened.close();
    }
  }, 60_000);

  it('says how a folder got its database: a child made it, or it was there', async () => {
    const folder = await mkdtemp(path.join(dataDir, 'made-'));
    expect(await createDatabaseApart(folder)).toBe('child');
    expect(existsSync(path.join(folder, 'PG_VERSION'))).toBe(true);
    expect(await createDatabaseApart(folder)).toBe('existing');
  }, 60_000);

  it('clears what a failed child left in a new folder, so PGlite can make the database itself', async () => {
    const folder = await mkdtemp(path.join(dataDir, 'half-made-'));
    // Stands in for node: writes into the folder it is given (its 4th argument), then fails.
    const failingNode = path.join(dataDir, 'failing-node.sh');
    await writeFile(failingNode, '#!/bin/sh\nmkdir "$4/base" && touch "$4/base/1"\nexit 3\n', {
      mode: 0o755,
    });
    expect(await createDatabaseApart(folder, failingNode)).toBe('here');
    expect(await readdir(folder)).toEqual([]);
    expect(await createDatabaseApart(folder, path.join(dataDir, 'no-such-node'))).toBe('here');
  });
});
