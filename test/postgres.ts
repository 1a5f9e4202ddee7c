/**
 * A throwaway Postgres server for tests: Debian's `postgresql` binaries, a fresh data directory
 * in the temp folder, a free port on 127.0.0.1, and nothing left behind. It never uses a system
 * service. Tests that need it fail (never skip) when the binaries are missing: CI installs them.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from '../scripts/lib/processes';

const execFileAsync = promisify(execFile);

const POSTGRES_ROOT = '/usr/lib/postgresql';
/** Who runs the server when the tests run as root (initdb refuses root). */
const PREFERRED_USER = 'postgres';
const FALLBACK_USER = 'portal-test-pg';

/** A running throwaway server. */
export type TestPostgres = {
  /** Connection string of its `postgres` database (superuser `postgres`, no password). */
  readonly url: string;
  readonly port: number;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its data directory. Safe to call twice. */
  stop(): Promise<void>;
};

/**
 * Starts a Postgres server in a new temp directory on a free loopback port. Takes about a
 * second; call it once per test file (`beforeAll`) and `stop()` it in `afterAll`. Should the test
 * process die without stopping it, a watchdog stops the server and removes the directory.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  const runAs = await serverUser();
  const directory = await mkdtemp(path.join(tmpdir(), 'portal-pg-'));
  const dataDir = path.join(directory, 'data');
  const logFile = path.join(directory, 'server.log');
  const run = (command: string, args: string[]) =>
    runCommand(runAs ? ['runuser', '-u', runAs.name, '--', command] : [command], args);

  let watchdog: number | undefined;
  const removeDirectory = () => rm(directory, { recursive: true, force: true });
  try {
    await chmod(directory, 0o700);
    if (runAs) await chown(directory, runAs.uid, runAs.gid);
    await run(path.join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);

    const pgCtl = path.join(bin, 'pg_ctl');
    const port = await startOnFreePort(run, pgCtl, dataDir, directory, logFile);
    watchdog = startWatchdog(runAs?.name, pgCtl, dataDir, directory);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      async createDatabase(name) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`create database ${pg.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      },
      stop() {
        stopping ??= (async () => {
          try {
            await run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
          } finally {
            if (watchdog !== undefined) killQuietly(watchdog);
            await removeDirectory();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    if (watchdog !== undefined) killQuietly(watchdog);
    await removeDirectory();
    throw error;
  }
}

/** The newest `/usr/lib/postgresql/<version>/bin` that has `initdb` and `pg_ctl`. */
function findPostgresBin(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = path.join(POSTGRES_ROOT, version, 'bin');
    if (isExecutable(path.join(bin, 'initdb')) && isExecutable(path.join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error(
    `No Postgres server binaries under ${POSTGRES_ROOT}/<version>/bin (initdb, pg_ctl). ` +
      "These tests need a real Postgres: install Debian's package (apt-get install postgresql), " +
      'as .ci/run does.',
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

type ServerUser = { name: string; uid: number; gid: number };

/** As root, the unprivileged user to run the server as (created when missing); else none. */
async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of [PREFERRED_USER, FALLBACK_USER]) {
    const user = await lookUpUser(name);
    if (user) return user;
  }
  await runCommand(
    ['useradd'],
    ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_USER],
  );
  const created = await lookUpUser(FALLBACK_USER);
  if (!created) throw new Error(`Could not create the user ${FALLBACK_USER} to run Postgres as`);
  return created;
}

async function lookUpUser(name: string): Promise<ServerUser | undefined> {
  try {
    const { stdout } = await execFileAsync('getent', ['passwd', name]);
    const [, , uid, gid] = stdout.trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

async function runCommand(prefix: string[], args: string[]): Promise<string> {
  const [command, ...rest] = prefix;
  try {
    const { stdout } = await execFileAsync(command!, [...rest, ...args], { timeout: 60_000 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    const output = `${stderr ?? ''}${stdout ?? ''}`.trim();
    throw new Error(`${[...prefix, ...args].join(' ')} failed${output ? `:\n${output}` : ''}`);
  }
}

/** `findFreePort` can race with other processes, so a start that fails is retried on a new port. */
async function startOnFreePort(
  run: (command: string, args: string[]) => Promise<string>,
  pgCtl: string,
  dataDir: string,
  socketDir: string,
  logFile: string,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await findFreePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${socketDir}`,
      '-c listen_addresses=127.0.0.1',
      // Durability is worthless for throwaway data; speed is not.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    try {
      await run(pgCtl, ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);
      return port;
    } catch (error) {
      lastError = new Error(`${(error as Error).message}\n${readLogTail(logFile)}`);
    }
  }
  throw lastError;
}

function readLogTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/**
 * A detached shell that outlives this process: once it is gone, it stops the server and removes
 * its directory. Returns the watchdog's pid so a clean stop can end it.
 */
function startWatchdog(
  user: string | undefined,
  pgCtl: string,
  dataDir: string,
  directory: string,
): number | undefined {
  const asUser = user ? `runuser -u ${user} -- ` : '';
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `${asUser}${pgCtl} -D '${dataDir}' -m immediate -w stop >/dev/null 2>&1; rm -rf '${directory}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {
    // Already gone.
  }
}
