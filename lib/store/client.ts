import 'server-only';

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { Pool, PoolClient } from 'pg';
import { processSingleton } from '@/lib/process-singleton';
import * as schema from './schema';

/** The tables of the portal's store, as Drizzle sees them. */
export type StoreSchema = typeof schema;

/** The Drizzle database, whichever driver is underneath (node-postgres or PGlite). */
export type StoreDatabase = PgDatabase<PgQueryResultHKT, StoreSchema>;

/** An open transaction of {@link StoreDatabase}. */
export type StoreTransaction = PgTransaction<
  PgQueryResultHKT,
  StoreSchema,
  ExtractTablesWithRelations<StoreSchema>
>;

/** Where the store lives: a Postgres server shared by instances, or PGlite inside this process. */
export type StoreConfig =
  | { kind: 'postgres'; databaseUrl: string }
  /** `dataDir` undefined: in memory (tests). */
  | { kind: 'pglite'; dataDir: string | undefined };

type StoreBase = {
  readonly db: StoreDatabase;
  /**
   * State that the primitives keep per store (lock queues). It lives on
   * the store, not in module variables, so every Next bundle in the process shares it.
   */
  readonly state: Map<string, unknown>;
  /** Closes the store's connections (PGlite: flushes and closes the database). */
  close(): Promise<void>;
};

/** A store on a Postgres server (`DATABASE_URL`): any number of instances share it. */
export type PostgresStore = StoreBase & {
  readonly kind: 'postgres';
  readonly databaseUrl: string;
  /** Connections for queries. */
  readonly pool: Pool;
  /**
   * Connections that hold organization locks. Kept apart from `pool` so tasks holding a lock can
   * still query the store however many locks are held.
   */
  readonly lockPool: Pool;
};

/** The embedded store: PGlite in this process (one instance only). */
export type PgliteStore = StoreBase & {
  readonly kind: 'pglite';
  readonly client: PGlite;
  readonly dataDir: string | undefined;
};

/** An open store. Most code uses {@link getStore}; tests open their own with {@link openStore}. */
export type Store = PostgresStore | PgliteStore;

/** Options of {@link openStore}. */
export type OpenStoreOptions = {
  /** Apply pending migrations (under an advisory lock) before returning. Default true. */
  migrate?: boolean;
  /** Default: `drizzle/` in the working directory (the project root when the portal runs). */
  migrationsFolder?: string;
  /** Postgres only: connections for queries (default 10) and for organization locks held at once (default 10). */
  poolSize?: number;
  lockPoolSize?: number;
};

/** Raised when `DATABASE_URL` or `PORTAL_DATA_DIR` cannot be used. */
export class StoreConfigError extends Error {
  override name = 'StoreConfigError';
}

const DEFAULT_DATA_DIR = '.data/portal';
const MEMORY_DATA_DIR = 'memory://';
/** Two-key advisory locks (`'PORT'`, n) are the portal's own; organization locks use one key. */
const LOCK_NAMESPACE = 1347375700;
const MIGRATION_LOCK_KEY = 1;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Reads where the store lives: `DATABASE_URL` (a `postgres://` URL) when set, else PGlite under
 * `PORTAL_DATA_DIR` (default `.data/portal`, relative to the working directory; `memory://` keeps
 * it in memory).
 */
export function readStoreConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StoreConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new StoreConfigError(
        'DATABASE_URL must be a Postgres connection string (postgres://user:password@host:5432/database); ' +
          'unset it to use the embedded store under .data/portal.',
      );
    }
    return { kind: 'postgres', databaseUrl };
  }
  const dataDir = env.PORTAL_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  if (dataDir === MEMORY_DATA_DIR) return { kind: 'pglite', dataDir: undefined };
  return { kind: 'pglite', dataDir: path.resolve(/*turbopackIgnore: true*/ dataDir) };
}

/**
 * Whether this process's store is a Postgres server that other instances may share
 * (`DATABASE_URL`), as opposed to the embedded store one process owns. Read once per process:
 * permission checks ask it on every page view.
 */
export function isSharedStore(): boolean {
  const memo = processSingleton('store:is-shared', () => ({ value: readStoreConfig().kind === 'postgres' }));
  return memo.value;
}

/**
 * Opens a store and (by default) brings its schema up to date. Each call opens new connections
 * (PGlite: about 0.15 GB, and seconds for a new database), so the portal goes through
 * {@link getStore}; tests open their own and close them.
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  const migrationsFolder = options.migrationsFolder ?? path.join(process.cwd(), 'drizzle');
  if (options.migrate !== false && !existsSync(path.join(migrationsFolder, 'meta', '_journal.json'))) {
    throw new StoreConfigError(
      `The store's migrations are missing from ${migrationsFolder}: run the portal from its project directory.`,
    );
  }
  const store =
    config.kind === 'postgres'
      ? await openPostgres(config.databaseUrl, options)
      : await openPglite(config.dataDir, options.migrate !== false ? migrationsFolder : undefined);
  if (options.migrate !== false) {
    try {
      await migrate(store, migrationsFolder);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

async function openPostgres(databaseUrl: string, options: OpenStoreOptions): Promise<PostgresStore> {
  const [{ default: pg }, { drizzle }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const createPool = (max: number, applicationName: string, connectionTimeoutMillis: number) => {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max,
      connectionTimeoutMillis,
      application_name: applicationName,
    });
    // An idle connection dropped by the server must not crash the process; the next query
    // simply opens a new one.
    pool.on('error', (error) =>
      console.warn(`Store: an idle ${applicationName} connection failed: ${error.message}`),
    );
    return pool;
  };
  const pool = createPool(options.poolSize ?? 10, 'org-admin-portal', CONNECT_TIMEOUT_MS);
  // Lock takers bound their own wait (`waitMs`), which may be longer than a query's.
  const lockPool = createPool(options.lockPoolSize ?? 10, 'org-admin-portal:org-lock', 0);
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    databaseUrl,
    pool,
    lockPool,
    db: drizzle({ client: pool, schema }),
    state: new Map(),
    close() {
      closing ??= Promise.all([pool.end(), lockPool.end()]).then(() => undefined);
      return closing;
    },
  };
}

async function openPglite(
  dataDir: string | undefined,
  migrationsFolder: string | undefined,
): Promise<PgliteStore> {
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    await createDatabaseApart(dataDir);
  }
  const client =
    dataDir === undefined && migrationsFolder !== undefined
      ? await createMemoryPglite(migrationsFolder)
      : await createPglite(dataDir ? { dataDir } : {});
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    dataDir,
    client,
    db: drizzle({ client, schema }),
    state: new Map(),
    close() {
      closing ??= client.closed ? Promise.resolve() : client.close();
      return closing;
    },
  };
}

/**
 * Postgres's shared buffers are all written at start-up, so each MB of them is a MB of the
 * server's memory for its whole life: PGlite's default of 128 MB took 128 of the ~0.25 GB an
 * open store cost. The portal's working set (recent activity, job items) is small, and
 * a page missing from the buffers is read from the data folder through the OS's cache.
 */
const EMBEDDED_SHARED_BUFFERS = '32MB';

/** A PGlite with the portal's settings, on `options`' data folder or in memory. */
async function createPglite(options: PGliteOptions): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({
    ...options,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
  });
}

/** Run by a child `node`: makes a new PGlite database in the folder it is given, and exits. */
const CREATE_DATABASE_SCRIPT =
  "import { PGlite } from '@electric-sql/pglite'; await (await PGlite.create({ dataDir: process.argv[1] })).close();";

/**
 * Makes the database in a new data folder from a short-lived child process. Making one (initdb)
 * grows PGlite's WebAssembly memory to about 0.8 GB, which a process keeps for its whole life;
 * opening one already made costs about 0.15 GB. Answers how the folder got its database: it had
 * one (`existing`), the child made it (`child`), or the child failed and PGlite will make it in
 * this process as it opens, as it always could (`here`).
 */
export async function createDatabaseApart(
  dataDir: string,
  nodePath: string = process.execPath,
): Promise<'existing' | 'child' | 'here'> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return 'existing';
  const wasEmpty = (await readdir(dataDir)).length === 0;
  try {
    // The child resolves PGlite from the working directory, where the portal runs. It leaves out
    // the server's NODE_OPTIONS: an `--inspect` there would stop it on a port already taken.
    await promisify(execFile)(nodePath, ['--input-type=module', '-e', CREATE_DATABASE_SCRIPT, dataDir], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_OPTIONS: undefined },
      timeout: 120_000,
    });
    return 'child';
  } catch (error) {
    const { code, signal, stderr } = error as { code?: string | number; signal?: string; stderr?: string };
    const reason = [
      signal ? `stopped by ${signal}` : typeof code === 'number' ? `exit ${code}` : code,
      stderr?.trim().split('\n').pop(),
    ]
      .filter(Boolean)
      .join(': ');
    // What a child stopped halfway through initdb left would stop PGlite's own initdb.
    if (wasEmpty) {
      for (const entry of await readdir(dataDir)) {
        await rm(path.join(dataDir, entry), { recursive: true, force: true });
      }
    }
    console.warn(
      `Store: a child process could not create the database in ${dataDir} (${reason}); creating it here.`,
    );
    return 'here';
  }
}

/**
 * A new PGlite in memory (tests, throwaway runs). A new database costs PGlite an initdb: seconds
 * of WebAssembly and ~0.85 GB of memory, where loading a dump of one takes under a second and
 * less. So the first one is migrated and dumped to the temp folder (keyed by the PGlite
 * version and the migrations), and later ones start from that dump.
 */
async function createMemoryPglite(migrationsFolder: string): Promise<PGlite> {
  const templateFile = path.join(
    tmpdir(),
    'org-admin-portal-store',
    `template-${await templateKey(migrationsFolder)}.tar`,
  );
  const template = await readFile(templateFile).catch(() => undefined);
  if (template) {
    try {
      return await createPglite({ loadDataDir: new Blob([new Uint8Array(template)]) });
    } catch {
      await rm(templateFile, { force: true });
    }
  }

  const client = await createPglite({});
  try {
    await migrate({ kind: 'pglite', client }, migrationsFolder);
    await storeTemplate(await client.dumpDataDir('none'), templateFile);
  } catch {
    // No template this time; the store itself is fine (openStore migrates it again).
  }
  return client;
}

async function templateKey(migrationsFolder: string): Promise<string> {
  const hash = createHash('sha256');
  const pglitePackage = path.join(process.cwd(), 'node_modules', '@electric-sql', 'pglite', 'package.json');
  hash.update(await readFile(pglitePackage, 'utf8').catch(() => 'unknown PGlite'));
  const journal = await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8');
  hash.update(journal);
  for (const { tag } of (JSON.parse(journal) as { entries: { tag: string }[] }).entries) {
    hash.update(await readFile(path.join(migrationsFolder, `${tag}.sql`), 'utf8'));
  }
  return hash.digest('hex').slice(0, 16);
}

async function storeTemplate(dump: Blob, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Written under a unique name and renamed, so a parallel test file never reads half a file.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
  await rename(partial, file).catch(() => rm(partial, { force: true }));
  // Templates of older migrations are 40 MB each and never read again.
  const directory = path.dirname(file);
  for (const name of await readdir(directory)) {
    if (name.startsWith('template-') && name.endsWith('.tar') && path.join(directory, name) !== file) {
      await rm(path.join(directory, name), { force: true });
    }
  }
}

/**
 * Applies pending migrations. On Postgres a session advisory lock makes instances that start at
 * once take turns: the first applies them, the others then find nothing left to do. PGlite
 * belongs to one process, which opens it once.
 */
async function migrate(
  store: Pick<PgliteStore, 'kind' | 'client'> | Pick<PostgresStore, 'kind' | 'pool'>,
  migrationsFolder: string,
): Promise<void> {
  if (store.kind === 'pglite') {
    const [{ drizzle }, { migrate: migratePglite }] = await Promise.all([
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    await migratePglite(drizzle({ client: store.client }), { migrationsFolder });
    return;
  }

  const [{ drizzle }, { migrate: migratePostgres }] = await Promise.all([
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const client: PoolClient = await store.pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, MIGRATION_LOCK_KEY]);
    try {
      // The migrator must run on the connection that holds the lock.
      await migratePostgres(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A connection that failed mid-way may still hold the lock: destroy it rather than reuse it.
    client.release(failure);
  }
}

type StoreHolder = { opening: Promise<Store> | undefined };

function holder(): StoreHolder {
  return processSingleton<StoreHolder>('store', () => ({ opening: undefined }));
}

/**
 * The process's store, opened (and migrated) on first use from {@link readStoreConfig}. One per
 * process, shared by every Next bundle. A failed open is not cached: the next call tries again.
 */
export function getStore(): Promise<Store> {
  const current = holder();
  if (!current.opening) {
    const opening = Promise.resolve().then(() => openStore(readStoreConfig()));
    current.opening = opening;
    opening.catch(() => {
      if (current.opening === opening) current.opening = undefined;
    });
  }
  return current.opening;
}

/**
 * Starts opening the store in the background, so the first request does not pay for it (PGlite:
 * 3–5 s). A failure is logged; the next {@link getStore} tries again.
 */
export function warmStore(): void {
  getStore().catch((error: unknown) => {
    console.error(
      `The portal's store could not be opened: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
}

/**
 * Opens the process's store and applies pending migrations; rejects if either fails. Safe when
 * several instances start at once. Start-up awaits it; `npm run db:migrate` runs it alone.
 */
export async function migrateStore(): Promise<void> {
  await getStore();
}

/** Closes the process's store (tests, shutdown). The next {@link getStore} opens a new one. */
export async function closeStore(): Promise<void> {
  const current = holder();
  const opening = current.opening;
  current.opening = undefined;
  const store = await opening?.catch(() => undefined);
  await store?.close();
}

/** Anything that runs SQL: a store's `db` or an open transaction. */
export type SqlTarget = Pick<StoreDatabase, 'execute'>;

/**
 * Runs one raw SQL statement and returns its rows, on either driver. Build it with Drizzle's
 * `sql` tag (values become parameters). The drivers parse some types differently: cast
 * timestamps (`extract(epoch from …) * 1000`) and bigints (`::float8`, `::int`) in the query.
 */
export async function runSql<Row extends Record<string, unknown>>(
  query: SQL,
  target?: SqlTarget,
): Promise<Row[]> {
  const result = await (target ?? (await getStore()).db).execute(query);
  return (result as unknown as { rows: Row[] }).rows;
}

/**
 * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
 * On PGlite a transaction has the database to itself: keep it short and free of network calls.
 */
export async function inStoreTransaction<T>(
  work: (tx: StoreTransaction) => Promise<T>,
  store?: Store,
): Promise<T> {
  return (store ?? (await getStore())).db.transaction(work);
}
