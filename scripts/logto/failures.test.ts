// The token failures the doctor tells apart, produced over real HTTP by lib/logto's scripted
// Logto stand-in (it can script each failure in isolation), plus the mapping of Management API
// statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LogtoApiError } from '@/lib/logto/errors';
import { startTestServer, type TestServer } from '@/lib/logto/test-server';
import { TokenCache } from '@/lib/logto/token';

import { diagnoseLogtoError, suggestedResource } from './failures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

function settings(overrides: { m2mAppId?: string; resource?: string; endpoint?: string } = {}) {
  const endpoint = overrides.endpoint ?? server.url;
  return {
    endpoint,
    managementEndpoint: endpoint,
    managementApiResource: overrides.resource ?? server.resource,
    m2mAppId: overrides.m2mAppId ?? server.clientId,
  };
}

/** The error a token request with these settings ends in. */
async function tokenError(o: { m2mAppId?: string; secret?: string; resource?: string; endpoint?: string }) {
  const s = settings(o);
  const tokens = new TokenCache({
    tokenEndpoint: `${s.managementEndpoint}/oidc/token`,
    clientId: s.m2mAppId,
    clientSecret: o.secret ?? server.clientSecret,
    resource: s.managementApiResource,
    timeoutMs: 5_000,
  });
  const error = await tokens.getToken().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!error) throw new Error('the token request succeeded');
  return diagnoseLogtoError(error, s);
}

describe('diagnoseLogtoError for token requests', () => {
  it('tells a wrong secret (401 invalid_client)', async () => {
    const diagnosis = await tokenError({ secret: 'wrong' });
    expect(diagnosis.area).toBe('token');
    expect(diagnosis.message).toBe(
      `Logto rejected the secret of M2M app ${server.clientId} (401 invalid_client).`,
    );
    expect(diagnosis.fix).toContain('into LOGTO_M2M_APP_SECRET');
  });

  it('tells an unknown app id (400 invalid_client)', async () => {
    const diagnosis = await tokenError({ m2mAppId: 'someone-else' });
    expect(diagnosis.message).toContain('knows no app with id someone-else');
    expect(diagnosis.fix).toMatch(/^set LOGTO_M2M_APP_ID/);
  });

  it('tells a wrong resource indicator (invalid_target)', async () => {
    const diagnosis = await tokenError({ resource: 'https://wrong.example/api' });
    expect(diagnosis.message).toContain('does not accept the resource indicator https://wrong.example/api');
    expect(diagnosis.fix).toContain('LOGTO_MANAGEMENT_API_RESOURCE');
  });

  it('tells a token issued without the "all" scope (app lacks the Management API role)', async () => {
    server.token = { expiresIn: 3600, scope: undefined };
    try {
      const diagnosis = await tokenError({});
      expect(diagnosis.message).toBe(
        `Logto issued a token without the Management API scope "all": app ${server.clientId} lacks the Management API role.`,
      );
      expect(diagnosis.fix).toContain(
        'Roles, assign the role with the Logto Management API permission "all"',
      );
    } finally {
      server.token = { expiresIn: 3600, scope: 'all' };
    }
  });

  it('tells an endpoint that cannot be reached', async () => {
    const stopped = await startTestServer();
    await stopped.close();
    const diagnosis = await tokenError({ endpoint: stopped.url });
    expect(diagnosis.area).toBe('endpoint');
    expect(diagnosis.message).toContain(`Logto at ${stopped.url} cannot be reached`);
    expect(diagnosis.fix).toMatch(/^check LOGTO_ENDPOINT \(or LOGTO_MANAGEMENT_ENDPOINT\)/);
  });
});

describe('diagnoseLogtoError for Management API answers', () => {
  const base = {
    endpoint: 'https://acme1.logto.app',
    managementEndpoint: 'https://acme1.logto.app',
    managementApiResource: 'https://default.logto.app/api',
    m2mAppId: 'm2m',
  };

  it('maps 403 to the missing Management API role and 401 to an audience mismatch', () => {
    const forbidden = new LogtoApiError({ status: 403, code: 'auth.forbidden', message: 'Forbidden.' });
    expect(diagnoseLogtoError(forbidden, base).fix).toContain(
      'Roles, assign a role holding the Logto Management API',
    );
    const unauthorized = new LogtoApiError({
      status: 401,
      code: 'auth.unauthorized',
      message: 'Unauthorized.',
    });
    expect(diagnoseLogtoError(unauthorized, base).fix).toContain('https://acme1.logto.app/api');
  });

  it("maps Koa's plain 404 to an endpoint that is not a Logto Management API", () => {
    const notFound = new LogtoApiError({ status: 404, code: 'unknown', message: 'Not Found' });
    expect(diagnoseLogtoError(notFound, base).fix).toContain('without /api or /oidc');
  });
});

describe('suggestedResource', () => {
  it('gives the exact indicator for a Logto Cloud endpoint and both forms otherwise', () => {
    expect(suggestedResource('https://Abc123.logto.app')).toBe('https://abc123.logto.app/api');
    expect(suggestedResource('https://auth.example.com')).toBe(
      'https://default.logto.app/api (self-hosted Logto) or https://{tenant}.logto.app/api (Logto Cloud)',
    );
  });
});
