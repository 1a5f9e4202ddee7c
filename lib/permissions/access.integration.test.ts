// How fresh the permission check's answer is, against the real local Logto (emulator/), using
// the process-wide client the way pages and actions do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { localLogtoEnv } from '@/lib/logto/local-logto-client';
import type { Actor } from '@/lib/auth/actor';
import {
  addOrganizationMembers,
  createUser,
  getClientStats,
  getManagementClient,
  getOrganization,
  getMemberScopes,
  listOrganizationRoles,
  listOrganizationScopes,
  listOrganizations,
  replaceMemberRoles,
} from '@/lib/logto';
import { expectBody } from '@/lib/logto/client';
import { changeMemberRoles } from '@/lib/portal/members';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { forgetOrgAccess, NotFoundError, requireOrgScopes } from './index';

let emulator: EmulatorHandle;
let acmeId: string;
let adminRoleId: string;
let actor: Actor;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 20 });
  // The process-wide client reads its configuration from the environment on first use.
  Object.assign(process.env, localLogtoEnv(emulator.url));
  acmeId = (await listOrganizations({ pageSize: 100 })).rows.find((org) => org.name === 'Acme')!.id;
  adminRoleId = (await listOrganizationRoles()).find((role) => role.name === 'admin')!.id;
  const user = await createUser({ primaryEmail: `fresh-${Date.now()}@acme.example` });
  await addOrganizationMembers(acmeId, [user.id]);
  await replaceMemberRoles(acmeId, user.id, [adminRoleId]);
  actor = { userId: user.id, email: user.primaryEmail ?? null, name: null, isOperator: false };
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

const scopeCalls = () => getClientStats().requests;

describe('requireOrgScopes freshness', () => {
  it('a read reuses a recent answer; a check before a change always asks Logto', async () => {
    await requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'now' });
    const before = scopeCalls();
    await requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' });
    await requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' });
    expect(scopeCalls() - before).toBe(0);

    await requireOrgScopes(actor, acmeId, ['assignRoles']);
    expect(scopeCalls() - before).toBe(1);
  });

  it('a change made in Logto directly reaches reads once a fresh check has seen it', async () => {
    await requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'now' });
    await replaceMemberRoles(acmeId, actor.userId, []);

    // Within the short window a read still meets the remembered answer…
    await expect(
      requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' }),
    ).resolves.toBeTruthy();
    // …a check before a change does not, and its answer replaces the remembered one.
    await expect(requireOrgScopes(actor, acmeId, ['readMembers'])).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' }),
    ).rejects.toBeInstanceOf(NotFoundError);

    await replaceMemberRoles(acmeId, actor.userId, [adminRoleId]);
    forgetOrgAccess(acmeId, [actor.userId]);
    await expect(
      requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' }),
    ).resolves.toBeTruthy();
  });

  it('a change made through the portal is seen by the next read at once', async () => {
    const access = await requireOrgScopes(actor, acmeId, ['readMembers'], { freshness: 'recent' });
    const roles = await listOrganizationRoles();
    const member = roles.find((role) => role.name === 'member')!;
    // Someone else (an operator) takes the admin role away through the portal.
    await changeMemberRoles({
      access: {
        ...access,
        isOperator: true,
        scopeNames: roles.flatMap((role) => role.scopes.map((s) => s.name)),
      },
      orgId: acmeId,
      userId: actor.userId,
      roleIds: [member.id],
    });
    // A plain member cannot read the member list, so the organization is now hidden from them.
    await expect(requireOrgScopes(actor, acmeId, [], { freshness: 'recent' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("a page view's check", () => {
  const answeredByRoute = () => emulator.faults.stats().byRoute;

  /** A new member of Acme holding `roleIds`, as a tenant admin signs in. */
  async function newMember(roleIds: string[]): Promise<Actor> {
    const user = await createUser({ primaryEmail: `view-${crypto.randomUUID()}@acme.example` });
    await addOrganizationMembers(acmeId, [user.id]);
    await replaceMemberRoles(acmeId, user.id, roleIds);
    return { userId: user.id, email: user.primaryEmail ?? null, name: null, isOperator: false };
  }

  it("costs one call, which also answers the organization's record for the page's header", async () => {
    const viewer = await newMember([adminRoleId]);
    await listOrganizationRoles(undefined, { maxAgeMs: 0 });
    emulator.faults.resetStats();

    // As an organization's page asks: its check, then its header's record with the check's answer.
    const access = await requireOrgScopes(viewer, acmeId, ['readMembers'], { freshness: 'recent' });
    const organization = await getOrganizationForPage(access);

    expect(answeredByRoute()).toEqual({ 'GET /users/:userId/organizations': 1 });
    expect(organization, "the record as Logto's own route gives it, without the viewer's roles").toEqual(
      await getOrganization(acmeId),
    );
    // The same scopes Logto's scopes route answers for them.
    const fromScopesRoute = (await getMemberScopes(acmeId, viewer.userId)).map((scope) => scope.name);
    expect([...access.scopeNames].sort()).toEqual([...fromScopesRoute].sort());
  });

  it('hides an organization from a non-member, as the scopes route does', async () => {
    const user = await createUser({ primaryEmail: `outsider-${crypto.randomUUID()}@acme.example` });
    const outsider: Actor = { userId: user.id, email: null, name: null, isOperator: false };
    await expect(requireOrgScopes(outsider, acmeId, [], { freshness: 'recent' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('counts a role made in Logto a moment ago, whose definition was not loaded yet', async () => {
    await listOrganizationRoles(undefined, { maxAgeMs: 0 });
    const readMembers = (await listOrganizationScopes()).find((scope) => scope.name === 'read:members')!;
    const created = expectBody(
      await getManagementClient().api.POST('/api/organization-roles', {
        body: { name: `viewer-${Date.now()}`, organizationScopeIds: [readMembers.id], resourceScopeIds: [] },
      }),
    );
    const viewer = await newMember([created.id]);

    const access = await requireOrgScopes(viewer, acmeId, ['readMembers'], { freshness: 'recent' });
    expect(access.scopeNames).toEqual(['read:members']);
    expect((await listOrganizationRoles()).map((role) => role.id)).toContain(created.id);
  });
});
