/**
 * Bulk jobs that finish, whatever happens (issue 14). The spec brings its own deployment
 * (support/deployment.ts: Postgres, a local Logto in this process, production instances), so it
 * may run beside the other specs:
 *
 * - 2,000 invitations while the local Logto misbehaves (2 s latency bursts, bursts of 503s, a
 *   rate limit of 200 requests per 10 s) and the only instance is killed (SIGKILL) and replaced
 *   twice: exactly 2,000 pending invitations and 2,000 emails, none doubled, none lost;
 * - a role change over everyone a filter matches (1,000 members) while someone browses: the job
 *   never takes more than its share of the request budget, counted where Logto receives it, and
 *   the browsing times are reported (not asserted: a busy machine is not a defect).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import type { Arrival } from '../emulator/faults';
import {
  type Deployment,
  LogtoAdmin,
  type PortalInstance,
  signIn,
  startDeployment,
} from './support/deployment';
import { callServerAction } from './support/server-actions';

const BUDGET = { maxRequests: 200, windowMs: 10_000 };
const RATE_LIMIT = { rateLimit: { limit: BUDGET.maxRequests, windowMs: BUDGET.windowMs } };
const JOB_SHARE = 0.7;
const PASSWORD = 'bulk-durability-password-1';
const JOB_ACTIONS = 'app/orgs/[orgId]/jobs/actions.ts';
const INVITATIONS = 2_000;
const BIG_ORG_MEMBERS = 1_000;
const SETTINGS = {
  requestBudget: BUDGET,
  requestTimeoutMs: 30_000,
  // Items a killed instance held come back after this; production keeps the 30 s default.
  env: { PORTAL_JOB_LEASE_MS: '5000' },
};

type Job = { job: { status: string; total: number; counts: Record<string, number> } };

let deployment: Deployment;
let admin: LogtoAdmin;
let instance: PortalInstance;
let databaseUrl: string;
let directory: string;
let storageState: string;
let annId: string;
let orgId: string;
let bigOrgId: string;
let roles: Record<string, string>;
let session: APIRequestContext | undefined;

test.describe.configure({ timeout: 900_000 });

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(240_000);
  directory = mkdtempSync(join(tmpdir(), 'portal-bulk-durability-'));
  deployment = await startDeployment({ bigOrgMembers: BIG_ORG_MEMBERS });
  databaseUrl = await deployment.postgres.createDatabase('portal');
  instance = (await deployment.startInstances(1, { databaseUrl, ...SETTINGS }))[0]!;
  admin = new LogtoAdmin(deployment.logto.url);
  roles = await admin.organizationRoleIds();

  const email = `ann-${Date.now()}@bulk-durability.example`;
  ({ id: annId } = await admin.call<{ id: string }>('POST', '/users', {
    name: 'Ann',
    primaryEmail: email,
    password: PASSWORD,
  }));
  ({ id: orgId } = await admin.call<{ id: string }>('POST', '/organizations', { name: 'Durable' }));
  const organizations = await admin.call<Array<{ id: string; name: string }>>(
    'GET',
    '/organizations?page_size=100',
  );
  bigOrgId = organizations.find((organization) => organization.name === 'Acme')!.id;
  for (const id of [orgId, bigOrgId]) {
    await admin.call('POST', `/organizations/${id}/users`, { userIds: [annId] });
    await admin.call('PUT', `/organizations/${id}/users/${annId}/roles`, {
      organizationRoleIds: [roles.admin],
    });
  }
  storageState = join(directory, 'ann.json');
  await signIn(browser, {
    portalUrl: instance.url,
    logtoUrl: deployment.logto.url,
    email,
    password: PASSWORD,
    storageStatePath: storageState,
  });
});

test.afterAll(async () => {
  await session?.dispose();
  await deployment?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && instance) {
    await testInfo.attach('portal output', { body: instance.output(), contentType: 'text/plain' });
  }
});

async function sessionOn(portal: PortalInstance): Promise<APIRequestContext> {
  await session?.dispose();
  session = await playwrightRequest.newContext({ baseURL: portal.url, storageState });
  return session;
}

async function startJob(actionName: string, page: string, args: unknown[]): Promise<string> {
  const answer = await callServerAction(await sessionOn(instance), {
    baseUrl: instance.url,
    page,
    actionName,
    file: JOB_ACTIONS,
    args,
  });
  const result = answer.result as { ok: boolean; data?: { jobId: string } } | undefined;
  expect(result?.ok, answer.body.slice(0, 500)).toBe(true);
  return result!.data!.jobId;
}

/** The job as its page's route reports it; null while the instance is down or restarting. */
async function readJob(organizationId: string, jobId: string): Promise<Job['job'] | null> {
  try {
    const response = await session!.get(`/api/orgs/${organizationId}/jobs/${jobId}`, { timeout: 10_000 });
    return response.ok() ? ((await response.json()) as Job).job : null;
  } catch {
    return null;
  }
}

async function waitUntil(organizationId: string, jobId: string, done: (job: Job['job']) => boolean) {
  await expect
    .poll(
      async () => {
        const job = await readJob(organizationId, jobId);
        return job !== null && done(job);
      },
      { timeout: 600_000, intervals: [1_000] },
    )
    .toBe(true);
}

const settled = (job: Job['job']) =>
  job.counts.done! + job.counts.skipped! + job.counts.failed! + job.counts.cancelled!;

/** Kills the instance mid-job (no shutdown work at all) and starts a fresh one on the same store. */
async function crashAndReplace(): Promise<void> {
  await instance.kill();
  instance = (await deployment.startInstances(1, { databaseUrl, ...SETTINGS }))[0]!;
  await sessionOn(instance);
}

/** Most arrivals in any `windowMs` span. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end += 1;
    most = Math.max(most, end - start);
  }
  return most;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

test('2,000 invitations through Logto faults and two crashes: exactly one invitation and one email each', async () => {
  const run = Date.now();
  const emails = Array.from({ length: INVITATIONS }, (_, index) => `durable-${run}-${index}@bulk.example`);
  const faults = deployment.logto.faults;
  faults.set(RATE_LIMIT);
  faults.resetStats();
  // Latency bursts and 503 bursts, in turn, for as long as the job runs.
  const weather = [{}, { latencyMs: 2_000 }, {}, { failNext: { count: 25, status: 503 } }];
  let turn = 0;
  const chaos = setInterval(() => {
    turn += 1;
    faults.set({ ...RATE_LIMIT, ...weather[turn % weather.length] });
  }, 2_500);

  try {
    const jobId = await startJob('startInviteJobAction', `/orgs/${orgId}/jobs/new-invitation`, [
      orgId,
      { emails, roleIds: [roles.member], expiresInDays: 7 },
    ]);
    await waitUntil(orgId, jobId, (job) => settled(job) >= 400);
    await crashAndReplace();
    await waitUntil(orgId, jobId, (job) => settled(job) >= 1_200);
    await crashAndReplace();
    await waitUntil(orgId, jobId, (job) => job.status === 'finished');
    clearInterval(chaos);
    faults.set(RATE_LIMIT);

    const job = await readJob(orgId, jobId);
    expect(job?.counts).toMatchObject({ done: INVITATIONS, failed: 0, skipped: 0, pending: 0 });
  } finally {
    clearInterval(chaos);
  }

  const invitations = await admin.call<Array<{ invitee: string; status: string }>>(
    'GET',
    `/organization-invitations?organizationId=${orgId}`,
  );
  const ours = invitations.filter((invitation) => invitation.invitee.startsWith(`durable-${run}-`));
  expect(ours).toHaveLength(INVITATIONS);
  expect(new Set(ours.map((invitation) => invitation.invitee)).size).toBe(INVITATIONS);
  expect(ours.every((invitation) => invitation.status === 'Pending')).toBe(true);

  const outbox = (await (await fetch(`${deployment.logto.url}/_emulator/outbox.json`)).json()) as Array<{
    to: string;
  }>;
  const mail = outbox.filter((message) => message.to.startsWith(`durable-${run}-`));
  expect(mail).toHaveLength(INVITATIONS);
  expect(new Set(mail.map((message) => message.to)).size).toBe(INVITATIONS);
  // The budget held at Logto through it all: nothing was refused for going over it.
  expect(faults.stats().rateLimited).toBe(0);
});

test('a role change over a 1,000-member filter keeps to its share while someone browses', async ({}, testInfo) => {
  const faults = deployment.logto.faults;
  faults.set(RATE_LIMIT);
  faults.resetStats();
  // A brisk person: a page every 300 ms or so, not a load generator.
  const browse = async (count: number) => {
    const times: number[] = [];
    for (let index = 0; index < count; index += 1) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 300));
      const started = performance.now();
      const response = await session!.get(
        `/api/orgs/${bigOrgId}/members?page=${(index % 40) + 1}&page_size=20`,
      );
      expect(response.status()).toBe(200);
      times.push(performance.now() - started);
    }
    return times;
  };
  await sessionOn(instance);
  const idle = await browse(30);

  faults.startRecordingArrivals();
  const jobId = await startJob('startMemberJobAction', `/orgs/${bigOrgId}/members`, [
    bigOrgId,
    { kind: 'assign_role', roleId: roles.manager, q: '' },
  ]);
  const busy: number[] = [];
  let job = await readJob(bigOrgId, jobId);
  while (job && job.status !== 'finished') {
    busy.push(...(await browse(5)));
    job = await readJob(bigOrgId, jobId);
  }
  await waitUntil(bigOrgId, jobId, (current) => current.status === 'finished');
  const arrivals: Arrival[] = faults.stopRecordingArrivalDetails();

  const final = await readJob(bigOrgId, jobId);
  expect(final?.counts.done).toBe(final?.total);
  expect(final!.total).toBeGreaterThanOrEqual(BIG_ORG_MEMBERS);
  const jobCalls = arrivals.filter(
    (arrival) =>
      arrival.method === 'POST' && /^\/api\/organizations\/[^/]+\/users\/roles$/.test(arrival.path),
  );
  expect(jobCalls.length).toBeGreaterThanOrEqual(BIG_ORG_MEMBERS);
  // The job's calls stay within its share of every window; everything together within the budget.
  expect(
    busiestWindow(
      jobCalls.map((arrival) => arrival.at),
      BUDGET.windowMs,
    ),
  ).toBeLessThanOrEqual(Math.floor(BUDGET.maxRequests * JOB_SHARE));
  expect(
    busiestWindow(
      arrivals.map((arrival) => arrival.at),
      BUDGET.windowMs,
    ),
  ).toBeLessThanOrEqual(BUDGET.maxRequests);
  expect(faults.stats().rateLimited).toBe(0);
  expect(busy.length).toBeGreaterThan(0);

  const report = {
    browsingIdleP95Ms: Math.round(percentile(idle, 95)),
    browsingDuringJobP95Ms: Math.round(percentile(busy, 95)),
    browsingViewsDuringJob: busy.length,
    jobCallsBusiestWindow: busiestWindow(
      jobCalls.map((arrival) => arrival.at),
      BUDGET.windowMs,
    ),
  };
  testInfo.annotations.push({ type: 'measurement', description: JSON.stringify(report) });
  console.log('[bulk-jobs] browsing while a 1,000-member role job runs:', report);
});
