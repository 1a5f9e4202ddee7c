import { describe, expect, it } from 'vitest';
import { linkLines, organizationRoleIdByName, uniqueName, setUpContractHarness } from './harness';

const h = setUpContractHarness();

type Scope = { id: string; name: string };
type RoleWithScopes = {
  id: string;
  name: string;
  scopes: Scope[];
  resourceScopes: Array<Scope & { resource: Scope }>;
};

async function createScope(name = uniqueName('scope')): Promise<string> {
  const response = await h.api('POST', '/organization-scopes', { name, description: 'A test scope' });
  expect(response.status).toBe(201);
  h.deleteAfterTest(`/organization-scopes/${response.json.id as string}`);
  return response.json.id as string;
}

async function createRole(
  body: Record<string, unknown> = {},
): Promise<{ id: string; name: string; type: string }> {
  const response = await h.api('POST', '/organization-roles', { name: uniqueName('role'), ...body });
  expect(response.status).toBe(201);
  h.deleteAfterTest(`/organization-roles/${response.json.id as string}`);
  return response.json;
}

/** A resource with one scope, for resource-scope links. */
async function createResourceScope(): Promise<{ resourceId: string; scopeId: string }> {
  const resource = await h.api('POST', '/resources', {
    name: uniqueName('API'),
    indicator: `https://${uniqueName('api')}.example`,
  });
  expect(resource.status).toBe(201);
  h.deleteAfterTest(`/resources/${resource.json.id as string}`);
  const scope = await h.api('POST', `/resources/${resource.json.id as string}/scopes`, {
    name: 'read:things',
  });
  expect(scope.status).toBe(201);
  return { resourceId: resource.json.id as string, scopeId: scope.json.id as string };
}

describe('GET /organization-roles', () => {
  it('lists roles by name with their scopes and resource scopes, paginated', async () => {
    const response = await h.api<RoleWithScopes[]>('GET', '/organization-roles');
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBe('3');
    expect(response.json.map((role) => role.name)).toEqual(['admin', 'manager', 'member']);
    expect(response.json[0]?.scopes.map((scope) => scope.name).sort()).toEqual([
      'assign:roles',
      'invite:members',
      'read:members',
      'remove:members',
    ]);
    expect(response.json[1]?.scopes.map((scope) => scope.name).sort()).toEqual([
      'invite:members',
      'read:members',
    ]);
    expect(response.json[2]?.scopes).toEqual([]);
    expect(response.json[0]?.resourceScopes).toEqual([]);
    const paged = await h.api<RoleWithScopes[]>('GET', '/organization-roles?page=2&page_size=2');
    expect(paged.json.map((role) => role.name)).toEqual(['member']);
    expect(linkLines(paged.headers).map((line) => line.match(/rel="(\w+)"/)?.[1])).toEqual([
      'first',
      'prev',
      'last',
    ]);
    expect((await h.api('GET', '/organization-roles?page=0')).json.code).toBe('guard.invalid_pagination');
  });

  it('searches id, name and description', async () => {
    const byName = await h.api<RoleWithScopes[]>('GET', '/organization-roles?q=MANAGER');
    expect(byName.json.map((role) => role.name)).toEqual(['manager']);
    const byDescription = await h.api<RoleWithScopes[]>('GET', '/organization-roles?q=regular');
    expect(byDescription.json.map((role) => role.name)).toEqual(['member']);
    const adminId = await organizationRoleIdByName(h, 'admin');
    expect(
      (await h.api<RoleWithScopes[]>('GET', `/organization-roles?q=${adminId}`)).json.map((r) => r.id),
    ).toEqual([adminId]);
  });

  it('shows resource scopes with their resource', async () => {
    const { resourceId, scopeId } = await createResourceScope();
    const role = await createRole({ resourceScopeIds: [scopeId] });
    const listed = await h.api<RoleWithScopes[]>('GET', `/organization-roles?q=${role.id as string}`);
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
    h.deleteAfterTest(`/organization-roles/${response.json.id as string}`);
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      tenantId: 'default',
      id: expect.stringMatching(/^[0-9a-z]{21}$/),
      name,
      description: 'Test role',
      type: 'User',
    });
    const scopes = await h.api<Scope[]>('GET', `/organization-roles/${response.json.id as string}/scopes`);
    expect(scopes.json.map((scope) => scope.id)).toEqual([scopeId]);
  });

  it('refuses a duplicate name and rolls back on unknown scope ids', async () => {
    const duplicate = await h.api('POST', '/organization-roles', { name: 'admin' });
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
    expect(unknownScope.status).toBe(422);
    expect(unknownScope.json.code).toBe('entity.relation_foreign_key_not_found');
    expect((await h.api('GET', `/organization-roles?q=${name}`)).json).toEqual([]);
    const unknownResourceScope = await h.api('POST', '/organization-roles', {
      name,
      resourceScopeIds: ['unknown-scope'],
    });
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
    const adminId = await organizationRoleIdByName(h, 'admin');
    const response = await h.api('GET', `/organization-roles/${adminId}`);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(['description', 'id', 'name', 'tenantId', 'type']);
    const unknown = await h.api('GET', '/organization-roles/unknown-role');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });

  it('patches name, description and type; conflicts are 422, unknown ids 404 entity.not_exists', async () => {
    const role = await createRole();
    const renamed = uniqueName('renamed');
    const patched = await h.api('PATCH', `/organization-roles/${role.id as string}`, {
      name: renamed,
      description: null,
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: renamed, description: null });
    expect(
      (await h.api('PATCH', `/organization-roles/${role.id as string}`, { name: 'admin' })).json.code,
    ).toBe('entity.unique_integrity_violation');
    expect((await h.api('PATCH', `/organization-roles/${role.id as string}`, {})).json.code).toBe(
      'entity.invalid_input',
    );
    const unknown = await h.api('PATCH', '/organization-roles/unknown-role', { name: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: 'entity.not_exists',
      message: 'The organization_role does not exist.',
    });
  });

  it('deletes a role and cascades to member and invitation links', async () => {
    const role = await createRole();
    const organization = await h.api('POST', '/organizations', { name: uniqueName('Org') });
    h.deleteAfterTest(`/organizations/${organization.json.id as string}`);
    const user = await h.api('POST', '/users', { primaryEmail: `${uniqueName('u')}@contract.example` });
    h.deleteAfterTest(`/users/${user.json.id as string}`);
    await h.api('POST', `/organizations/${organization.json.id as string}/users`, {
      userIds: [user.json.id],
    });
    await h.api(
      'POST',
      `/organizations/${organization.json.id as string}/users/${user.json.id as string}/roles`,
      {
        organizationRoleIds: [role.id],
      },
    );
    expect((await h.api('DELETE', `/organization-roles/${role.id as string}`)).status).toBe(204);
    expect(
      (
        await h.api(
          'GET',
          `/organizations/${organization.json.id as string}/users/${user.json.id as string}/roles`,
        )
      ).json,
    ).toEqual([]);
    const again = await h.api('DELETE', `/organization-roles/${role.id as string}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
  });
});

describe('/organization-roles/:id/scopes and /resource-scopes', () => {
  it('lists, adds (201 Created), replaces and removes organization scopes', async () => {
    const role = await createRole();
    const [first, second, third] = [await createScope(), await createScope(), await createScope()];
    const base = `/organization-roles/${role.id as string}/scopes`;
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
    const base = `/organization-roles/${role.id as string}/scopes`;
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
    const base = `/organization-roles/${role.id as string}/resource-scopes`;
    expect((await h.api('POST', base, { organizationScopeIds: [scopeId] })).status).toBe(400);
    const added = await h.api('POST', base, { scopeIds: [scopeId] });
    expect(added.status).toBe(201);
    expect(added.text).toBe('Created');
    const listed = await h.api('GET', base);
    expect(listed.json).toEqual([
      {
        tenantId: 'default',
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
    const all = await h.api<Scope[]>('GET', '/organization-scopes');
    expect(all.status).toBe(200);
    expect(all.headers.get('total-number')).toBeNull();
    expect(all.json.map((scope) => scope.name)).toEqual([
      'assign:roles',
      'invite:members',
      'read:members',
      'remove:members',
    ]);
    const paged = await h.api<Scope[]>('GET', '/organization-scopes?page=2&page_size=3');
    expect(paged.json.map((scope) => scope.name)).toEqual(['remove:members']);
    expect(paged.headers.get('total-number')).toBe('4');
    const onlyPage = await h.api<Scope[]>('GET', '/organization-scopes?page=1');
    expect(onlyPage.headers.get('total-number')).toBe('4');
    expect((await h.api('GET', '/organization-scopes?page_size=500')).status).toBe(400);
  });

  it('searches the name only', async () => {
    expect((await h.api<Scope[]>('GET', '/organization-scopes?q=MEMBERS')).json).toHaveLength(3);
    expect((await h.api<Scope[]>('GET', '/organization-scopes?q=invite')).json.map((s) => s.name)).toEqual([
      'invite:members',
    ]);
    expect((await h.api<Scope[]>('GET', '/organization-scopes?q=people')).json).toEqual([]);
  });

  it('creates, reads, patches and deletes a scope with Logto’s errors', async () => {
    const name = uniqueName('scope');
    const created = await h.api('POST', '/organization-scopes', { name });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      tenantId: 'default',
      id: expect.stringMatching(/^[0-9a-z]{21}$/),
      name,
      description: null,
    });
    const id = created.json.id as string;
    h.deleteAfterTest(`/organization-scopes/${id}`);
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
    expect((await h.api('PATCH', `/organization-scopes/${id}`, { name: 'read:members' })).status).toBe(422);
    expect((await h.api('PATCH', '/organization-scopes/unknown-scope', { name: 'x' })).json.code).toBe(
      'entity.not_exists',
    );
    expect((await h.api('DELETE', `/organization-scopes/${id}`)).status).toBe(204);
    expect((await h.api('DELETE', `/organization-scopes/${id}`)).json.code).toBe('entity.not_found');
  });
});
