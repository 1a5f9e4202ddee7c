import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createManagementClient } from './client';
import { LogtoAuthError } from './errors';
import { getOrganization } from './organizations';
import { fakeOrganization, startTestServer, testClientOptions, type TestServer } from './test-server';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
  server.handle((request) => ({ json: fakeOrganization(request.path.split('/').at(-1)!) }));
});

afterEach(async () => {
  await server.close();
});

describe('Management API token', () => {
  it('is fetched once and reused across 100 calls', async () => {
    const client = createManagementClient(testClientOptions(server));
    for (let index = 0; index < 100; index += 1) {
      await getOrganization(`org${index}`, client);
    }
    expect(server.tokenRequests).toBe(1);
    expect(server.apiRequests).toHaveLength(100);
    expect(client.stats).toEqual({ requests: 100, tokenRequests: 1, retries: 0 });
  });

  it('is requested once when 50 calls need it at the same time', async () => {
    server.token.delayMs = 100;
    const client = createManagementClient(testClientOptions(server));
    const organizations = await Promise.all(
      Array.from({ length: 50 }, (_, index) => getOrganization(`org${index}`, client)),
    );
    expect(organizations.map(({ id }) => id)).toEqual(
      Array.from({ length: 50 }, (_, index) => `org${index}`),
    );
    expect(server.tokenRequests).toBe(1);
  });

  it('is refreshed shortly before it expires, so no call is sent with an expired token', async () => {
    // 2 s lifetime → 10 % leeway (0.2 s) is smaller than 60 s: refreshed after 1.8 s.
    server.token.expiresIn = 2;
    const client = createManagementClient(testClientOptions(server));
    await getOrganization('a', client);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await getOrganization('b', client);
    expect(server.tokenRequests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 900));
    await getOrganization('c', client);
    expect(server.tokenRequests).toBe(2);
    expect(client.stats.retries).toBe(0);
  });

  it('fails clearly when the app lacks the Management API role (no `all` scope)', async () => {
    server.token.scope = undefined;
    const client = createManagementClient(testClientOptions(server));
    const error = await getOrganization('a', client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogtoAuthError);
    expect(error).toMatchObject({ code: 'token.scope_missing' });
    expect((error as Error).message).toContain('the M2M app lacks the Management API role');
    expect(server.apiRequests).toHaveLength(0);
  });

  it('maps a wrong secret (401 invalid_client) to LogtoAuthError naming LOGTO_M2M_APP_SECRET', async () => {
    const client = createManagementClient({ ...testClientOptions(server), m2mAppSecret: 'wrong' });
    const error = await getOrganization('a', client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LogtoAuthError);
    expect(error).toMatchObject({ status: 401, code: 'oidc.invalid_client' });
    expect((error as LogtoAuthError).hint).toContain('LOGTO_M2M_APP_SECRET');
  });

  it('maps an unknown app id and an unknown resource to hints naming the setting', async () => {
    const unknownApp = createManagementClient({ ...testClientOptions(server), m2mAppId: 'nobody' });
    await expect(getOrganization('a', unknownApp)).rejects.toMatchObject({
      status: 400,
      code: 'oidc.invalid_client',
      hint: expect.stringContaining('LOGTO_M2M_APP_ID'),
    });

    const wrongResource = createManagementClient({
      ...testClientOptions(server),
      managementApiResource: 'https://tenant.logto.app/api',
    });
    await expect(getOrganization('a', wrongResource)).rejects.toMatchObject({
      status: 400,
      code: 'oidc.invalid_target',
      hint: expect.stringContaining('LOGTO_MANAGEMENT_API_RESOURCE'),
    });
  });

  it('does not cache a failed token request', async () => {
    server.token.scope = undefined;
    const client = createManagementClient(testClientOptions(server));
    await expect(getOrganization('a', client)).rejects.toBeInstanceOf(LogtoAuthError);
    server.token.scope = 'all';
    await expect(getOrganization('a', client)).resolves.toMatchObject({ id: 'a' });
    expect(server.tokenRequests).toBe(2);
  });
});
