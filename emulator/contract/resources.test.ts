import { describe, expect, it } from 'vitest';
import { LOCAL_ONLY, localOnly, setUpContractHarness, uniqueName } from './harness';

// Needs no demo data: the bare local Logto has the Management API resource.
const h = setUpContractHarness({ profile: 'bare' });

type Resource = { id: string; name: string; indicator: string; scopes?: Array<{ name: string }> };

async function findManagementApi(): Promise<Resource | undefined> {
  const resources = await h.api<Resource[]>('GET', '/resources?includeScopes=true&page_size=100');
  return resources.json.find((resource) => resource.indicator === h.target.managementApiResource);
}

async function createResource(): Promise<Resource> {
  const indicator = `https://${uniqueName('api')}.example`;
  const created = await h.api('POST', '/resources', { name: uniqueName('Contract API'), indicator });
  expect(created.status).toBe(201);
  h.deleteLater(`/resources/${created.json.id as string}`);
  return created.json;
}

describe('/resources', () => {
  it('lists the Management API with its one permission, `all`', async () => {
    expect(await findManagementApi()).toMatchObject({
      name: 'Logto Management API',
      scopes: [expect.objectContaining({ name: 'all' })],
    });
  });

  localOnly(LOCAL_ONLY.managementApi)('refuses to delete the Management API', async () => {
    const managementApi = await findManagementApi();
    const response = await h.api('DELETE', `/resources/${managementApi?.id ?? ''}`);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('resource.cannot_delete_management_api');
  });

  it('creates a resource with scopes', async () => {
    const indicator = `https://${uniqueName('api')}.example`;
    const name = uniqueName('Contract API');
    const created = await h.api('POST', '/resources', { name, indicator });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    h.deleteLater(`/resources/${id}`);
    expect(created.json).toMatchObject({ name, indicator, accessTokenTtl: 3600, isDefault: false });
    expect((await h.api('POST', '/resources', { name: 'Again', indicator })).json.code).toBe(
      'resource.resource_identifier_in_use',
    );
    const scope = await h.api('POST', `/resources/${id}/scopes`, {
      name: 'write:things',
      description: 'Write',
    });
    expect(scope.status).toBe(201);
    expect(scope.json).toMatchObject({ resourceId: id, name: 'write:things', description: 'Write' });
    expect((await h.api('POST', `/resources/${id}/scopes`, { name: 'write:things' })).status).toBe(422);
    const scopes = await h.api('GET', `/resources/${id}/scopes`);
    expect(scopes.headers.get('total-number')).toBe('1');
    expect((await h.api('DELETE', `/resources/${id}/scopes/${scope.json.id as string}`)).status).toBe(204);
    const unknown = await h.api('GET', '/resources/unknown/scopes');
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual([]);
  });

  it('reads one resource without its scopes', async () => {
    const created = await createResource();
    const response = await h.api('GET', `/resources/${created.id}`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      tenantId: h.tenantId,
      id: created.id,
      name: created.name,
      indicator: created.indicator,
      isDefault: false,
      accessTokenTtl: 3600,
    });
  });

  it('answers an unknown or deleted resource with 404 entity.not_exists_with_id on read and delete', async () => {
    const created = await createResource();
    expect((await h.api('DELETE', `/resources/${created.id}`)).status).toBe(204);
    for (const id of ['unknown-resource', created.id]) {
      for (const method of ['GET', 'DELETE']) {
        const response = await h.api(method, `/resources/${id}`);
        expect(response.status).toBe(404);
        expect(response.json).toEqual({
          code: 'entity.not_exists_with_id',
          message: `The resources with ID \`${id}\` does not exist.`,
        });
      }
    }
  });
});
