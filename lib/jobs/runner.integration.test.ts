// Bulk jobs against the real local Logto (emulator/) over HTTP, with the portal's store in memory
// and the process-wide Management API client, the way the server runs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutboxMessages } from '@/emulator/db';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { verifyInvitationToken } from '@/lib/auth/invitation-token';
import { getConfig } from '@/lib/config';
import {
  addOrganizationMembers,
  createInvitation,
  createUser,
  getClientStats,
  getMemberRoles,
  listInvitations,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  replaceMemberRoles,
} from '@/lib/logto';
import { localLogtoEnv } from '@/lib/logto/local-logto-client';
import { forgetOrgAccess } from '@/lib/permissions';
import { queryActivity } from '@/lib/store';
import {
  claimBulkJobItems,
  createBulkJob,
  getBulkJob,
  listBulkJobItems,
  nextBulkJobItemIn,
  type NewBulkJob,
  requestBulkJobCancel,
  retryFailedBulkJobItems,
} from '@/lib/store/jobs';
import { signedInvitationLink, type InviteJobParams } from './kinds';
import { runJobSlice } from './runner';
import { enqueueBulkJob } from './worker';

let emulator: EmulatorHandle;
let acmeId: string;
let roleIds: Record<string, string>;
let admin: { id: string; email: string };
let manager: { id: string; email: string };
let jobNumber = 0;

const PORTAL_URL = 'http://portal.test';

async function makeMember(email: string, roleNames: string[]): Promise<{ id: string; email: string }> {
  const user = await createUser({ primaryEmail: email });
  await addOrganizationMembers(acmeId, [user.id]);
  await replaceMemberRoles(
    acmeId,
    user.id,
    roleNames.map((name) => roleIds[name]!),
  );
  return { id: user.id, email };
}

function inviteJob(
  creator: { id: string; email: string },
  emails: string[],
  params: Partial<InviteJobParams> = {},
): NewBulkJob {
  jobNumber += 1;
  return {
    id: `test-job-${Date.now()}-${jobNumber}`,
    organizationId: acmeId,
    kind: 'invite',
    createdBy: creator.id,
    createdByEmail: creator.email,
    params: {
      roleIds: [roleIds.member!],
      expiresAt: Date.now() + 7 * 86_400_000,
      locale: 'en',
      portalUrl: PORTAL_URL,
      ...params,
    } satisfies InviteJobParams,
    selection: { kind: 'list' },
    items: emails.map((target) => ({ target })),
  };
}

function memberJob(
  kind: 'assign_role' | 'remove_role' | 'remove_members',
  creator: { id: string; email: string },
  userIds: string[],
  params: Record<string, unknown> = {},
): NewBulkJob {
  jobNumber += 1;
  return {
    id: `test-job-${Date.now()}-${jobNumber}`,
    organizationId: acmeId,
    kind,
    createdBy: creator.id,
    createdByEmail: creator.email,
    params,
    selection: { kind: 'selection' },
    items: userIds.map((target) => ({ target })),
  };
}

/** Runs slices until the job is over, as the queue would. */
async function runToEnd(jobId: string, workerId = 'worker-a'): Promise<void> {
  for (let slices = 0; slices < 200; slices += 1) {
    // Retries come quickly: how long an unlucky item waits between them is not what is tested,
    // and production's waits (0.5 s doubling) would let a run of bad luck outlast the test.
    const options = { workerId, sliceMs: 5_000, leaseMs: 2_000, firstBackoffMs: 10 };
    if ((await runJobSlice(jobId, options)) === 'settled') return;
  }
  throw new Error(`job ${jobId} did not settle`);
}

async function pendingInvitationsFor(email: string) {
  return (await listInvitations({ organizationId: acmeId, invitee: email })).filter(
    (invitation) => invitation.status === 'Pending',
  );
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 4 });
  Object.assign(process.env, localLogtoEnv(emulator.url));
  acmeId = (await listOrganizations({ pageSize: 100 })).rows.find((org) => org.name === 'Acme')!.id;
  roleIds = Object.fromEntries((await listOrganizationRoles()).map((role) => [role.name, role.id]));
  admin = await makeMember(`job-admin-${Date.now()}@acme.example`, ['admin']);
  manager = await makeMember(`job-manager-${Date.now()}@acme.example`, ['manager']);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe('invite jobs', () => {
  it('invites every address with one Management API call each, emailing a signed link', async () => {
    const emails = Array.from({ length: 40 }, (_, index) => `bulk-${jobNumber}-${index}@invitees.example`);
    const job = inviteJob(admin, emails);
    await createBulkJob(job);
    // Warm the caches a job reuses (the creator's standing and scopes, the role template).
    await runToEnd(
      await (async () => {
        const warm = inviteJob(admin, [`warm-${Date.now()}@invitees.example`]);
        await createBulkJob(warm);
        return warm.id;
      })(),
    );
    const before = getClientStats().requests;
    await runToEnd(job.id);
    const calls = getClientStats().requests - before;

    const stored = await getBulkJob(job.id);
    expect(stored?.status).toBe('finished');
    expect(stored?.counts).toMatchObject({ done: 40, failed: 0, skipped: 0, pending: 0 });
    expect(calls).toBe(40);
    for (const email of emails.slice(0, 5)) {
      expect(await pendingInvitationsFor(email)).toHaveLength(1);
      const mail = await listOutboxMessages(emulator.db, { to: email });
      expect(mail).toHaveLength(1);
      const token = new URL(mail[0]!.link!).pathname.split('/').at(-1)!;
      expect(verifyInvitationToken(token, getConfig().nextAuth.secret)).toMatchObject({
        organizationId: acmeId,
        invitee: email,
      });
    }
    const activity = await queryActivity({ organizationId: acmeId, jobId: job.id, page: 1, pageSize: 100 });
    expect(activity.total).toBe(40);
    expect(activity.rows.every((row) => row.action === 'invitation.create' && row.outcome === 'done')).toBe(
      true,
    );
  });

  it('skips members and people already invited (Logto says so; nothing is doubled)', async () => {
    const invited = `already-${Date.now()}@invitees.example`;
    await createInvitation({
      invitee: invited,
      organizationId: acmeId,
      expiresAt: Date.now() + 86_400_000,
      messagePayload: false,
    });
    const job = inviteJob(admin, [invited, manager.email, `fresh-${Date.now()}@invitees.example`]);
    await createBulkJob(job);
    await runToEnd(job.id);
    const { rows } = await listBulkJobItems(job.id);
    expect(rows.map((row) => [row.state, row.reason])).toEqual([
      ['skipped', 'already_invited'],
      ['skipped', 'already_member'],
      ['done', null],
    ]);
    expect(await pendingInvitationsFor(invited)).toHaveLength(1);
  });

  it('after a write whose answer was lost, reads Logto back instead of inviting twice', async () => {
    const email = `lost-answer-${Date.now()}@invitees.example`;
    const job = inviteJob(admin, [email]);
    await createBulkJob(job);
    // A worker claims the item for a moment, marks it attempted, sends the create… and dies
    // before it learns the answer.
    const [item] = await claimBulkJobItems(job.id, 'doomed-worker', 1, 300);
    expect(item?.outcomeUnknown).toBe(false);
    const params = job.params as InviteJobParams;
    await createInvitation({
      invitee: email,
      organizationId: acmeId,
      inviterId: admin.id,
      expiresAt: params.expiresAt,
      organizationRoleIds: params.roleIds,
      messagePayload: { link: signedInvitationLink(params, acmeId, email), locale: 'en' },
    });
    // Its lease runs out (on the database's clock); another worker takes the item over.
    await waitUntilClaimable(job.id);
    await runToEnd(job.id, 'survivor');

    const [settled] = (await listBulkJobItems(job.id)).rows;
    expect(settled).toMatchObject({ state: 'done', attempts: 2, outcomeUnknown: false });
    expect(await pendingInvitationsFor(email)).toHaveLength(1);
    expect(await listOutboxMessages(emulator.db, { to: email })).toHaveLength(1);
  });

  it('rides out Logto failing a third of its answers with 503, exactly once per address', async () => {
    const emails = Array.from({ length: 30 }, (_, index) => `flaky-${Date.now()}-${index}@invitees.example`);
    const job = inviteJob(admin, emails);
    await createBulkJob(job);
    emulator.faults.set({ failRate: { ratio: 0.33, status: 503 } });
    try {
      await runToEnd(job.id);
    } finally {
      emulator.faults.clear();
    }
    expect((await getBulkJob(job.id))?.counts).toMatchObject({ done: 30, failed: 0, pending: 0 });
    // The fault did bite: items were tried again (all 30 first tries passing: 0.67^30, about 6e-6).
    const items = (await listBulkJobItems(job.id)).rows;
    expect(items.filter((item) => item.attempts > 1).length).toBeGreaterThan(0);
    for (const email of emails) {
      expect(await pendingInvitationsFor(email)).toHaveLength(1);
      expect(await listOutboxMessages(emulator.db, { to: email })).toHaveLength(1);
    }
  });

  it('judges rule 3 per item: a manager cannot hand out the admin role in bulk', async () => {
    const emails = [`escalate-${Date.now()}@invitees.example`];
    const job = inviteJob(manager, emails, { roleIds: [roleIds.admin!] });
    await createBulkJob(job);
    await runToEnd(job.id);
    const [item] = (await listBulkJobItems(job.id)).rows;
    expect(item).toMatchObject({ state: 'failed', reason: 'role_not_grantable' });
    expect(await pendingInvitationsFor(emails[0]!)).toHaveLength(0);
    const activity = await queryActivity({ organizationId: acmeId, jobId: job.id, page: 1, pageSize: 10 });
    expect(activity.rows[0]).toMatchObject({ outcome: 'refused', reason: 'role_not_grantable' });
  });

  it('stops applying items once the creator loses the scope, and retries failed items on request', async () => {
    const creator = await makeMember(`demoted-${Date.now()}@acme.example`, ['manager']);
    await replaceMemberRoles(acmeId, creator.id, [roleIds.member!]);
    await forgetOrgAccess(acmeId, [creator.id]);
    const email = `after-demotion-${Date.now()}@invitees.example`;
    const job = inviteJob(creator, [email]);
    await createBulkJob(job);
    await runToEnd(job.id);
    expect((await listBulkJobItems(job.id)).rows[0]).toMatchObject({ state: 'failed', reason: 'not_found' });
    expect(await pendingInvitationsFor(email)).toHaveLength(0);

    await replaceMemberRoles(acmeId, creator.id, [roleIds.manager!]);
    await forgetOrgAccess(acmeId, [creator.id]);
    expect(await retryFailedBulkJobItems(job.id)).toBe(1);
    expect((await getBulkJob(job.id))?.status).toBe('queued');
    await runToEnd(job.id);
    expect((await getBulkJob(job.id))?.counts).toMatchObject({ done: 1, failed: 0 });
    expect(await pendingInvitationsFor(email)).toHaveLength(1);
  });

  it('a cancelled job stops; nothing after the cancel is applied', async () => {
    const emails = Array.from(
      { length: 5 },
      (_, index) => `cancelled-${Date.now()}-${index}@invitees.example`,
    );
    const job = inviteJob(admin, emails);
    await createBulkJob(job);
    expect(await requestBulkJobCancel(job.id)).toBe(true);
    await runToEnd(job.id);
    const stored = await getBulkJob(job.id);
    expect(stored?.status).toBe('cancelled');
    expect(stored?.counts.cancelled).toBe(5);
    for (const email of emails) expect(await pendingInvitationsFor(email)).toHaveLength(0);
  });

  it('runs through the queue (pg-boss on the embedded store) with no one calling slices', async () => {
    const emails = Array.from({ length: 10 }, (_, index) => `queued-${Date.now()}-${index}@invitees.example`);
    const job = inviteJob(admin, emails);
    await enqueueBulkJob(job);
    for (let polls = 0; polls < 600; polls += 1) {
      if ((await getBulkJob(job.id))?.status === 'finished') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await getBulkJob(job.id))?.counts).toMatchObject({ done: 10, pending: 0 });
  });
});

describe('member jobs', () => {
  it('assigns a role to every member given, keeping their other roles', async () => {
    const people = await Promise.all(
      [0, 1, 2].map((index) => makeMember(`assign-${Date.now()}-${index}@acme.example`, ['member'])),
    );
    const job = memberJob('assign_role', admin, [...people.map((person) => person.id), 'nobody000000'], {
      roleId: roleIds.manager,
    });
    await createBulkJob(job);
    await runToEnd(job.id);
    const { rows } = await listBulkJobItems(job.id);
    expect(rows.map((row) => [row.state, row.reason])).toEqual([
      ['done', null],
      ['done', null],
      ['done', null],
      ['skipped', 'not_a_member'],
    ]);
    for (const person of people) {
      const names = (await getMemberRoles(acmeId, person.id)).map((role) => role.name).sort();
      expect(names).toEqual(['manager', 'member']);
    }
  });

  it('removes members but never the last holder of assign:roles (rule 4, per item)', async () => {
    const { rows: everyone } = await listOrganizationMembers(acmeId, { pageSize: 100 });
    const admins = [];
    for (const member of everyone) {
      const roles = await getMemberRoles(acmeId, member.id);
      if (roles.some((role) => role.name === 'admin')) admins.push(member.id);
    }
    const operator = { id: admin.id, email: admin.email };
    const job = memberJob('remove_members', operator, admins);
    await createBulkJob(job);
    await runToEnd(job.id);
    const { rows } = await listBulkJobItems(job.id);
    const refused = rows.filter((row) => row.reason === 'last_role_assigner');
    expect(refused).toHaveLength(1);
    expect(rows.filter((row) => row.state === 'done')).toHaveLength(admins.length - 1);
  });
});

async function waitUntilClaimable(jobId: string): Promise<void> {
  for (;;) {
    const waitMs = await nextBulkJobItemIn(jobId);
    if (waitMs === null || waitMs === 0) return;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
