import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMembers,
  assignOrganizationRoles,
  createOrganizationTemplate,
  createTestOrganization,
  createTestUser,
  type OrganizationTemplate,
} from './fixtures';
import { linkLines, setUpContractHarness, uniqueName } from './harness';

// Creates its own data, so it needs no demo seed (and starts much faster without it).
const h = setUpContractHarness({ profile: 'bare' });

type Scope = { id: string; name: string };
type RoleWithScopes = {
  id: string;
  name: string;
  scopes: Scope[];
  resourceScopes: Array<Scope & { resource: Scope }>;
};

let template: OrganizationTemplate;

beforeAll(async () => {
  template = await createOrganizationTemplate(h);
});

const scopeNames = (...keys: Array<keyof OrganizationTemplate['scopes']>) =>
  keys.map((key) => template.scopes[key].name).sort();

async function createScope(name = uniqueName('scope')): Promise<string> {
  const response = await h.api('POST', '/organization-scopes', { name, description: 'A test scope' });
  expect(response.status).toBe(201);
  h.deleteLater(`/organization-scopes/${response.json.id as string}`);
  return response.json.id as string;
}

async function createRole(
  body: Record<string, unknown> = {},
): Promise<{ id: string; name: string; type: string }> {
  const response = await h.api('POST', '/organization-roles', { name: uniqueName('role'), ...body });
  expect(response.status).toBe(201);
  h.deleteLater(`/organization-roles/${response.json.id as string}`);
  return response.json;
}

/** A resource with one scope, for resource-scope links. */
async function createResourceScope(): Promise<{ resourceId: string; scopeId: string }> {
  const resource = await h.api('POST', '/resources', {
    name: uniqueName('API'),
    indicator: `https://${uniqueName('api')}.example`,
  });
  expect(resource.status).toBe(201);
  h.deleteLater(`/resources/${resource.json.id as string}`);
  const scope = await h.api('POST', `/resources/${resource.json.id as string}/scopes`, {
    name: 'read:things',
  });
  expect(scope.status).toBe(201);
  return { resourceId: resource.json.id as string, scopeId: scope.json.id as string };
}

describe('GET /organization-roles', () => {
  it('lists roles by name with their scopes and resource scopes, paginated', async () => {
    const response = await h.api<RoleWithScopes[]>('GET', `/organization-roles?q=${template.prefix}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBe('3');
    const { admin, manager, member } = template.roles;
    expect(response.json.map((role) => role.name)).toEqual([admin.name, manager.name, member.name]);
    expect(response.json[0]?.scopes.map((scope) => scope.name).sort()).toEqual(
      scopeNames('assign', 'invite', 'read', 'remove'),
    );
    expect(response.json[1]?.scopes.map((scope) => scope.name).sort()).toEqual(scopeNames('invite', 'read'));
    expect(response.json[2]?.scopes).toEqual([]);
    expect(response.json[0]?.resourceScopes).toEqual([]);
    const paged = await h.api<RoleWithScopes[]>(
      'GET',
      `/organization-roles?q=${template.prefix}&page=2&page_size=2`,
    );
    expect(paged.json.map((role) => role.name)).toEqual([member.name]);
    expect(linkLines(paged.headers).map((line) => line.match(/rel="(\w+)"/)?.[1])).toEqual([
      'first',
      'prev',
      'last',
    ]);
    expect((await h.api('GET', '/organization-roles?page=0')).json.code).toBe('guard.invalid_pagination');
  });

  it('searches id, name and description', async () => {
    const byName = await h.api<RoleWithScopes[]>(
      'GET',
      `/organization-roles?q=${template.roles.manager.name.toUpperCase()}`,
    );
    expect(byName.json.map((role) => role.name)).toEqual([template.roles.manager.name]);
    // Only the member role's description holds "regular member (<prefix>".
    const byDescription = await h.api<RoleWithScopes[]>(
      'GET',
      `/organization-roles?q=${encodeURIComponent(`regular member (${template.prefix.slice(0, -1)}`)}`,
    );
    expect(byDescription.json.map((role) => role.name)).toEqual([template.roles.member.name]);
    const adminId = template.roles.admin.id;
    expect(
      (await h.api<RoleWithScopes[]>('GET', `/organization-roles?q=${adminId}`)).json.map((r) => r.id),
    ).toEqual([adminId]);
  });

  it('shows resource scopes with their resource', async () => {
    const { resourceId, scopeId } = await createResourceScope();
    const role = await createRole({ resourceScopeIds: [scopeId] });
    const listed = await h.api<RoleWithScopes[]>('GET', `/organization-roles?q=${role.id}`);
    expect(listed.json[0]?.resourceScopes).toEqual([
      { id: scopeId, name: 'read:things', resource: { id: resourceId, name: expect.any(String) } },
    ]);
  });
});

describe('POST /organization-roles', () => {
  it('creates a role (with scopes) and answers without the scope arrays', async () => {
    const scopeId = await createScope();
    const name = uniqueName('role');
    const response = await h.api('POST', '/organization-roles', {
      name,
      description: 'Test role',
      organizationScopeIds: [scopeId],
    });
    h.deleteLater(`/organization-roles/${response.json.id as string}`);
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      tenantId: h.tenantId,
      id: expect.stringMatching(/^[0-9a-z]{21}$/),
      name,
      description: 'Test role',
      type: 'User',
    });
    const scopes = await h.api<Scope[]>('GET', `/organization-roles/${response.json.id as string}/scopes`);
    expect(scopes.json.map((scope) => scope.id)).toEqual([scopeId]);
  });

  it('refuses a duplicate name and rolls back on unknown scope ids', async () => {
    const duplicate = await h.api('POST', '/organization-roles', { name: template.roles.admin.name });
    expect(duplicate.status).toBe(422);
    expect(duplicate.json).toEqual({
      code: 'entity.unique_integrity_violation',
      message: 'The entity already exists. Please check the input and try again.',
    });
    const name = uniqueName('rollback');
    const unknownScope = await h.api('POST', '/organization-roles', {
      name,
      organizationScopeIds: ['unknown-scope'],
    });
    if (unknownScope.status === 201) h.deleteLater(`/organization-roles/${unknownScope.json.id as string}`);
    expect(unknownScope.status).toBe(422);
    expect(unknownScope.json.code).toBe('entity.relation_foreign_key_not_found');
    expect((await h.api('GET', `/organization-roles?q=${name}`)).json).toEqual([]);
    const unknownResourceScope = await h.api('POST', '/organization-roles', {
      name,
      resourceScopeIds: ['unknown-scope'],
    });
    if (unknownResourceScope.status === 201)
      h.deleteLater(`/organization-roles/${unknownResourceScope.json.id as string}`);
    expect(unknownResourceScope.status).toBe(422);
  });

  it('validates name and type', async () => {
    expect((await h.api('POST', '/organization-roles', { name: '' })).status).toBe(400);
    const badType = await h.api('POST', '/organization-roles', { name: uniqueName('r'), type: 'Robot' });
    expect(badType.status).toBe(400);
    expect(badType.json.details).toContain('Error in key path "type": (invalid_enum_value)');
    const machine = await createRole({ type: 'MachineToMachine' });
    expect(machine.type).toBe('MachineToMachine');
  });
});

describe('GET, PATCH, DELETE /organization-roles/:id', () => {
  it('reads one role without scope arrays; unknown is 404 entity.not_found', async () => {
    const response = await h.api('GET', `/organization-roles/${template.roles.admin.id}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(['description', 'id', 'name', 'tenantId', 'type']);
    const unknown = await h.api('GET', '/organization-roles/unknown-role');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });

  it('patches name, description and type; conflicts are 422, unknown ids 404 entity.not_exists', async () => {
    const role = await createRole();
    const renamed = uniqueName('renamed');
    const patched = await h.api('PATCH', `/organization-roles/${role.id}`, {
      name: renamed,
      description: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: renamed, description: null });
    expect(
      (await h.api('PATCH', `/organization-roles/${role.id}`, { name: template.roles.admin.name })).json.code,
    ).toBe('entity.unique_integrity_violation');
    expect((await h.api('PATCH', `/organization-roles/${role.id}`, {})).json.code).toBe(
      'entity.invalid_input',
    );
    const unknown = await h.api('PATCH', '/organization-roles/unknown-role', { name: uniqueName('x') });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: 'entity.not_exists',
      message: 'The organization_role does not exist.',
    });
  });

  it('deletes a role and cascades to member and invitation links', async () => {
    const role = await createRole();
    const organizationId = await createTestOrganization(h);
    const user = await createTestUser(h);
    await addMembers(h, organizationId, [user.id]);
    await assignOrganizationRoles(h, organizationId, user.id, [role.id]);
    const invitation = await h.api('POST', '/organization-invitations', {
      organizationId,
      invitee: `${uniqueName('inv')}@contract.example`,
      expiresAt: Date.now() + 60_000,
      organizationRoleIds: [role.id],
    });
    expect(invitation.status).toBe(201);
    h.deleteLater(`/organization-invitations/${invitation.json.id as string}`);
    expect((await h.api('DELETE', `/organization-roles/${role.id}`)).status).toBe(204);
    expect((await h.api('GET', `/organizations/${organizationId}/users/${user.id}/roles`)).json).toEqual([]);
    expect(
      (await h.api('GET', `/organization-invitations/${invitation.json.id as string}`)).json
        .organizationRoles,
    ).toEqual([]);
    const again = await h.api('DELETE', `/organization-roles/${role.id}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
  });
});

describe('/organization-roles/:id/scopes and /resource-scopes', () => {
  it('lists, adds (201 Created), replaces and removes organization scopes', async () => {
    const role = await createRole();
    const [first, second, third] = [await createScope(), await createScope(), await createScope()];
    const base = `/organization-roles/${role.id}/scopes`;
    const added = await h.api('POST', base, { organizationScopeIds: [first, second] });
    expect(added.status).toBe(201);
    expect(added.text).toBe('Created');
    expect((await h.api('POST', base, { organizationScopeIds: [first] })).status).toBe(201);
    const all = await h.api<Scope[]>('GET', base);
    expect(all.json.map((scope) => scope.id).sort()).toEqual([first, second].sort());
    expect(all.headers.get('total-number')).toBeNull();
    const paged = await h.api<Scope[]>('GET', `${base}?page_size=1`);
    expect(paged.json).toHaveLength(1);
    expect(paged.headers.get('total-number')).toBe('2');
    expect((await h.api('PUT', base, { organizationScopeIds: [third] })).status).toBe(204);
    expect((await h.api<Scope[]>('GET', base)).json.map((scope) => scope.id)).toEqual([third]);
    expect((await h.api('DELETE', `${base}/${third}`)).status).toBe(204);
    const again = await h.api('DELETE', `${base}/${third}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
    expect((await h.api('PUT', base, { organizationScopeIds: [] })).status).toBe(204);
  });

  it('refuses unknown scopes and roles, empty POST lists, and lists of unknown roles', async () => {
    const role = await createRole();
    const base = `/organization-roles/${role.id}/scopes`;
    expect((await h.api('POST', base, { organizationScopeIds: ['unknown'] })).json.code).toBe(
      'entity.relation_foreign_key_not_found',
    );
    expect((await h.api('PUT', base, { organizationScopeIds: ['unknown'] })).status).toBe(422);
    expect((await h.api('POST', base, { organizationScopeIds: [] })).status).toBe(400);
    const scope = await createScope();
    expect(
      (await h.api('POST', '/organization-roles/unknown-role/scopes', { organizationScopeIds: [scope] }))
        .status,
    ).toBe(422);
    const unknownList = await h.api('GET', '/organization-roles/unknown-role/scopes');
    expect(unknownList.status).toBe(404);
    expect(unknownList.json.code).toBe('entity.not_found');
  });

  it('manages resource scopes with the scopeIds body key', async () => {
    const role = await createRole();
    const { resourceId, scopeId } = await createResourceScope();
    const base = `/organization-roles/${role.id}/resource-scopes`;
    expect((await h.api('POST', base, { organizationScopeIds: [scopeId] })).status).toBe(400);
    const added = await h.api('POST', base, { scopeIds: [scopeId] });
    expect(added.status).toBe(201);
    expect(added.text).toBe('Created');
    const listed = await h.api('GET', base);
    expect(listed.json).toEqual([
      {
        tenantId: h.tenantId,
        id: scopeId,
        resourceId,
        name: 'read:things',
        description: null,
        createdAt: expect.any(Number),
      },
    ]);
    expect((await h.api('PUT', base, { scopeIds: [] })).status).toBe(204);
    expect((await h.api('GET', base)).json).toEqual([]);
    await h.api('POST', base, { scopeIds: [scopeId] });
    expect((await h.api('DELETE', `${base}/${scopeId}`)).status).toBe(204);
    expect((await h.api('DELETE', `${base}/${scopeId}`)).status).toBe(404);
  });
});

describe('/organization-scopes', () => {
  it('lists all scopes by name without pagination unless asked', async () => {
    const inTemplate = `/organization-scopes?q=${template.prefix}`;
    const all = await h.api<Scope[]>('GET', inTemplate);
    expect(all.status).toBe(200);
    expect(all.headers.get('total-number')).toBeNull();
    expect(all.json.map((scope) => scope.name)).toEqual(scopeNames('assign', 'invite', 'read', 'remove'));
    const paged = await h.api<Scope[]>('GET', `${inTemplate}&page=2&page_size=3`);
    expect(paged.json.map((scope) => scope.name)).toEqual([template.scopes.remove.name]);
    expect(paged.headers.get('total-number')).toBe('4');
    const onlyPage = await h.api<Scope[]>('GET', `${inTemplate}&page=1`);
    expect(onlyPage.headers.get('total-number')).toBe('4');
    expect((await h.api('GET', '/organization-scopes?page_size=500')).status).toBe(400);
  });

  it('searches the name only, case-insensitively', async () => {
    const upper = await h.api<Scope[]>(
      'GET',
      `/organization-scopes?q=${template.scopes.invite.name.toUpperCase()}`,
    );
    expect(upper.json.map((s) => s.name)).toEqual([template.scopes.invite.name]);
    // Only the invite scope's description holds "invite scope of <prefix>"; descriptions are not searched.
    const byDescription = await h.api<Scope[]>(
      'GET',
      `/organization-scopes?q=${encodeURIComponent(`invite scope of ${template.prefix.slice(0, -1)}`)}`,
    );
    expect(byDescription.json).toEqual([]);
    expect((await h.api<Scope[]>('GET', `/organization-scopes?q=${template.prefix}people`)).json).toEqual([]);
  });

  it('creates, reads, patches and deletes a scope with Logto’s errors', async () => {
    const name = uniqueName('scope');
    const created = await h.api('POST', '/organization-scopes', { name });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      tenantId: h.tenantId,
      id: expect.stringMatching(/^[0-9a-z]{21}$/),
      name,
      description: null,
    });
    const id = created.json.id as string;
    h.deleteLater(`/organization-scopes/${id}`);
    expect((await h.api('POST', '/organization-scopes', { name })).json.code).toBe(
      'entity.unique_integrity_violation',
    );
    expect((await h.api('GET', `/organization-scopes/${id}`)).json.name).toBe(name);
    const unknown = await h.api('GET', '/organization-scopes/unknown-scope');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The organization_scopes with ID `unknown-scope` does not exist.',
    });
    expect(
      (await h.api('PATCH', `/organization-scopes/${id}`, { description: 'Described' })).json.description,
    ).toBe('Described');
    expect(
      (await h.api('PATCH', `/organization-scopes/${id}`, { name: template.scopes.read.name })).status,
    ).toBe(422);
    expect(
      (await h.api('PATCH', '/organization-scopes/unknown-scope', { name: uniqueName('x') })).json.code,
    ).toBe('entity.not_exists');
    expect((await h.api('DELETE', `/organization-scopes/${id}`)).status).toBe(204);
    expect((await h.api('DELETE', `/organization-scopes/${id}`)).json.code).toBe('entity.not_found');
  });
});
