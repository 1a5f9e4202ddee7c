import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** Extra environment for the portal (e.g. request budget). */
  env?: NodeJS.ProcessEnv;
  /** Preload the bench's memory probe (and expose GC) so {@link Stack.measureMemory} works. */
  hasMemoryProbe?: boolean;
};

/** Memory of the portal's server process, right after a full garbage collection. */
export type ServerMemory = { heapUsedMb: number; rssMb: number };

/** A running local Logto + production portal pair, with the portal's output captured. */
export type Stack = {
  portalUrl: string;
  /** What next-auth was told the portal's URL is (differs from `portalUrl` for https tests). */
  publicUrl: string;
  logtoUrl: string;
  /** PID of the Next.js server process (the one whose memory matters). */
  serverPid: number;
  emulatorStartup: { totalMs: number; seedMs: number; users: number; organizations: number };
  /** Everything the portal printed on stdout and stderr so far. */
  logs(): string;
  /** Resident set size of the portal server in MB, from /proc. */
  serverRssMb(): number;
  /** Collects garbage in the server and reads its memory (needs `hasMemoryProbe`). */
  measureMemory(): Promise<ServerMemory>;
  close(): Promise<void>;
};

/**
 * Starts the local Logto (its own process, in memory, freshly seeded) and `next start` on free
 * ports, and waits until the portal answers. Both are stopped by `close()`.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const portalPort = await findFreePort();
  const portalUrl = `http://localhost:${portalPort}`;
  const publicUrl = options.nextAuthUrl?.(portalPort) ?? portalUrl;

  const emulator = await startEmulatorProcess({
    bigOrgMembers: options.bigOrgMembers,
    extraRedirectUris: [...new Set([portalUrl, publicUrl])].map((url) => `${url}/api/auth/callback/logto`),
    extraPostLogoutRedirectUris: [portalUrl, `${portalUrl}/sign-in`, publicUrl, `${publicUrl}/sign-in`],
  });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    NODE_ENV: 'production',
    PORT: String(portalPort),
    LOGTO_ENDPOINT: emulator.url,
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
  const server = spawn(process.execPath, [...probe, nextBin, 'start', '--port', String(portalPort), '--hostname', '127.0.0.1'], {
    cwd: options.projectDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  // If this process dies first (a crash, an unhandled rejection), the servers die with it.
  const killOnExit = () => {
    server.kill('SIGKILL');
    emulator.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const close = async () => {
    process.off('exit', killOnExit);
    await stopChild(server);
    await stopChild(emulator.child);
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
    logtoUrl: emulator.url,
    serverPid,
    emulatorStartup: emulator.startup,
    logs: () => output,
    serverRssMb: () => readRssMb(serverPid),
    async measureMemory() {
      if (!options.hasMemoryProbe) throw new Error('the stack was started without the memory probe');
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

type EmulatorProcess = { child: ChildProcess; url: string; startup: Stack['emulatorStartup'] };

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
