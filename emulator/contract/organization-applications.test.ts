import { describe, expect, it } from 'vitest';
import { createTestOrganization } from './fixtures';
import { type ContractHarness, setUpContractHarness, uniqueName } from './harness';

const h = setUpContractHarness({ profile: 'bare' });

type Application = { id: string; name: string; type: string; [key: string]: unknown };
type AppWithRoles = Application & { organizationRoles: Array<{ id: string; name: string }> };

async function createApplication(
  harness: ContractHarness,
  type = 'MachineToMachine',
  name = uniqueName('app'),
) {
  const response = await harness.api('POST', '/applications', { name, type });
  if (response.status !== 200) throw new Error(`Creating an app failed: ${response.status} ${response.text}`);
  harness.deleteLater(`/applications/${response.json.id as string}`);
  return response.json as Application;
}

async function createRole(harness: ContractHarness, type: 'User' | 'MachineToMachine' = 'MachineToMachine') {
  const response = await harness.api('POST', '/organization-roles', { name: uniqueName('app-role'), type });
  if (response.status !== 201) throw new Error(`Creating a role failed: ${response.status} ${response.text}`);
  harness.deleteLater(`/organization-roles/${response.json.id as string}`);
  return response.json as { id: string; name: string; type: string; tenantId: string; description: null };
}

describe('/organizations/:id/applications', () => {
  it('adds machine-to-machine apps (201), lists them with their roles and removes one (204)', async () => {
    const id = await createTestOrganization(h);
    const app = await createApplication(h);
    const added = await h.api('POST', `/organizations/${id}/applications`, {
      applicationIds: [app.id, app.id],
    });
    expect(added.status).toBe(201);
    expect(
      (await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [app.id] })).status,
    ).toBe(201);

    const listed = await h.api<AppWithRoles[]>('GET', `/organizations/${id}/applications`);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('total-number')).toBe('1');
    // The same object POST /applications answered, plus its organization roles.
    expect(listed.json).toEqual([{ ...app, organizationRoles: [] }]);

    expect((await h.api('DELETE', `/organizations/${id}/applications/${app.id}`)).status).toBe(204);
    const absent = await h.api('DELETE', `/organizations/${id}/applications/${app.id}`);
    expect(absent.status).toBe(404);
    expect(absent.json.code).toBe('entity.not_found');
    expect((await h.api('GET', `/organizations/${id}/applications`)).json).toEqual([]);
  });

  it('refuses other app types (422 db_constraint_violated), unknown ids (422) and an empty list (400)', async () => {
    const id = await createTestOrganization(h);
    const native = await createApplication(h, 'Native');
    const refused = await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [native.id] });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('entity.db_constraint_violated');
    const unknownOrg = await h.api('POST', '/organizations/0/applications', { applicationIds: ['0'] });
    expect(unknownOrg.status).toBe(422);
    expect(unknownOrg.json.code).toBe('entity.relation_foreign_key_not_found');
    const empty = await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [] });
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
    expect((await h.api('GET', `/organizations/${id}/applications`)).json).toEqual([]);
  });

  it('is always paginated and searchable by name', async () => {
    const id = await createTestOrganization(h);
    const prefix = uniqueName('paged');
    const apps: Application[] = [];
    for (let index = 0; index < 12; index += 1) {
      apps.push(
        await createApplication(h, 'MachineToMachine', `${prefix}-${String(index).padStart(2, '0')}`),
      );
    }
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: apps.map((app) => app.id) });
    const first = await h.api<Application[]>('GET', `/organizations/${id}/applications?page=1&page_size=10`);
    const second = await h.api<Application[]>('GET', `/organizations/${id}/applications?page=2&page_size=5`);
    expect(first.headers.get('total-number')).toBe('12');
    expect(first.json).toHaveLength(10);
    expect(second.json.map((app) => app.id)).toEqual(first.json.slice(5, 10).map((app) => app.id));
    const all = await h.api<Application[]>('GET', `/organizations/${id}/applications?page_size=20`);
    expect(new Set(all.json.map((app) => app.id)).size).toBe(12);
    const searched = await h.api<Application[]>('GET', `/organizations/${id}/applications?q=${prefix}-03`);
    expect(searched.json.map((app) => app.id)).toEqual([apps[3]?.id]);
    expect(searched.headers.get('total-number')).toBe('1');
  });

  it('PUT replaces the set; staying apps keep their roles', async () => {
    const id = await createTestOrganization(h);
    const [stays, leaves, joins] = [
      await createApplication(h),
      await createApplication(h),
      await createApplication(h),
    ];
    const role = await createRole(h);
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [stays.id, leaves.id] });
    await h.api('POST', `/organizations/${id}/applications/${stays.id}/roles`, {
      organizationRoleIds: [role.id],
    });
    expect(
      (await h.api('PUT', `/organizations/${id}/applications`, { applicationIds: [stays.id, joins.id] }))
        .status,
    ).toBe(204);
    const listed = await h.api<AppWithRoles[]>('GET', `/organizations/${id}/applications`);
    expect(listed.json.map((app) => app.id).sort()).toEqual([stays.id, joins.id].sort());
    expect(listed.json.find((app) => app.id === stays.id)?.organizationRoles).toEqual([
      { id: role.id, name: role.name },
    ]);
  });
});

describe('/organizations/:id/applications/:applicationId/roles', () => {
  it('gives MachineToMachine roles only (a User role is 422 db_constraint_violated)', async () => {
    const id = await createTestOrganization(h);
    const app = await createApplication(h);
    const [machine, user] = [await createRole(h), await createRole(h, 'User')];
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [app.id] });
    const base = `/organizations/${id}/applications/${app.id}/roles`;
    const given = await h.api('POST', base, { organizationRoleIds: [machine.id] });
    expect(given.status).toBe(201);
    const refused = await h.api('POST', base, { organizationRoleIds: [user.id] });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('entity.db_constraint_violated');
    const unknown = await h.api('POST', base, { organizationRoleIds: ['0'] });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('entity.relation_foreign_key_not_found');
    const listed = await h.api('GET', base);
    expect(listed.json).toEqual([machine]);
    expect(listed.headers.get('total-number')).toBeNull();
  });

  it('requires membership (422 organization.require_membership)', async () => {
    const id = await createTestOrganization(h);
    const app = await createApplication(h);
    for (const [method, path, body] of [
      ['GET', `/organizations/${id}/applications/${app.id}/roles`, undefined],
      ['POST', `/organizations/${id}/applications/${app.id}/roles`, { organizationRoleIds: ['x'] }],
      ['DELETE', '/organizations/0/applications/0/roles/0', undefined],
    ] as const) {
      const response = await h.api(method, path, body);
      expect(response.status).toBe(422);
      expect(response.json).toEqual({
        code: 'organization.require_membership',
        message: 'The user must be a member of the organization to proceed.',
      });
    }
  });

  it('PUT replaces (a non-empty list), DELETE removes one (404 when absent), paging is optional', async () => {
    const id = await createTestOrganization(h);
    const app = await createApplication(h);
    const [a, b, c] = [await createRole(h), await createRole(h), await createRole(h)];
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [app.id] });
    const base = `/organizations/${id}/applications/${app.id}/roles`;
    await h.api('POST', base, { organizationRoleIds: [a.id, b.id] });
    expect((await h.api('PUT', base, { organizationRoleIds: [b.id, c.id] })).status).toBe(204);
    const roles = await h.api<Array<{ id: string }>>('GET', base);
    expect(roles.json.map((role) => role.id).sort()).toEqual([b.id, c.id].sort());
    expect((await h.api('PUT', base, { organizationRoleIds: [] })).status).toBe(400);
    const paged = await h.api('GET', `${base}?page=1&page_size=1`);
    expect(paged.json).toHaveLength(1);
    expect(paged.headers.get('total-number')).toBe('2');
    expect((await h.api('DELETE', `${base}/${b.id}`)).status).toBe(204);
    const absent = await h.api('DELETE', `${base}/${b.id}`);
    expect(absent.status).toBe(404);
    expect(absent.json.code).toBe('entity.not_found');
  });

  it('POST /organizations/:id/applications/roles gives every role to every app', async () => {
    const id = await createTestOrganization(h);
    const apps = [await createApplication(h), await createApplication(h)];
    const roles = [await createRole(h), await createRole(h)];
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: apps.map((app) => app.id) });
    const response = await h.api('POST', `/organizations/${id}/applications/roles`, {
      applicationIds: apps.map((app) => app.id),
      organizationRoleIds: roles.map((role) => role.id),
    });
    expect(response.status).toBe(201);
    for (const app of apps) {
      const held = await h.api<Array<{ id: string }>>(
        'GET',
        `/organizations/${id}/applications/${app.id}/roles`,
      );
      expect(held.json.map((role) => role.id).sort()).toEqual(roles.map((role) => role.id).sort());
    }
    const empty = await h.api('POST', `/organizations/${id}/applications/roles`, {
      applicationIds: [],
      organizationRoleIds: [roles[0]?.id],
    });
    expect(empty.status).toBe(400);
  });
});

describe('GET /applications/:id/organizations', () => {
  it("lists the app's organizations with its roles there; an unknown app is 404", async () => {
    const [first, second] = [await createTestOrganization(h), await createTestOrganization(h)];
    const app = await createApplication(h);
    const role = await createRole(h);
    await h.api('POST', `/organizations/${first}/applications`, { applicationIds: [app.id] });
    await h.api('POST', `/organizations/${second}/applications`, { applicationIds: [app.id] });
    await h.api('POST', `/organizations/${first}/applications/${app.id}/roles`, {
      organizationRoleIds: [role.id],
    });
    const listed = await h.api<Array<{ id: string; organizationRoles: unknown[] }>>(
      'GET',
      `/applications/${app.id}/organizations`,
    );
    expect(listed.status).toBe(200);
    expect(listed.headers.get('total-number')).toBeNull();
    expect(listed.json.map((organization) => organization.id).sort()).toEqual([first, second].sort());
    expect(listed.json.find((organization) => organization.id === first)?.organizationRoles).toEqual([
      { id: role.id, name: role.name },
    ]);
    const paged = await h.api('GET', `/applications/${app.id}/organizations?page_size=1`);
    expect(paged.json).toHaveLength(1);
    expect(paged.headers.get('total-number')).toBe('2');
    const unknown = await h.api('GET', '/applications/unknown-app/organizations');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_exists_with_id');
  });

  it('deleting the app removes it from its organizations', async () => {
    const id = await createTestOrganization(h);
    const app = await createApplication(h);
    await h.api('POST', `/organizations/${id}/applications`, { applicationIds: [app.id] });
    expect((await h.api('DELETE', `/applications/${app.id}`)).status).toBe(204);
    expect((await h.api('GET', `/organizations/${id}/applications`)).json).toEqual([]);
  });
});
