import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestPostgres, type TestPostgres } from '../../../test/postgres';
import { findFreePort, waitForExit, waitForHttp } from '../../lib/processes';

const EMULATOR_CHILD = fileURLToPath(new URL('../emulator-child.ts', import.meta.url));
const MEMORY_PROBE = fileURLToPath(new URL('../memory-probe.cjs', import.meta.url));
const MEMORY_LINE = /^\[bench-memory\] (\{.*\})$/m;

/** The seeded applications' credentials (emulator seed; also the local defaults of lib/config). */
export const SEED_APPS = {
  m2mAppId: 'portal-m2m',
  m2mAppSecret: 'portal-m2m-secret',
  webAppId: 'portal-web',
  webAppSecret: 'portal-web-secret',
} as const;

export type StackOptions = {
  /** Directory holding a production build (`.next`) and `node_modules`. */
  projectDir: string;
  /** Size of the big organization (Acme); the seed's default when undefined. */
  bigOrgMembers?: number;
  nextAuthSecret: string;
  /**
   * Public URL of the portal as next-auth sees it; defaults to `http://localhost:<port>`.
   * An `https://` URL makes next-auth issue `__Secure-` cookies, as in production.
   */
  nextAuthUrl?: (port: number) => string;
  /** Extra environment for the portal (e.g. request budget); an `undefined` value unsets a variable. */
  env?: Record<string, string | undefined>;
  /** Preload the bench's memory probe (and expose GC) so {@link Stack.measureMemory} works. */
  hasMemoryProbe?: boolean;
};

/** Memory of the portal's server process, right after a full garbage collection. */
export type ServerMemory = { heapUsedMb: number; rssMb: number };

/** One `next start` process of the portal, with its output captured. */
export type PortalServer = {
  portalUrl: string;
  /** What next-auth was told the portal's URL is (differs from `portalUrl` for https tests). */
  publicUrl: string;
  /** PID of the Next.js server process (the one whose memory matters). */
  serverPid: number;
  /** Everything the portal printed on stdout and stderr so far. */
  logs(): string;
  /** Resident set size of the portal server in MB, from /proc. */
  serverRssMb(): number;
  /** Collects garbage in the server and reads its memory (needs `hasMemoryProbe`). */
  measureMemory(): Promise<ServerMemory>;
  close(): Promise<void>;
};

/** A running local Logto + production portal pair, with the portal's output captured. */
export type Stack = PortalServer & {
  logtoUrl: string;
  emulatorStartup: LocalLogto['startup'];
  recordLogtoArrivals: LocalLogto['recordArrivals'];
};

/**
 * Starts the local Logto (its own process, in memory, freshly seeded) and `next start` on free
 * ports, and waits until the portal answers. Both are stopped by `close()`.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const portalPort = await findFreePort();
  const portalUrl = `http://localhost:${portalPort}`;
  const publicUrl = options.nextAuthUrl?.(portalPort) ?? portalUrl;

  const logto = await startLocalLogto({
    bigOrgMembers: options.bigOrgMembers,
    portalUrls: [...new Set([portalUrl, publicUrl])],
  });
  try {
    const server = await startPortalServer({ ...options, logtoUrl: logto.url, port: portalPort, publicUrl });
    return {
      ...server,
      logtoUrl: logto.url,
      emulatorStartup: logto.startup,
      recordLogtoArrivals: () => logto.recordArrivals(),
      async close() {
        await server.close();
        await logto.close();
      },
    };
  } catch (error) {
    await logto.close();
    throw error;
  }
}

/** Options of {@link startPortalServer}: a {@link StackOptions} for a Logto that already runs. */
export type PortalServerOptions = Omit<StackOptions, 'bigOrgMembers' | 'nextAuthUrl'> & {
  logtoUrl: string;
  /** Default: a free port. */
  port?: number;
  /** Default: `http://localhost:<port>`. */
  publicUrl?: string;
};

/** Starts `next start` of a production build on the given Logto and waits until it answers. */
export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const portalPort = options.port ?? (await findFreePort());
  const portalUrl = `http://localhost:${portalPort}`;
  const publicUrl = options.publicUrl ?? portalUrl;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    NODE_ENV: 'production',
    PORT: String(portalPort),
    LOGTO_ENDPOINT: options.logtoUrl,
    LOGTO_M2M_APP_ID: SEED_APPS.m2mAppId,
    LOGTO_M2M_APP_SECRET: SEED_APPS.m2mAppSecret,
    LOGTO_APP_ID: SEED_APPS.webAppId,
    LOGTO_APP_SECRET: SEED_APPS.webAppSecret,
    NEXTAUTH_URL: publicUrl,
    NEXTAUTH_SECRET: options.nextAuthSecret,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const nextBin = join(options.projectDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const probe = options.hasMemoryProbe ? ['--expose-gc', '--require', MEMORY_PROBE] : [];
  const server = spawn(
    process.execPath,
    [...probe, nextBin, 'start', '--port', String(portalPort), '--hostname', '127.0.0.1'],
    {
      cwd: options.projectDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  // If this process dies first (a crash, an unhandled rejection), the server dies with it.
  const killOnExit = () => server.kill('SIGKILL');
  process.once('exit', killOnExit);
  const close = async () => {
    process.off('exit', killOnExit);
    await stopChild(server);
  };
  try {
    await Promise.race([
      waitForHttp(`${portalUrl}/sign-in`, 60_000),
      waitForExit(server).then((code) => {
        throw new Error(`next start exited with ${code}:\n${output}`);
      }),
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  if (server.pid === undefined) throw new Error('next start has no pid');
  const serverPid = server.pid;

  return {
    portalUrl,
    publicUrl,
    serverPid,
    logs: () => output,
    serverRssMb: () => readRssMb(serverPid),
    async measureMemory() {
      if (!options.hasMemoryProbe) throw new Error('the server was started without the memory probe');
      const seen = output.length;
      server.kill('SIGUSR2');
      const deadline = performance.now() + 10_000;
      for (;;) {
        const match = MEMORY_LINE.exec(output.slice(seen));
        if (match?.[1]) {
          const usage = JSON.parse(match[1]) as { heapUsed: number; rss: number };
          return { heapUsedMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 };
        }
        if (performance.now() > deadline) throw new Error('the memory probe did not answer');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close,
  };
}

/**
 * When the local Logto received each request its rate-limit fault counts (every `/api` request,
 * refused ones included, and every `POST /oidc/token`): ms since the recording began.
 */
export type ArrivalRecording = { startedAtEpochMs: number; times: number[] };

/** The local Logto in a process of its own. */
export type LocalLogto = {
  url: string;
  startup: { totalMs: number; seedMs: number; users: number; organizations: number };
  /** Starts stamping the requests Logto receives; the returned function stops and hands them back. */
  recordArrivals(): Promise<() => Promise<ArrivalRecording>>;
  close(): Promise<void>;
};

/** Starts the local Logto, freshly seeded in memory, accepting sign-ins back to `portalUrls`. */
export async function startLocalLogto(options: {
  bigOrgMembers?: number;
  portalUrls: string[];
}): Promise<LocalLogto> {
  const { child, url, startup } = await startEmulatorProcess({
    bigOrgMembers: options.bigOrgMembers,
    extraRedirectUris: options.portalUrls.map((url) => `${url}/api/auth/callback/logto`),
    extraPostLogoutRedirectUris: options.portalUrls.flatMap((url) => [url, `${url}/sign-in`]),
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    url,
    startup,
    async recordArrivals() {
      await exchange(child, { type: 'arrivals:start' }, 'arrivals:started');
      return async () => (await exchange(child, { type: 'arrivals:stop' }, 'arrivals')) as ArrivalRecording;
    },
    async close() {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
}

/** Sends one IPC message to the local Logto's process and waits for the answer of `replyType`. */
function exchange(
  child: ChildProcess,
  message: { type: string },
  replyType: string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`the local Logto did not answer ${message.type}`));
    }, 10_000);
    const onMessage = (reply: unknown) => {
      if ((reply as { type?: unknown } | null)?.type !== replyType) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as Record<string, unknown>);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** Several production instances of the portal sharing one Postgres store and one local Logto. */
export type MultiInstanceStack = {
  logtoUrl: string;
  logto: LocalLogto;
  /** The URL every instance believes is the portal's (a load balancer's, in production). */
  publicUrl: string;
  instances: PortalServer[];
  postgres: TestPostgres;
  /** The instances' `DATABASE_URL`. */
  databaseUrl: string;
  /** Seconds spent starting each part. */
  startup: { postgresS: number; logtoS: number; instancesS: number; emulator: LocalLogto['startup'] };
  close(): Promise<void>;
};

/**
 * Starts a throwaway Postgres, the local Logto and `count` portal servers at once on
 * `DATABASE_URL` (so they share the request budget, locks and cache invalidation). Every
 * instance is told the first one's URL is the portal's: sessions signed in through any of them
 * work on all, as behind a load balancer.
 */
export async function startMultiInstanceStack(
  options: Omit<StackOptions, 'nextAuthUrl'> & { count: number },
): Promise<MultiInstanceStack> {
  const started = performance.now();
  const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;
  const postgres = await startTestPostgres();
  const postgresS = seconds(started);
  const cleanups: Array<() => Promise<void>> = [() => postgres.stop()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const databaseUrl = await postgres.createDatabase('portal_bench');
    const ports = await Promise.all(Array.from({ length: options.count }, () => findFreePort()));
    const publicUrl = `http://localhost:${ports[0]!}`;
    const logtoStarted = performance.now();
    const logto = await startLocalLogto({ bigOrgMembers: options.bigOrgMembers, portalUrls: [publicUrl] });
    cleanups.push(() => logto.close());
    const logtoS = seconds(logtoStarted);

    const instancesStarted = performance.now();
    const results = await Promise.allSettled(
      ports.map((port) =>
        startPortalServer({
          ...options,
          logtoUrl: logto.url,
          port,
          publicUrl,
          env: { ...options.env, DATABASE_URL: databaseUrl, PORTAL_DATA_DIR: undefined },
        }),
      ),
    );
    const instances = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    for (const instance of instances) cleanups.push(() => instance.close());
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return {
      logtoUrl: logto.url,
      logto,
      publicUrl,
      instances,
      postgres,
      databaseUrl,
      startup: { postgresS, logtoS, instancesS: seconds(instancesStarted), emulator: logto.startup },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

type EmulatorProcess = { child: ChildProcess; url: string; startup: LocalLogto['startup'] };

async function startEmulatorProcess(options: Record<string, unknown>): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', EMULATOR_CHILD, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      child.stdout?.off('data', onData);
      // Keep draining the pipe so a chatty child never blocks on a full buffer.
      child.stdout?.resume();
      try {
        const ready = JSON.parse(buffered.slice(0, newline)) as Omit<EmulatorProcess, 'child'>;
        resolve({ child, ...ready });
      } catch (error) {
        reject(new Error(`the local Logto printed something unexpected: ${buffered}`, { cause: error }));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the local Logto exited with ${code}:\n${errors}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = waitForExit(child);
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}
