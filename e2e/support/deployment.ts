/**
 * A whole portal deployment for one spec, apart from the suite's own: a throwaway Postgres, a
 * local Logto running in the test's process (so the spec reads its fault controller and request
 * counters directly), and any number of `next start` instances on the existing production build,
 * all on free ports on 127.0.0.1. Everything started here is stopped by {@link Deployment.stop}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { type EmulatorHandle, startEmulator } from '../../emulator/server';
import { findFreePort, PROJECT_ROOT, waitForExit, waitForHttp } from '../../scripts/lib/processes';
import { startTestPostgres, type TestPostgres } from '../../test/postgres';

const NEXT_BIN = join(PROJECT_ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const KEPT_OUTPUT_LINES = 200;

/** Sessions are sealed with this; every instance of one deployment shares it. */
const NEXTAUTH_SECRET = 'multi-instance-e2e-secret-not-for-production-0123456789';

/** One running `next start`. */
export type PortalInstance = {
  /** `A`, `B`, … */
  name: string;
  /** `http://localhost:<port>`: cookies ignore the port, so one session serves every instance. */
  url: string;
  /** The last lines it printed, for failure reports. */
  output(): string;
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL): no shutdown work runs, as in a crash. */
  kill(): Promise<void>;
};

/** What every instance of a deployment is started with. */
export type InstanceSettings = {
  /** The shared store; leave it out for an instance on its own embedded store in memory. */
  databaseUrl?: string;
  requestBudget: { maxRequests: number; windowMs: number };
  /** How long one Management API call may take, waiting for the budget included (default 10 s). */
  requestTimeoutMs?: number;
  /** More settings (`PORTAL_*` tuning such as the bulk-job lease). */
  env?: Record<string, string>;
};

export type Deployment = {
  postgres: TestPostgres;
  logto: EmulatorHandle;
  /** The URL every instance's NEXTAUTH_URL names (the first instance's, as a load balancer's would be). */
  publicUrl: string;
  /** Starts `count` instances at once on the given settings; they are stopped with the deployment. */
  startInstances(count: number, settings: InstanceSettings): Promise<PortalInstance[]>;
  /** Stops every instance still running, the local Logto and Postgres. Safe to call twice. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
// Should the test process end without its teardown, leave no server behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts Postgres and the local Logto. The first instance started later gets the port chosen
 * here for the public URL, which the local Logto accepts as a sign-in redirect.
 */
export async function startDeployment({
  bigOrgMembers = 4,
}: { bigOrgMembers?: number } = {}): Promise<Deployment> {
  const instances: PortalInstance[] = [];
  let postgres: TestPostgres | undefined;
  let logto: EmulatorHandle | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await Promise.allSettled([logto?.close(), postgres?.stop()]);
    })());

  try {
    const firstPort = await findFreePort();
    const publicUrl = `http://localhost:${firstPort}`;
    [postgres, logto] = await Promise.all([
      startTestPostgres(),
      startEmulator({
        port: 0,
        quiet: true,
        // The seed's big organization is small unless a spec needs it: it seeds in a fraction of the time.
        bigOrgMembers,
        extraRedirectUris: [`${publicUrl}/api/auth/callback/logto`],
        extraPostLogoutRedirectUris: [publicUrl, `${publicUrl}/sign-in`],
      }),
    ]);
    const logtoUrl = logto.url;
    let named = 0;

    return {
      postgres,
      logto,
      publicUrl,
      async startInstances(count, settings) {
        const numbers = Array.from({ length: count }, () => (named += 1) - 1);
        const started = await Promise.allSettled(
          numbers.map(async (number) => {
            const port = number === 0 ? firstPort : await findFreePort();
            const env = instanceEnv({ logtoUrl, publicUrl, ...settings });
            return startInstance(String.fromCharCode(65 + number), port, env);
          }),
        );
        for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
        const failure = started.find((result) => result.status === 'rejected');
        if (failure) throw failure.reason;
        return started.map((result) => (result as PromiseFulfilledResult<PortalInstance>).value);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The environment of one production instance, with nothing inherited that could change it. */
function instanceEnv(o: InstanceSettings & { logtoUrl: string; publicUrl: string }): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(LOGTO_|PORTAL_|NEXTAUTH_|DATABASE_URL$)/.test(key)),
  );
  return {
    ...inherited,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    LOGTO_ENDPOINT: o.logtoUrl,
    LOGTO_M2M_APP_ID: 'portal-m2m',
    LOGTO_M2M_APP_SECRET: 'portal-m2m-secret',
    LOGTO_APP_ID: 'portal-web',
    LOGTO_APP_SECRET: 'portal-web-secret',
    LOGTO_REQUEST_BUDGET: String(o.requestBudget.maxRequests),
    LOGTO_REQUEST_BUDGET_WINDOW_MS: String(o.requestBudget.windowMs),
    ...(o.requestTimeoutMs ? { LOGTO_REQUEST_TIMEOUT_MS: String(o.requestTimeoutMs) } : {}),
    NEXTAUTH_URL: o.publicUrl,
    NEXTAUTH_SECRET,
    PORTAL_PUBLIC_VISITS_PER_MINUTE: '1000',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : { PORTAL_DATA_DIR: 'memory://' }),
    ...o.env,
  };
}

async function startInstance(name: string, port: number, env: NodeJS.ProcessEnv): Promise<PortalInstance> {
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(`[${name}] ${line}`);
    lines.splice(0, Math.max(0, lines.length - KEPT_OUTPUT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = waitForExit(child).then((code) => {
    running.delete(child);
    return code;
  });

  let stopping: Promise<void> | undefined;
  const instance: PortalInstance = {
    name,
    url: `http://localhost:${port}`,
    output: () => lines.join('\n'),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })()),
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };

  const earlyExit = exited.then((code) => {
    throw new Error(`Portal instance ${name} exited with ${code} while starting:\n${instance.output()}`);
  });
  try {
    await Promise.race([waitForHttp(`http://127.0.0.1:${port}/sign-in`, STARTUP_TIMEOUT_MS), earlyExit]);
  } catch (error) {
    await instance.stop();
    throw error;
  } finally {
    earlyExit.catch(() => undefined);
  }
  return instance;
}

/**
 * Signs a Logto user in through the real sign-in page, starting at `portalUrl`, and saves the
 * session (cookies) to `storageStatePath`.
 */
export async function signIn(
  browser: Browser,
  o: { portalUrl: string; logtoUrl: string; email: string; password: string; storageStatePath: string },
): Promise<void> {
  const context = await browser.newContext({ baseURL: o.portalUrl });
  try {
    const page = await context.newPage();
    await page.goto('/orgs');
    await page.waitForURL((url) => url.href.startsWith(o.logtoUrl));
    await page.getByLabel('Email').fill(o.email);
    await page.getByLabel('Password').fill(o.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${o.portalUrl}/orgs`));
    await context.storageState({ path: o.storageStatePath });
  } finally {
    await context.close();
  }
}

/** The Management API of a local Logto, as its seeded M2M app, for arranging and reading test data. */
export class LogtoAdmin {
  #token: { value: string; expiresAt: number } | undefined;

  constructor(private readonly url: string) {}

  /** One call; throws with the status and body unless it answers 2xx. */
  async call<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.#accessToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api${path} → ${response.status} ${text}`);
    return (
      text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text
    ) as T;
  }

  /** Organization role name → id. */
  async organizationRoleIds(): Promise<Record<string, string>> {
    const roles = await this.call<{ id: string; name: string }[]>('GET', '/organization-roles?page_size=100');
    return Object.fromEntries(roles.map((role) => [role.name, role.id]));
  }

  /** A member's organization role names, sorted. */
  async roleNames(orgId: string, userId: string): Promise<string[]> {
    const roles = await this.call<{ name: string }[]>('GET', `/organizations/${orgId}/users/${userId}/roles`);
    return roles.map((role) => role.name).sort();
  }

  async #accessToken(): Promise<string> {
    if (this.#token && this.#token.expiresAt > Date.now() + 60_000) return this.#token.value;
    const response = await fetch(`${this.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'portal-m2m',
        client_secret: 'portal-m2m-secret',
        resource: 'https://default.logto.app/api',
        scope: 'all',
      }),
    });
    if (!response.ok) throw new Error(`M2M token → ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    this.#token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return this.#token.value;
  }
}
