// lib/portal/org-settings against the real local Logto (emulator/), over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { ActionFailure } from '@/lib/actions/result';
import {
  createOrganization,
  getOrganization,
  listJitEmailDomains,
  listJitRoles,
  listOrganizationApplications,
  listOrganizationRoles,
  type ManagementClient,
  type OrganizationRoleWithScopes,
  updateOrganization,
} from '@/lib/logto';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import { ForbiddenError, NotFoundError, type OrgAccess } from '@/lib/permissions';
import { ActingAboveOwnRoleError, InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import {
  addApplicationToOrganization,
  addAutoJoinDomain,
  AutoJoinDomainError,
  deleteOrganizationConfirmed,
  NotMachineAppError,
  removeApplicationFromOrganization,
  removeAutoJoinDomain,
  setApplicationRoles,
  setAutoJoinRoles,
  updateOrganizationSettings,
} from './org-settings';

let emulator: EmulatorHandle;
let client: ManagementClient;
let roles: OrganizationRoleWithScopes[];
let seq = 0;

const ALL = ['read:members', 'invite:members', 'remove:members', 'assign:roles', 'manage:organization'];
const access = (orgId: string, scopeNames: string[], isOperator = false): OrgAccess => ({
  orgId,
  isOperator,
  scopes: [],
  scopeNames,
});

function roleId(name: string): string {
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`no role ${name}`);
  return role.id;
}

async function newOrganization(): Promise<string> {
  seq += 1;
  return (await createOrganization({ name: `Settings test ${seq}` }, client)).id;
}

async function createApp(type: 'MachineToMachine' | 'Native'): Promise<string> {
  seq += 1;
  const { data } = await client.api.POST('/api/applications', { body: { name: `App ${seq}`, type } });
  return data!.id;
}

async function createMachineRole(scopeNames: string[] = []): Promise<string> {
  const n = (seq += 1);
  const scopes = (await client.api.GET('/api/organization-scopes')).data ?? [];
  const { data } = await client.api.POST('/api/organization-roles', {
    body: {
      name: `machine-${n}`,
      resourceScopeIds: [],
      type: 'MachineToMachine',
      organizationScopeIds: scopes
        .filter((scope) => scopeNames.includes(scope.name))
        .map((scope) => scope.id),
    },
  });
  return data!.id;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 10 });
  client = localLogtoClient(emulator.url);
  roles = await listOrganizationRoles(client);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe('updateOrganizationSettings', () => {
  it('sends only changes, keeps branding and colours it does not edit, and reports what changed', async () => {
    const orgId = await newOrganization();
    await updateOrganization(
      orgId,
      { branding: { favicon: 'https://cdn.example/favicon.ico' }, color: { darkPrimaryColor: '#000000' } },
      client,
    );
    const input = {
      name: 'Renamed',
      description: 'About us',
      logoUrl: 'https://cdn.example/logo.png',
      darkLogoUrl: null,
      primaryColor: '#336699',
      isMfaRequired: true,
    };
    const result = await updateOrganizationSettings(orgId, input, client);
    expect(result.changed.sort()).toEqual([
      'description',
      'isMfaRequired',
      'logoUrl',
      'name',
      'primaryColor',
    ]);
    expect(result.after).toEqual(input);
    expect(await getOrganization(orgId, client)).toMatchObject({
      name: 'Renamed',
      isMfaRequired: true,
      branding: { favicon: 'https://cdn.example/favicon.ico', logoUrl: 'https://cdn.example/logo.png' },
      color: { darkPrimaryColor: '#000000', primaryColor: '#336699' },
    });

    const again = await updateOrganizationSettings(orgId, input, client);
    expect(again.changed).toEqual([]);
    // Clearing the logo removes the key, and keeps the favicon.
    await updateOrganizationSettings(orgId, { ...input, logoUrl: null }, client);
    expect((await getOrganization(orgId, client)).branding).toEqual({
      favicon: 'https://cdn.example/favicon.ico',
    });
  });
});

describe('deleteOrganizationConfirmed', () => {
  it('is for operators only and wants the exact name; anything else changes nothing', async () => {
    const orgId = await newOrganization();
    const name = (await getOrganization(orgId, client)).name;
    await expect(
      deleteOrganizationConfirmed(access(orgId, ALL), orgId, name, 'x', client),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      deleteOrganizationConfirmed(access(orgId, ALL, true), orgId, name.toUpperCase(), 'mismatch', client),
    ).rejects.toMatchObject({ code: 'invalid_input', fieldErrors: { confirmName: ['mismatch'] } });
    expect((await getOrganization(orgId, client)).name).toBe(name);
    await expect(
      deleteOrganizationConfirmed(access(orgId, ALL, true), orgId, name, 'x', client),
    ).resolves.toEqual({
      name,
    });
    await expect(getOrganization(orgId, client)).rejects.toMatchObject({ status: 404 });
  });
});

describe('auto-join domains', () => {
  it('stores a normalised domain and refuses malformed, public, duplicate ones', async () => {
    const orgId = await newOrganization();
    await expect(addAutoJoinDomain(orgId, '  @Acme.Example ', client)).resolves.toBe('acme.example');
    for (const [input, reason] of [
      ['gmail.com', 'public'],
      ['NAVER.com', 'public'],
      ['https://acme.example', 'format'],
      ['acme.example', 'duplicate'],
    ] as const) {
      const error = await addAutoJoinDomain(orgId, input, client).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AutoJoinDomainError);
      expect((error as AutoJoinDomainError).reason).toBe(reason);
    }
    expect((await listJitEmailDomains(orgId, client)).map((row) => row.emailDomain)).toEqual([
      'acme.example',
    ]);
    await removeAutoJoinDomain(orgId, 'ACME.example', client);
    expect(await listJitEmailDomains(orgId, client)).toEqual([]);
    await expect(removeAutoJoinDomain(orgId, 'acme.example', client)).rejects.toMatchObject({ status: 404 });
  });
});

describe('setAutoJoinRoles (rule 3)', () => {
  it('lets an actor add and remove only roles they could grant', async () => {
    const orgId = await newOrganization();
    const settingsOnly = access(orgId, ['read:members', 'manage:organization']);
    const admin = access(orgId, ALL);
    await expect(setAutoJoinRoles(settingsOnly, orgId, [roleId('member')], client)).resolves.toEqual({
      before: [],
      after: ['member'],
    });
    await expect(setAutoJoinRoles(settingsOnly, orgId, [roleId('manager')], client)).rejects.toBeInstanceOf(
      RoleEscalationError,
    );
    await setAutoJoinRoles(admin, orgId, [roleId('member'), roleId('admin')], client);
    // Taking `admin` away again is acting above a settings-only role too.
    await expect(setAutoJoinRoles(settingsOnly, orgId, [roleId('member')], client)).rejects.toBeInstanceOf(
      ActingAboveOwnRoleError,
    );
    expect((await listJitRoles(orgId, client)).map((role) => role.name).sort()).toEqual(['admin', 'member']);
    await expect(setAutoJoinRoles(admin, orgId, ['no-such-role'], client)).rejects.toBeInstanceOf(
      InvalidRoleIdsError,
    );
    await expect(setAutoJoinRoles(admin, orgId, [], client)).resolves.toEqual({
      before: ['admin', 'member'],
      after: [],
    });
  });
});

describe('organization apps', () => {
  it('operators add machine apps with machine roles; others and other app types are refused', async () => {
    const orgId = await newOrganization();
    const [machineApp, nativeApp, machineRole] = await Promise.all([
      createApp('MachineToMachine'),
      createApp('Native'),
      createMachineRole(),
    ]);
    await expect(
      addApplicationToOrganization(access(orgId, ALL), orgId, machineApp, [], client),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const operator = access(orgId, ALL, true);
    await expect(addApplicationToOrganization(operator, orgId, nativeApp, [], client)).rejects.toBeInstanceOf(
      NotMachineAppError,
    );
    // A person role cannot be given to an app.
    await expect(
      addApplicationToOrganization(operator, orgId, machineApp, [roleId('member')], client),
    ).rejects.toBeInstanceOf(InvalidRoleIdsError);
    await expect(
      addApplicationToOrganization(operator, orgId, 'no-such-app', [], client),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await listOrganizationApplications(orgId, {}, client)).rows).toEqual([]);

    const added = await addApplicationToOrganization(operator, orgId, machineApp, [machineRole], client);
    expect(added.roles).toHaveLength(1);
    const listed = (await listOrganizationApplications(orgId, {}, client)).rows;
    expect(listed.map((app) => [app.id, app.organizationRoles.map((role) => role.id)])).toEqual([
      [machineApp, [machineRole]],
    ]);
  });

  it('changes roles and removes apps within rule 3; an app of another organization is not found', async () => {
    const orgId = await newOrganization();
    const [app, plainRole, powerfulRole] = await Promise.all([
      createApp('MachineToMachine'),
      createMachineRole([]),
      createMachineRole(['assign:roles']),
    ]);
    const operator = access(orgId, ALL, true);
    const settingsOnly = access(orgId, ['read:members', 'manage:organization']);
    await addApplicationToOrganization(operator, orgId, app, [powerfulRole], client);

    // Removing a role carrying a scope the actor lacks is refused, and so is removing the app.
    await expect(setApplicationRoles(settingsOnly, orgId, app, [plainRole], client)).rejects.toBeInstanceOf(
      ActingAboveOwnRoleError,
    );
    await expect(removeApplicationFromOrganization(settingsOnly, orgId, app, client)).rejects.toBeInstanceOf(
      ActingAboveOwnRoleError,
    );
    const result = await setApplicationRoles(access(orgId, ALL), orgId, app, [plainRole], client);
    expect(result.after).toHaveLength(1);
    // Now only a role within the actor's scopes is held: an empty list clears it.
    await expect(setApplicationRoles(settingsOnly, orgId, app, [], client)).resolves.toMatchObject({
      after: [],
    });
    await expect(removeApplicationFromOrganization(settingsOnly, orgId, app, client)).resolves.toEqual({
      roles: [],
    });
    expect((await listOrganizationApplications(orgId, {}, client)).rows).toEqual([]);
    await expect(setApplicationRoles(operator, orgId, app, [plainRole], client)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const other = await newOrganization();
    await expect(removeApplicationFromOrganization(operator, other, app, client)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

it('words refusals of auto-join domains with the action codes the page expects', () => {
  const error = new AutoJoinDomainError('public', 'gmail.com');
  expect(error).toBeInstanceOf(ActionFailure);
  expect(error.code).toBe('invalid_input');
  expect(new AutoJoinDomainError('duplicate', 'a.example').code).toBe('already_exists');
});
