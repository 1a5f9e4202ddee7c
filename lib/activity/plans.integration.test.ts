// What recording a change costs: the member changes of lib/portal/members with their activity
// plans, against the real local Logto, counting Management API calls (`client.stats.requests`).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import {
  createUser,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  type ManagementClient,
  type OrganizationRoleWithScopes,
  replaceMemberRoles,
} from '@/lib/logto';
import type { OrgAccess } from '@/lib/permissions';
import { assignRoleToMembers, changeMemberRoles, removeMember, removeMembers } from '@/lib/portal/members';
import type { ActivityEntry } from '@/lib/store';
import { bulkRemovalPlan, removalPlan, roleChangePlan, roleGrantPlan } from './plans';
import { createActivityRecorder } from './record';

// More than two pages of 100, so a batch read has pages to choose from.
const ACME_SIZE = 250;
// What the seeded admin role holds.
const ADMIN_SCOPES = [
  'read:members',
  'invite:members',
  'remove:members',
  'assign:roles',
  'manage:organization',
];

let emulator: EmulatorHandle;
let client: ManagementClient;
let acmeId: string;
let roles: OrganizationRoleWithScopes[];
const people: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
/** The seeded `userN@acme.example` members, in the organization's (id) order. */
let generated: string[];
let entries: ActivityEntry[];

const recorder = createActivityRecorder({
  append: async (entry) => {
    entries.push(entry);
  },
});
const scope = () => ({
  actor: { userId: people.alice, email: 'alice@acme.example', isOperator: false },
  orgId: acmeId,
});
const access = (scopeNames = ADMIN_SCOPES): OrgAccess => ({
  orgId: acmeId,
  isOperator: false,
  scopes: [],
  scopeNames,
});

function roleId(name: string): string {
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`role ${name} is not seeded`);
  return role.id;
}

async function memberId(email: string): Promise<string> {
  const member = (await listOrganizationMembers(acmeId, { q: email }, client)).rows.find(
    (row) => row.primaryEmail === email,
  );
  if (!member) throw new Error(`${email} is not a member`);
  return member.id;
}

async function emailOf(userId: string): Promise<string | null> {
  const { rows } = await listOrganizationMembers(acmeId, { q: userId }, client);
  return rows.find((row) => row.id === userId)?.primaryEmail ?? null;
}

/** Management API calls `task` makes, the role template being cached already (as in the portal). */
async function callsOf(task: () => Promise<unknown>): Promise<number> {
  await listOrganizationRoles(client);
  const before = client.stats.requests;
  await task().catch(() => undefined);
  return client.stats.requests - before;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: ACME_SIZE });
  client = localLogtoClient(emulator.url);
  acmeId = (await listOrganizations({ pageSize: 100 }, client)).rows.find((org) => org.name === 'Acme')!.id;
  roles = await listOrganizationRoles(client);
  people.alice = await memberId('alice@acme.example');
  people.bob = await memberId('bob@acme.example');
  people.carol = await memberId('carol@acme.example');
  generated = [];
  for (let page = 1; ; page += 1) {
    const { rows } = await listOrganizationMembers(acmeId, { page, pageSize: 100 }, client);
    if (rows.length === 0) break;
    generated.push(...rows.filter((row) => /^user\d+@/.test(row.primaryEmail ?? '')).map((row) => row.id));
  }
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  entries = [];
  await Promise.all([
    replaceMemberRoles(acmeId, people.alice, [roleId('admin')], client),
    replaceMemberRoles(acmeId, people.bob, [roleId('manager')], client),
    replaceMemberRoles(acmeId, people.carol, [roleId('member')], client),
  ]);
});

describe('one role change, recorded', () => {
  it('costs two calls, the member read once under the lock, and records email and roles before → after', async () => {
    const roleIds = [roleId('member'), roleId('manager')];
    const calls = await callsOf(() => {
      const plan = roleChangePlan(people.carol, roleIds, client);
      return recorder.withActivity(scope(), plan, () =>
        changeMemberRoles({
          access: access(),
          orgId: acmeId,
          userId: people.carol,
          roleIds,
          client,
          reads: plan.reads,
        }),
      );
    });
    // The member (email and roles, one search) and the change. Before the change reported what it
    // read, the plan read the member first: 3.
    expect(calls).toBe(2);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'member.role_change',
        targetType: 'member',
        targetId: people.carol,
        targetLabel: 'carol@acme.example',
        before: { roles: ['member'] },
        after: { roles: ['manager', 'member'] },
        outcome: 'done',
        reason: null,
      }),
    ]);
  });

  it('records a refusal by rule 4 with what the change read, the roles asked for as after', async () => {
    const calls = await callsOf(() => {
      const plan = roleChangePlan(people.alice, [], client);
      return recorder.withActivity(scope(), plan, () =>
        changeMemberRoles({
          access: access(),
          orgId: acmeId,
          userId: people.alice,
          roleIds: [],
          client,
          reads: plan.reads,
        }),
      );
    });
    // The member and the holders of `admin` (was 3 with the plan's own read).
    expect(calls).toBe(2);
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: people.alice,
        targetLabel: 'alice@acme.example',
        before: { roles: ['admin'] },
        after: { roles: [] },
        outcome: 'refused',
        reason: 'last_role_assigner',
      }),
    ]);
  });

  it('records nothing when the member held exactly those roles, after one read', async () => {
    const calls = await callsOf(() => {
      const plan = roleChangePlan(people.carol, [roleId('member')], client);
      return recorder.withActivity(scope(), plan, () =>
        changeMemberRoles({
          access: access(),
          orgId: acmeId,
          userId: people.carol,
          roleIds: [roleId('member')],
          client,
          reads: plan.reads,
        }),
      );
    });
    // The member only (was 2: the plan read them first).
    expect(calls).toBe(1);
    expect(entries).toEqual([]);
  });

  it('refuses someone who is not a member as Logto would, recording the id alone', async () => {
    const outsider = (await createUser({ primaryEmail: `outsider-${Date.now()}@example.com` }, client)).id;
    const plan = roleChangePlan(outsider, [roleId('member')], client);
    await expect(
      recorder.withActivity(scope(), plan, () =>
        changeMemberRoles({
          access: access(),
          orgId: acmeId,
          userId: outsider,
          roleIds: [roleId('member')],
          client,
          reads: plan.reads,
        }),
      ),
    ).rejects.toMatchObject({ status: 422, code: 'organization.require_membership' });
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: outsider,
        targetLabel: null,
        before: null,
        after: { roles: ['member'] },
        outcome: 'refused',
        reason: 'not_a_member',
      }),
    ]);
  });

  it('records a refusal before any read (role ids that are no roles) by id, without asking Logto', async () => {
    const calls = await callsOf(async () => {
      const plan = roleChangePlan(people.carol, ['not-a-role'], client);
      await recorder.withActivity(scope(), plan, () =>
        changeMemberRoles({
          access: access(),
          orgId: acmeId,
          userId: people.carol,
          roleIds: ['not-a-role'],
          client,
          reads: plan.reads,
        }),
      );
    });
    // Was 1: the plan read the member first, and the entry had their email and roles.
    expect(calls).toBe(0);
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: people.carol,
        targetLabel: null,
        before: null,
        after: { roles: ['not-a-role'] },
        outcome: 'refused',
        reason: 'invalid_input',
      }),
    ]);
  });
});

describe('one removal, recorded', () => {
  it('costs two calls and records the email and the roles held', async () => {
    const target = generated[0]!;
    const email = await emailOf(target);
    const calls = await callsOf(() => {
      const plan = removalPlan(target);
      return recorder.withActivity(scope(), plan, () =>
        removeMember({ access: access(), orgId: acmeId, userId: target, client, reads: plan.reads }),
      );
    });
    // The member (holding no role that carries `assign:roles`, so rule 4 asks nothing more) and
    // the removal. Before the change reported what it read: 3.
    expect(calls).toBe(2);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'member.remove',
        targetId: target,
        targetLabel: email,
        before: { roles: ['member'] },
        after: null,
        outcome: 'done',
      }),
    ]);
  });

  it('records a refusal by rule 3 with the member as read', async () => {
    const plan = removalPlan(people.bob);
    await expect(
      recorder.withActivity(scope(), plan, () =>
        removeMember({
          access: access(['read:members', 'remove:members']),
          orgId: acmeId,
          userId: people.bob,
          client,
          reads: plan.reads,
        }),
      ),
    ).rejects.toMatchObject({ roleNames: ['manager'] });
    expect(entries).toEqual([
      expect.objectContaining({
        targetId: people.bob,
        targetLabel: 'bob@acme.example',
        before: { roles: ['manager'] },
        outcome: 'refused',
        reason: 'member_above_actor',
      }),
    ]);
  });
});

describe('bulk changes, recorded', () => {
  it('removes a batch spread over every page reading each member once, by pages', async () => {
    // Ten members, one from every 20th place: on all three pages.
    const batch = generated.filter((_, index) => index % 20 === 5).slice(0, 10);
    const stranger = (await createUser({ primaryEmail: `stranger-${Date.now()}@example.com` }, client)).id;
    const remover = access(['read:members', 'remove:members']);
    let result: unknown;
    const calls = await callsOf(async () => {
      const plan = bulkRemovalPlan([people.bob, ...batch, stranger]);
      result = await recorder.withActivity(scope(), plan, () =>
        removeMembers({
          access: remover,
          orgId: acmeId,
          userIds: [people.bob, ...batch, stranger],
          client,
          reads: plan.reads,
        }),
      );
    });
    expect(result).toEqual({
      succeeded: batch,
      failed: [
        { userId: people.bob, reason: 'forbidden' },
        { userId: stranger, reason: 'not_a_member' },
      ],
    });
    // Three pages, one search confirming the stranger is not a member, ten removals. Was 26: the
    // plan's own lookup (three pages), one roles call per person for rule 3 (12), one for rule 4
    // (roles unknown, so everyone might have held `assign:roles`), the ten removals.
    expect(calls).toBe(14);
    expect(entries).toHaveLength(12);
    expect(entries.filter((entry) => entry.outcome === 'done').map((entry) => entry.targetId)).toEqual(batch);
    for (const entry of entries.filter((entry) => entry.outcome === 'done')) {
      expect(entry).toMatchObject({
        targetLabel: expect.stringMatching(/@acme\.example$/),
        before: { roles: ['member'] },
        after: null,
      });
    }
    expect(entries.filter((entry) => entry.outcome === 'refused')).toEqual([
      expect.objectContaining({
        targetId: people.bob,
        targetLabel: 'bob@acme.example',
        before: { roles: ['manager'] },
        reason: 'forbidden',
      }),
      expect.objectContaining({
        targetId: stranger,
        targetLabel: null,
        before: null,
        reason: 'not_a_member',
      }),
    ]);
  });

  it('grants a role with each member looked up once, the roles before as the grant read them', async () => {
    const batch = generated.slice(200, 202);
    const outsider = (await createUser({ primaryEmail: `out-${Date.now()}@example.com` }, client)).id;
    let result: unknown;
    const calls = await callsOf(async () => {
      const plan = await roleGrantPlan(acmeId, [...batch, outsider], roleId('manager'), client);
      result = await recorder.withActivity(scope(), plan, () =>
        assignRoleToMembers({
          access: access(),
          orgId: acmeId,
          userIds: [...batch, outsider],
          roleId: roleId('manager'),
          client,
          reads: plan.reads,
        }),
      );
    });
    expect(result).toEqual({ succeeded: batch, failed: [{ userId: outsider, reason: 'not_a_member' }] });
    // The grant reads nobody when everyone is a member, so the plan looks the batch up first
    // (three pages); the batch call, refused for the outsider; the grant's own roles check of each
    // user, whose answers become the entries' roles before; the grant. Unchanged (8): nobody is
    // looked up twice by the plan, and the grant reads only on this fallback.
    expect(calls).toBe(8);
    expect(entries.map((entry) => [entry.targetId, entry.outcome, entry.before, entry.after])).toEqual([
      [batch[0], 'done', { roles: ['member'] }, { roles: ['manager', 'member'] }],
      [batch[1], 'done', { roles: ['member'] }, { roles: ['manager', 'member'] }],
      [outsider, 'refused', null, null],
    ]);
    expect(entries[0]?.targetLabel).toMatch(/@acme\.example$/);
  });
});
