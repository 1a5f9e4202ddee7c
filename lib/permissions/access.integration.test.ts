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
  listOrganizationRoles,
  listOrganizations,
  replaceMemberRoles,
} from '@/lib/logto';
import { changeMemberRoles } from '@/lib/portal/members';
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
