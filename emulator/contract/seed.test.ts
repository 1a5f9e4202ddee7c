// What the local Logto's demo seed promises (emulator-shared.md, "The seed"): the portal's e2e
// suites, the docs and the demo sign-ins rely on these facts, which no other tenant has.
import { describe, expect } from 'vitest';
import { LOCAL_ONLY, linkLines, localOnly, setUpContractHarness, type ContractHarness } from './harness';

const h = setUpContractHarness();
const seedCheck = localOnly(LOCAL_ONLY.seed);

type Organization = { id: string; name: string; [key: string]: unknown };
type Member = { id: string; primaryEmail: string | null };
type Invitation = {
  status: string;
  inviterId: string;
  createdAt: number;
  expiresAt: number;
  invitee: string;
};

async function organizationIdByName(harness: ContractHarness, name: string): Promise<string> {
  const response = await harness.api<Organization[]>(
    'GET',
    `/organizations?q=${encodeURIComponent(name)}&page_size=100`,
  );
  const organization = response.json.find((candidate) => candidate.name === name);
  if (!organization) throw new Error(`No organization named ${name}.`);
  return organization.id;
}

async function userIdByEmail(harness: ContractHarness, email: string): Promise<string> {
  const response = await harness.api<Array<{ id: string }>>(
    'GET',
    `/users?search.primaryEmail=${encodeURIComponent(email)}&mode.primaryEmail=exact`,
  );
  const user = response.json[0];
  if (!user) throw new Error(`No user with email ${email}.`);
  return user.id;
}

async function organizationRoleIdByName(harness: ContractHarness, name: string): Promise<string> {
  const response = await harness.api<Organization[]>(
    'GET',
    `/organization-roles?q=${encodeURIComponent(name)}`,
  );
  const role = response.json.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`No organization role named ${name}.`);
  return role.id;
}

describe('organizations', () => {
  seedCheck('has 43 organizations, Acme, Globex and Initech first, then Org 01 … Org 40', async () => {
    const all = await h.api<Organization[]>('GET', '/organizations?page_size=100');
    expect(all.headers.get('total-number')).toBe('43');
    expect(all.json.slice(0, 5).map((o) => o.name)).toEqual([
      'Acme',
      'Globex',
      'Initech',
      'Org 01',
      'Org 02',
    ]);
    expect(all.json.at(-1)?.name).toBe('Org 40');
    const underscore = await h.api<Organization[]>('GET', `/organizations?q=${encodeURIComponent('Org _1')}`);
    expect(underscore.json.map((o) => o.name)).toEqual(['Org 01', 'Org 11', 'Org 21', 'Org 31']);
  });

  seedCheck('sizes Acme at 2,500 members, Globex at 35 and Initech at 3', async () => {
    const featured = await h.api<Organization[]>('GET', '/organizations?page_size=3&showFeatured=1');
    expect(featured.json.map((o) => [o.name, o.usersCount])).toEqual([
      ['Acme', 2500],
      ['Globex', 35],
      ['Initech', 3],
    ]);
  });
});

describe('Acme’s members', () => {
  localOnly(LOCAL_ONLY.bigOrganization)('pages 2,500 members by user id to the last page', async () => {
    const acmeId = await organizationIdByName(h, 'Acme');
    const twenty = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page_size=20`);
    expect(twenty.headers.get('total-number')).toBe('2500');
    const ids = twenty.json.map((member) => member.id);
    expect(ids).toEqual([...ids].sort());
    const secondOfTen = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page=2&page_size=10`);
    expect(secondOfTen.json.map((member) => member.id)).toEqual(ids.slice(10, 20));
    const last = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page=25&page_size=100`);
    expect(last.json).toHaveLength(100);
    expect(linkLines(last.headers).map((line) => line.match(/rel="(\w+)"/)?.[1])).toEqual([
      'first',
      'prev',
      'last',
    ]);
    expect((await h.api('GET', `/organizations/${acmeId}/users?page=26&page_size=100`)).json).toEqual([]);
  });

  seedCheck(
    'holds alice (admin), bob (manager), carol and dave (member) and user0001… (member)',
    async () => {
      const acmeId = await organizationIdByName(h, 'Acme');
      const byRole = async (role: string) =>
        h.api<Member[]>(
          'GET',
          `/organizations/${acmeId}/users?organizationRoleId=${await organizationRoleIdByName(h, role)}`,
        );
      expect((await byRole('admin')).json.map((m) => m.primaryEmail)).toEqual(['alice@acme.example']);
      expect((await byRole('manager')).json.map((m) => m.primaryEmail)).toEqual(['bob@acme.example']);
      expect((await byRole('member')).headers.get('total-number')).toBe('2498');
      const dave = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?q=globex.example`);
      expect(dave.json.map((m) => m.primaryEmail)).toEqual(['dave@globex.example']);
      const wildcard = await h.api<Member[]>(
        'GET',
        `/organizations/${acmeId}/users?q=${encodeURIComponent('user00_1@')}&page_size=100`,
      );
      expect(wildcard.json.map((m) => m.primaryEmail).sort()).toEqual(
        Array.from({ length: 10 }, (_, index) => `user00${index}1@acme.example`),
      );
    },
  );

  seedCheck('gives alice all five scopes in Acme, none in Globex, and carol none', async () => {
    const acmeId = await organizationIdByName(h, 'Acme');
    const globexId = await organizationIdByName(h, 'Globex');
    const aliceId = await userIdByEmail(h, 'alice@acme.example');
    const carolId = await userIdByEmail(h, 'carol@acme.example');
    const scopes = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${acmeId}/users/${aliceId}/scopes`,
    );
    expect(scopes.json.map((scope) => scope.name).sort()).toEqual([
      'assign:roles',
      'invite:members',
      'manage:organization',
      'read:members',
      'remove:members',
    ]);
    expect((await h.api('GET', `/organizations/${globexId}/users/${aliceId}/scopes`)).json).toEqual([]);
    expect((await h.api('GET', `/organizations/${acmeId}/users/${carolId}/scopes`)).json).toEqual([]);
  });
});

describe('organization template', () => {
  seedCheck('has the roles admin (all five scopes), manager (read + invite) and member (none)', async () => {
    const roles = await h.api<Array<{ name: string; scopes: Array<{ name: string }> }>>(
      'GET',
      '/organization-roles',
    );
    expect(roles.headers.get('total-number')).toBe('3');
    expect(roles.json.map((role) => [role.name, role.scopes.map((scope) => scope.name).sort()])).toEqual([
      ['admin', ['assign:roles', 'invite:members', 'manage:organization', 'read:members', 'remove:members']],
      ['manager', ['invite:members', 'read:members']],
      ['member', []],
    ]);
    const scopes = await h.api<Array<{ name: string }>>('GET', '/organization-scopes');
    expect(scopes.json.map((scope) => scope.name)).toEqual([
      'assign:roles',
      'invite:members',
      'manage:organization',
      'read:members',
      'remove:members',
    ]);
  });
});

describe('invitations', () => {
  seedCheck(
    'has 3 pending, 1 expired, 1 revoked and 1 accepted invitation in Acme, all by alice',
    async () => {
      const acmeId = await organizationIdByName(h, 'Acme');
      const aliceId = await userIdByEmail(h, 'alice@acme.example');
      const response = await h.api<Invitation[]>('GET', `/organization-invitations?organizationId=${acmeId}`);
      expect(response.json.map((invitation) => invitation.status).sort()).toEqual([
        'Accepted',
        'Expired',
        'Pending',
        'Pending',
        'Pending',
        'Revoked',
      ]);
      expect(response.json.every((invitation) => invitation.inviterId === aliceId)).toBe(true);
      const byInvitee = await h.api<Invitation[]>(
        'GET',
        '/organization-invitations?invitee=NEW.HIRE1@EXAMPLE.COM',
      );
      expect(byInvitee.json.map((invitation) => invitation.invitee)).toEqual(['new.hire1@example.com']);
    },
  );
});

describe('users and tenant roles', () => {
  seedCheck('has at least 2,677 users, the named ones among them', async () => {
    const users = await h.api('GET', '/users?page_size=1');
    expect(Number(users.headers.get('total-number'))).toBeGreaterThanOrEqual(2677);
    const alice = await h.api('GET', `/users/${await userIdByEmail(h, 'alice@acme.example')}`);
    expect(alice.json).toMatchObject({ name: 'Alice Admin', username: 'alice', hasPassword: true });
  });

  seedCheck('makes dave a member of Acme and an admin of Globex', async () => {
    const daveId = await userIdByEmail(h, 'dave@globex.example');
    const response = await h.api<Array<{ name: string; organizationRoles: Array<{ name: string }> }>>(
      'GET',
      `/users/${daveId}/organizations`,
    );
    expect(response.json.map((o) => [o.name, o.organizationRoles.map((r) => r.name)])).toEqual([
      ['Acme', ['member']],
      ['Globex', ['admin']],
    ]);
  });

  seedCheck('gives the operator, in no organization, the portal-operator tenant role', async () => {
    const operatorId = await userIdByEmail(h, 'operator@example.com');
    const roles = await h.api('GET', `/users/${operatorId}/roles`);
    expect(roles.json).toEqual([
      {
        tenantId: 'default',
        id: expect.any(String),
        name: 'portal-operator',
        description: expect.any(String),
        type: 'User',
        isDefault: false,
      },
    ]);
    expect((await h.api('GET', `/users/${operatorId}/organizations`)).json).toEqual([]);
    const tenantRoles = await h.api<Array<{ name: string; type: string; usersCount: number }>>(
      'GET',
      '/roles',
    );
    expect(tenantRoles.json.map((role) => [role.name, role.type])).toEqual([
      ['Logto Management API access', 'MachineToMachine'],
      ['portal-operator', 'User'],
    ]);
  });
});

describe('applications and connectors', () => {
  seedCheck(
    'has the M2M app portal-m2m, holding the Management API role, and the web app portal-web',
    async () => {
      const machines = await h.api<Array<{ id: string }>>('GET', '/applications?types=MachineToMachine');
      expect(machines.json.map((application) => application.id)).toEqual(['portal-m2m']);
      const roles = await h.api<Array<{ name: string }>>('GET', '/applications/portal-m2m/roles');
      expect(roles.json.map((role) => role.name)).toEqual(['Logto Management API access']);
      expect((await h.api('GET', '/applications/portal-web')).json).toMatchObject({
        type: 'Traditional',
        secret: 'portal-web-secret',
        oidcClientMetadata: {
          redirectUris: ['http://localhost:3000/api/auth/callback/logto'],
          postLogoutRedirectUris: ['http://localhost:3000'],
        },
      });
    },
  );

  seedCheck('has the outbox as its email connector', async () => {
    const connectors = await h.api('GET', '/connectors');
    expect(connectors.json).toEqual([
      expect.objectContaining({ type: 'Email', connectorId: 'emulator-outbox-email' }),
    ]);
    expect((await h.api('DELETE', '/connectors/unknown')).status).toBe(404);
  });
});
