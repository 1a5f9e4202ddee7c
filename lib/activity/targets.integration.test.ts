// The lookups behind the log's labels and "before" states, against the real local Logto.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import {
  createInvitation,
  createUser,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  type ManagementClient,
} from '@/lib/logto';
import { lookUpInvitation, lookUpMembers, roleNamesOf } from './targets';

// More than one page of 100, so a batch lookup has pages to walk.
const ACME_SIZE = 150;

let emulator: EmulatorHandle;
let client: ManagementClient;
let acmeId: string;
let globexId: string;

async function idOf(email: string, orgId = acmeId): Promise<string> {
  const member = (await listOrganizationMembers(orgId, { q: email }, client)).rows.find(
    (row) => row.primaryEmail === email,
  );
  if (!member) throw new Error(`${email} is not a member`);
  return member.id;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: ACME_SIZE });
  client = localLogtoClient(emulator.url);
  const organizations = (await listOrganizations({ pageSize: 100 }, client)).rows;
  acmeId = organizations.find((org) => org.name === 'Acme')!.id;
  globexId = organizations.find((org) => org.name === 'Globex')!.id;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe('lookUpMembers', () => {
  it('finds one member by id with their email and roles, in one call', async () => {
    const carol = await idOf('carol@acme.example');
    const found = await lookUpMembers(acmeId, [carol], client);
    expect(found.get(carol)).toEqual({ email: 'carol@acme.example', roles: ['member'] });
  });

  it('finds a batch across pages and leaves out anyone who is not a member here', async () => {
    const all = (await listOrganizationMembers(acmeId, { page: 2, pageSize: 100 }, client)).rows;
    const onPageTwo = all.slice(0, 3).map((member) => member.id);
    const alice = await idOf('alice@acme.example');
    const outsider = (await createUser({ primaryEmail: `outsider-${Date.now()}@example.com` }, client)).id;
    const found = await lookUpMembers(acmeId, [alice, ...onPageTwo, outsider, 'no-such-user'], client);
    expect(found.get(alice)).toEqual({ email: 'alice@acme.example', roles: ['admin'] });
    for (const id of onPageTwo) expect(found.get(id)?.email).toMatch(/@/);
    expect(found.has(outsider)).toBe(false);
    expect(found.size).toBe(4);
  });

  it('asks Logto itself about an id the search cannot settle: one matching more members than a page holds', async () => {
    // "acme" is in all 150 emails, and nobody's id.
    const before = client.stats.requests;
    expect((await lookUpMembers(acmeId, ['acme'], client)).size).toBe(0);
    expect(client.stats.requests - before).toBe(2);
  });
});

describe('lookUpInvitation', () => {
  it('describes an invitation of this organization and nothing of another one', async () => {
    const roles = await listOrganizationRoles(client);
    const invitation = await createInvitation(
      {
        invitee: `lookup-${Date.now()}@example.com`,
        organizationId: globexId,
        expiresAt: Date.now() + 86_400_000,
        organizationRoleIds: [roles.find((role) => role.name === 'member')!.id],
        messagePayload: false,
      },
      client,
    );
    expect((await lookUpInvitation(invitation.id, globexId, client))?.invitee).toBe(invitation.invitee);
    expect(await lookUpInvitation(invitation.id, acmeId, client)).toBeNull();
    expect(await lookUpInvitation('no-such-invitation', undefined, client)).toBeNull();
    expect(await lookUpInvitation('../../users', undefined, client)).toBeNull();
  });
});

describe('roleNamesOf', () => {
  it('names roles by id, sorted, keeping ids it does not know', async () => {
    const roles = await listOrganizationRoles(client);
    const id = (name: string) => roles.find((role) => role.name === name)!.id;
    expect(await roleNamesOf([id('member'), id('admin'), 'r-unknown', id('admin')], client)).toEqual([
      'admin',
      'member',
      'r-unknown',
    ]);
  });
});
