import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpContractHarness, uniqueName } from './harness';
import { requestClientCredentials } from './management-client';

// Needs no demo data: the bare local Logto has the Management API and the two portal apps.
const h = setUpContractHarness({ profile: 'bare' });

type Application = { id: string; name: string; type: string; secret: string };
type Role = { id: string; name: string; type: string };

/** The id of the Management API's `all` permission in this tenant. */
let allScopeId = '';

beforeAll(async () => {
  const resources = await h.api<Array<{ indicator: string; scopes: Array<{ id: string; name: string }> }>>(
    'GET',
    '/resources?includeScopes=true&page_size=100',
  );
  const managementApi = resources.json.find(
    (resource) => resource.indicator === h.target.managementApiResource,
  );
  const all = managementApi?.scopes.find((scope) => scope.name === 'all');
  if (!all) throw new Error(`No "all" permission on ${h.target.managementApiResource}.`);
  allScopeId = all.id;
});

/**
 * Creates an application and reads its secret the way Logto 1.42 hands it out: not in the
 * creation answer, but as the "Default secret" of the app's secret list.
 */
async function createApplication(type: string, name = uniqueName('app')): Promise<Application> {
  const response = await h.api('POST', '/applications', { name, type });
  expect(response.status).toBe(200);
  const id = response.json.id as string;
  h.deleteLater(`/applications/${id}`);
  const secrets = await h.api<Array<{ name: string; value: string; expiresAt: number | null }>>(
    'GET',
    `/applications/${id}/secrets`,
  );
  expect(secrets.status).toBe(200);
  return { ...response.json, secret: secrets.json.find((secret) => secret.expiresAt === null)?.value ?? '' };
}

/**
 * A tenant role (`POST /roles`), optionally holding permissions. `scopeIds` is sent only when
 * there are some: Logto answers an empty list with 422 after it has created the role.
 */
async function createRole(type: 'User' | 'MachineToMachine', scopeIds: string[] = []): Promise<Role> {
  const response = await h.api('POST', '/roles', {
    name: uniqueName(type === 'User' ? 'user-role' : 'm2m-role'),
    description: 'Contract role.',
    type,
    ...(scopeIds.length > 0 ? { scopeIds } : {}),
  });
  expect(response.status).toBe(200);
  h.deleteLater(`/roles/${response.json.id as string}`);
  return response.json;
}

/** Asks for a Management API token with `scope=all` as `application`. */
async function tokenFor(application: Application, scope = 'all') {
  return requestClientCredentials({
    tokenUrl: h.tokenUrl,
    clientId: application.id,
    clientSecret: application.secret,
    resource: h.target.managementApiResource,
    scope,
  });
}

async function callApiWith(accessToken: string) {
  const response = await h.raw('/organizations?page_size=1', {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('applications', () => {
  it('creates, lists, reads and patches applications', async () => {
    const listed = await h.api<Application[]>('GET', '/applications?types=MachineToMachine&page_size=100');
    expect(listed.json.map((application) => application.id)).toContain(h.target.m2mAppId);
    expect(listed.json.every((application) => application.type === 'MachineToMachine')).toBe(true);
    expect((await h.api('GET', `/applications/${h.target.m2mAppId}`)).json).toMatchObject({
      id: h.target.m2mAppId,
      type: 'MachineToMachine',
    });
    const unknown = await h.api('GET', '/applications/unknown');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_exists_with_id');

    const name = uniqueName('Contract app');
    const created = await createApplication('Traditional', name);
    // Logto 1.42 keeps the secret out of application answers; the secret list has it.
    const read = await h.api('GET', `/applications/${created.id}`);
    expect(read.json).not.toHaveProperty('secret');
    expect(created.secret).not.toBe('');
    const secrets = await h.api('GET', `/applications/${created.id}/secrets`);
    expect(secrets.json).toEqual([
      expect.objectContaining({
        applicationId: created.id,
        name: 'Default secret',
        value: created.secret,
        expiresAt: null,
      }),
    ]);
    expect(created).toMatchObject({
      name,
      type: 'Traditional',
      oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [] },
    });
    const patched = await h.api('PATCH', `/applications/${created.id}`, {
      oidcClientMetadata: {
        redirectUris: ['http://127.0.0.1:4000/cb'],
        postLogoutRedirectUris: ['http://127.0.0.1:4000'],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.oidcClientMetadata).toMatchObject({
      redirectUris: ['http://127.0.0.1:4000/cb'],
      postLogoutRedirectUris: ['http://127.0.0.1:4000'],
    });
    expect((await h.api('PATCH', '/applications/unknown', { name: 'x' })).status).toBe(404);
  });

  it('validates the type and sends SAML apps to their own API', async () => {
    const robot = await h.api('POST', '/applications', { name: uniqueName('Bad'), type: 'Robot' });
    expect(robot.status).toBe(400);
    expect(robot.json.code).toBe('guard.invalid_input');
    const saml = await h.api('POST', '/applications', { name: uniqueName('Saml'), type: 'SAML' });
    if (saml.status === 200) h.deleteLater(`/applications/${saml.json.id as string}`);
    expect(saml.status).toBe(400);
    expect(saml.json).toEqual({
      code: 'application.saml.use_saml_app_api',
      message: 'Use `[METHOD] /saml-applications(/.*)?` API to operate SAML app.',
    });
    expect((await h.api('GET', '/applications?types=Robot')).status).toBe(400);
  });

  it('deletes an application; unknown ids are 404 entity.not_exists_with_id', async () => {
    const application = await createApplication('MachineToMachine');
    const deleted = await h.api('DELETE', `/applications/${application.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    for (const method of ['GET', 'DELETE']) {
      const gone = await h.api(method, `/applications/${application.id}`);
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual({
        code: 'entity.not_exists_with_id',
        message: `The applications with ID \`${application.id}\` does not exist.`,
      });
    }
    // A deleted client cannot get tokens any more.
    expect((await tokenFor(application)).status).toBe(400);
  });
});

describe('machine-to-machine access to the Management API', () => {
  it('gives an app without a Management API role a token without scope, which /api refuses with 403', async () => {
    const application = await createApplication('MachineToMachine');
    const answer = await tokenFor(application);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('scope');
    const accessToken = answer.body.access_token as string;
    expect(decodeJwt(accessToken)).not.toHaveProperty('scope');
    expect(await callApiWith(accessToken)).toEqual({
      status: 403,
      body: { code: 'auth.forbidden', message: 'Forbidden. Please check your user roles and permissions.' },
    });
  });

  it('grants `all` through a role holding it, and takes it away with the role', async () => {
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine', [allScopeId]);
    const assigned = await h.api('POST', `/applications/${application.id}/roles`, { roleIds: [role.id] });
    expect(assigned.status).toBe(201);
    expect(assigned.json).toEqual({ roleIds: [role.id], addedRoleIds: [role.id] });

    const granted = await tokenFor(application, 'all not-a-permission');
    expect(granted.status).toBe(200);
    expect(granted.body.scope).toBe('all');
    const claims = decodeJwt(granted.body.access_token as string);
    expect(claims).toMatchObject({
      scope: 'all',
      sub: application.id,
      client_id: application.id,
      aud: h.target.managementApiResource,
    });
    expect((await callApiWith(granted.body.access_token as string)).status).toBe(200);

    expect((await h.api('DELETE', `/applications/${application.id}/roles/${role.id}`)).status).toBe(204);
    const revoked = await tokenFor(application);
    expect(revoked.body).not.toHaveProperty('scope');
    expect((await callApiWith(revoked.body.access_token as string)).status).toBe(403);
  });

  it('grants nothing through a role without the Management API permission', async () => {
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine');
    expect(
      (await h.api('POST', `/applications/${application.id}/roles`, { roleIds: [role.id] })).status,
    ).toBe(201);
    const answer = await tokenFor(application);
    expect(answer.status).toBe(200);
    expect(answer.body).not.toHaveProperty('scope');
  });
});

describe('machine-to-machine access to other API resources', () => {
  it('grants the permissions the app’s roles hold on that resource, with its own audience and lifetime', async () => {
    const indicator = `https://${uniqueName('api')}.example`;
    const resource = await h.api('POST', '/resources', {
      name: uniqueName('API'),
      indicator,
      accessTokenTtl: 600,
    });
    expect(resource.status).toBe(201);
    h.deleteLater(`/resources/${resource.json.id as string}`);
    const scopeIds: Record<string, string> = {};
    for (const name of ['read:things', 'write:things']) {
      const scope = await h.api('POST', `/resources/${resource.json.id as string}/scopes`, { name });
      expect(scope.status).toBe(201);
      scopeIds[name] = scope.json.id as string;
    }
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine', [scopeIds['read:things'] as string]);
    await h.api('POST', `/applications/${application.id}/roles`, { roleIds: [role.id] });

    const answer = await requestClientCredentials({
      tokenUrl: h.tokenUrl,
      clientId: application.id,
      clientSecret: application.secret,
      resource: indicator,
      scope: 'read:things write:things',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ scope: 'read:things', expires_in: 600, token_type: 'Bearer' });
    expect(decodeJwt(answer.body.access_token as string)).toMatchObject({
      aud: indicator,
      scope: 'read:things',
    });
    // A token for another API is no Management API token.
    const api = await callApiWith(answer.body.access_token as string);
    expect(api.status).toBe(401);
    expect(api.body.code).toBe('auth.unauthorized');
  });

  it('refuses an indicator no resource has with 400 invalid_target', async () => {
    const answer = await requestClientCredentials({
      tokenUrl: h.tokenUrl,
      clientId: h.target.m2mAppId,
      clientSecret: h.target.m2mAppSecret,
      resource: `https://${uniqueName('nowhere')}.example`,
      scope: 'all',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_target', code: 'oidc.invalid_target' });
  });
});

describe('/applications/:id/roles', () => {
  it('lists an app’s roles, paginated and searchable', async () => {
    const application = await createApplication('MachineToMachine');
    const [first, second] = [await createRole('MachineToMachine'), await createRole('MachineToMachine')];
    await h.api('POST', `/applications/${application.id}/roles`, { roleIds: [first.id, second.id] });
    const listed = await h.api<Array<Role & Record<string, unknown>>>(
      'GET',
      `/applications/${application.id}/roles`,
    );
    expect(listed.status).toBe(200);
    expect(listed.headers.get('total-number')).toBe('2');
    expect(listed.json.map((role) => role.id).sort()).toEqual([first.id, second.id].sort());
    expect(Object.keys(listed.json[0] ?? {}).sort()).toEqual([
      'description',
      'id',
      'isDefault',
      'name',
      'tenantId',
      'type',
    ]);
    const searched = await h.api<Role[]>(
      'GET',
      `/applications/${application.id}/roles?search.name=${first.name}&mode=exact`,
    );
    expect(searched.json.map((role) => role.id)).toEqual([first.id]);
    const paged = await h.api<Role[]>('GET', `/applications/${application.id}/roles?page=2&page_size=1`);
    expect(paged.json).toHaveLength(1);
    expect(paged.headers.get('total-number')).toBe('2');
    expect((await h.api('GET', `/applications/${application.id}/roles?page_size=101`)).status).toBe(400);
  });

  it('POST de-duplicates, reports only the roles it added, and refuses user roles and unknown roles', async () => {
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine');
    const base = `/applications/${application.id}/roles`;
    expect((await h.api('POST', base, { roleIds: [role.id, role.id] })).json).toEqual({
      roleIds: [role.id, role.id],
      addedRoleIds: [role.id],
    });
    expect((await h.api('POST', base, { roleIds: [role.id] })).json).toEqual({
      roleIds: [role.id],
      addedRoleIds: [],
    });
    expect((await h.api('POST', base, { roleIds: [] })).json).toEqual({ roleIds: [], addedRoleIds: [] });
    const userRole = await h.api('POST', base, { roleIds: [(await createRole('User')).id] });
    expect(userRole.status).toBe(422);
    expect(userRole.json).toEqual({
      code: 'application.invalid_role_type',
      message: 'Can not assign user type role to machine to machine application.',
    });
    const unknown = await h.api('POST', base, { roleIds: ['unknown-role'] });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The roles with ID `unknown-role` does not exist.',
    });
    expect((await h.api('POST', base, { roleIds: [''] })).status).toBe(400);
    expect((await h.api('POST', base, {})).status).toBe(400);
  });

  it('PUT replaces the roles and answers 200 OK', async () => {
    const application = await createApplication('MachineToMachine');
    const [first, second] = [await createRole('MachineToMachine'), await createRole('MachineToMachine')];
    const base = `/applications/${application.id}/roles`;
    await h.api('POST', base, { roleIds: [first.id] });
    const replaced = await h.api('PUT', base, { roleIds: [second.id] });
    expect(replaced.status).toBe(200);
    expect(replaced.text).toBe('OK');
    expect((await h.api<Role[]>('GET', base)).json.map((role) => role.id)).toEqual([second.id]);
    expect((await h.api('PUT', base, { roleIds: ['unknown-role'] })).status).toBe(404);
    expect((await h.api<Role[]>('GET', base)).json.map((role) => role.id)).toEqual([second.id]);
  });

  it('PUT with nothing new to add still removes, then fails with 422 entity.invalid_input', async () => {
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine');
    const base = `/applications/${application.id}/roles`;
    await h.api('POST', base, { roleIds: [role.id] });
    const emptied = await h.api('PUT', base, { roleIds: [] });
    expect(emptied.status).toBe(422);
    expect(emptied.json).toEqual({
      code: 'entity.invalid_input',
      message: 'Invalid input. Value list must not be empty.',
    });
    expect((await h.api('GET', base)).json).toEqual([]);
  });

  it('DELETE of a role the app does not hold is 404 entity.not_found', async () => {
    const application = await createApplication('MachineToMachine');
    const role = await createRole('MachineToMachine');
    const response = await h.api('DELETE', `/applications/${application.id}/roles/${role.id}`);
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ code: 'entity.not_found', message: 'The resource does not exist.' });
  });

  it('answers unknown apps with 404 and apps that are not machine-to-machine with 422 on every route', async () => {
    const role = await createRole('MachineToMachine');
    const web = await createApplication('Traditional');
    for (const [method, path, body] of [
      ['GET', '/roles', undefined],
      ['POST', '/roles', { roleIds: [role.id] }],
      ['PUT', '/roles', { roleIds: [role.id] }],
      ['DELETE', `/roles/${role.id}`, undefined],
    ] as const) {
      const unknown = await h.api(method, `/applications/unknown-app${path}`, body);
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({
        code: 'entity.not_exists_with_id',
        message: 'The applications with ID `unknown-app` does not exist.',
      });
      const traditional = await h.api(method, `/applications/${web.id}${path}`, body);
      expect(traditional.status).toBe(422);
      expect(traditional.json).toEqual({
        code: 'application.invalid_type',
        message: 'Only machine to machine applications can have associated roles.',
      });
    }
  });
});

describe('POST /roles', () => {
  it('answers an empty scopeIds list with 422 entity.invalid_input after creating the role, as Logto 1.42 does', async () => {
    const name = uniqueName('empty-scopes');
    const response = await h.api('POST', '/roles', { name, description: 'Contract role.', scopeIds: [] });
    const found = await h.api<Role[]>('GET', `/roles?search=${encodeURIComponent(name)}`);
    // Whatever the answer, the suite leaves nothing behind.
    for (const role of found.json) h.deleteLater(`/roles/${role.id}`);
    expect(response.status).toBe(422);
    expect(response.json.code).toBe('entity.invalid_input');
    expect(found.json.map((role) => role.name)).toEqual([name]);
  });

  it('answers an unknown scope id with 404 after creating the role', async () => {
    const name = uniqueName('unknown-scope');
    const response = await h.api('POST', '/roles', {
      name,
      description: 'Contract role.',
      scopeIds: ['no-such-scope'],
    });
    const found = await h.api<Role[]>('GET', `/roles?search=${encodeURIComponent(name)}`);
    for (const role of found.json) h.deleteLater(`/roles/${role.id}`);
    expect(response.status).toBe(404);
    expect(found.json.map((role) => role.name)).toEqual([name]);
  });
});
