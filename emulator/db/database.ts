import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema';

/** The emulator's database: one PGlite instance, in memory or in `dataDir`. */
export type Database = {
  readonly pg: PGlite;
  readonly dataDir: string | undefined;
};

/** Anything that runs SQL: the database itself or an open transaction. */
export type Queryable = Pick<PGlite, 'query' | 'exec'> | Transaction;

const SCHEMA_VERSION_KEY = 'schema_version';

/**
 * Opens the database and creates the schema when it is missing (or outdated: an on-disk
 * database from an older schema is wiped and rebuilt rather than migrated; it only holds seed
 * and test data).
 */
export async function openDatabase(o: { dataDir?: string } = {}): Promise<Database> {
  if (o.dataDir === undefined) return { pg: await createFromTemplate({}), dataDir: undefined };

  const isNew = !existsSync(path.join(o.dataDir, 'PG_VERSION'));
  await mkdir(o.dataDir, { recursive: true });
  const options = { dataDir: o.dataDir, relaxedDurability: true };
  const pg = isNew ? await createFromTemplate(options) : await PGlite.create(options);
  const database = { pg, dataDir: o.dataDir };
  if ((await readSchemaVersion(pg)) !== SCHEMA_VERSION) await resetDatabase(database);
  return database;
}

/** Drops every table and recreates the schema: an empty, unseeded database. */
export async function resetDatabase(db: Database): Promise<void> {
  await db.pg.exec('drop schema public cascade; create schema public;');
  await createSchema(db.pg);
}

/** Closes the database; on disk, PGlite flushes its files first. */
export async function closeDatabase(db: Database): Promise<void> {
  if (!db.pg.closed) await db.pg.close();
}

async function createSchema(pg: PGlite): Promise<void> {
  await pg.exec(SCHEMA_SQL);
  await pg.query(`insert into emulator_meta (key, value) values ($1, $2)`, [
    SCHEMA_VERSION_KEY,
    JSON.stringify(SCHEMA_VERSION),
  ]);
}

async function readSchemaVersion(pg: PGlite): Promise<number | undefined> {
  const table = await pg.query<{ exists: boolean }>(
    `select to_regclass('public.emulator_meta') is not null as exists`,
  );
  if (!table.rows[0]?.exists) return undefined;
  const row = await pg.query<{ value: unknown }>(`select value from emulator_meta where key = $1`, [
    SCHEMA_VERSION_KEY,
  ]);
  const value = row.rows[0]?.value;
  return typeof value === 'number' ? value : undefined;
}

async function createFromTemplate(options: {
  dataDir?: string;
  relaxedDurability?: boolean;
}): Promise<PGlite> {
  try {
    return await PGlite.create({ ...options, loadDataDir: await loadSchemaTemplate() });
  } catch {
    // A damaged cached template: drop it and build a fresh one.
    await rm(templatePath(), { force: true });
    return PGlite.create({ ...options, loadDataDir: await loadSchemaTemplate() });
  }
}

/**
 * PGlite's initdb costs seconds of WebAssembly work for every new database, while loading a
 * dumped data directory takes a fraction of that. So the first open builds an empty-schema
 * database once, stores its dump in the temp directory (keyed by the schema and the PGlite
 * version), and every later open, in memory or in a new `dataDir`, starts from that dump.
 */
async function loadSchemaTemplate(): Promise<Blob> {
  const cached = await readFile(templatePath()).catch(() => undefined);
  if (cached) return new Blob([new Uint8Array(cached)]);

  const pg = await PGlite.create();
  try {
    await createSchema(pg);
    const dump = await pg.dumpDataDir('none');
    await storeTemplate(dump, templatePath()).catch(() => undefined);
    return dump;
  } finally {
    await pg.close();
  }
}

async function storeTemplate(dump: Blob, templatePath: string): Promise<void> {
  await mkdir(path.dirname(templatePath), { recursive: true });
  // Written under a unique name and renamed, so parallel test files never read half a file.
  const partial = `${templatePath}.${process.pid}.${Date.now()}.partial`;
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
  await rename(partial, templatePath).catch(async () => rm(partial, { force: true }));
  // Templates of older schemas are 40 MB each and never read again.
  const directory = path.dirname(templatePath);
  for (const name of await readdir(directory)) {
    if (name.startsWith('schema-') && name.endsWith('.tar') && path.join(directory, name) !== templatePath) {
      await rm(path.join(directory, name), { force: true });
    }
  }
}

function templatePath(): string {
  return path.join(tmpdir(), 'logto-emulator-cache', `schema-${templateKey()}.tar`);
}

function templateKey(): string {
  const require = createRequire(import.meta.url);
  let pgliteVersion = 'unknown';
  try {
    pgliteVersion = (require('@electric-sql/pglite/package.json') as { version: string }).version;
  } catch {
    // The exports map may hide package.json; the schema hash alone still separates templates.
  }
  return createHash('sha256')
    .update(`${pgliteVersion}\n${SCHEMA_VERSION}\n${SCHEMA_SQL}`)
    .digest('hex')
    .slice(0, 16);
}
