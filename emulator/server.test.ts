import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from './server';

const RESOURCE = 'https://default.logto.app/api';
const M2M_ID = 'portal-m2m';
const M2M_SECRET = 'portal-m2m-secret';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, profile: 'bare' });
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(() => {
  emulator.faults.clear();
});

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function requestToken(o: {
  fields?: Record<string, string>;
  authorization?: string;
  base?: string;
}): Promise<Response> {
  return fetch(`${o.base ?? emulator.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(o.authorization ? { authorization: o.authorization } : {}),
    },
    body: new URLSearchParams(o.fields ?? {}).toString(),
  });
}

async function getM2mToken(base?: string): Promise<string> {
  const response = await requestToken({
    base,
    authorization: basic(M2M_ID, M2M_SECRET),
    fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

function callApi(token: string | undefined, pathname = '/api/organizations', authorization?: string) {
  return fetch(`${emulator.url}${pathname}`, {
    headers: authorization ? { authorization } : token ? { authorization: `Bearer ${token}` } : {},
  });
}

describe('token endpoint (client_credentials)', () => {
  it('issues an ES384 at+jwt for the Management API with Basic client auth', async () => {
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('logto-core-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'all' });
    expect(body).not.toHaveProperty('refresh_token');

    const token = String(body.access_token);
    const jwks = createRemoteJWKSet(new URL(`${emulator.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: emulator.issuer,
      audience: RESOURCE,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES384');
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({ sub: M2M_ID, client_id: M2M_ID, scope: 'all', aud: RESOURCE });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('accepts the credentials as form fields too', async () => {
    const response = await requestToken({
      fields: {
        grant_type: 'client_credentials',
        resource: RESOURCE,
        scope: 'all',
        client_id: M2M_ID,
        client_secret: M2M_SECRET,
      },
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES384', typ: 'at+jwt' });
  });

  it('refuses both client authentication mechanisms at once with 400 invalid_request', async () => {
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: {
        grant_type: 'client_credentials',
        resource: RESOURCE,
        client_id: M2M_ID,
        client_secret: M2M_SECRET,
      },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'client authentication must only be provided using one mechanism',
      code: 'oidc.invalid_request',
    });
  });

  it('answers a wrong secret with 401 invalid_client and a WWW-Authenticate header', async () => {
    const response = await requestToken({
      authorization: basic(M2M_ID, 'not-the-secret'),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_client');
    expect(await response.json()).toMatchObject({
      error: 'invalid_client',
      error_description: 'client authentication failed',
      code: 'oidc.invalid_client',
      message: expect.any(String),
    });
  });

  it('answers an unknown client with 400 invalid_client, as Logto does', async () => {
    const response = await requestToken({
      authorization: basic('no-such-app', 'secret'),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_client',
      error_description: 'invalid client no-such-app',
      code: 'oidc.invalid_client',
    });
  });

  it('keeps the raw OAuth error body with ?parse_error=false', async () => {
    const response = await fetch(`${emulator.url}/oidc/token?parse_error=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(M2M_ID, 'wrong') },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_client');
    expect(body).not.toHaveProperty('code');
  });

  it('answers an unknown resource with 400 invalid_target', async () => {
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: 'https://unknown.example/api', scope: 'all' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_target', code: 'oidc.invalid_target' });
  });

  it('issues a token without scope when `all` is not asked for', async () => {
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: RESOURCE },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('scope');
    const api = await callApi(String(body.access_token));
    expect(api.status).toBe(403);
    expect(await api.json()).toEqual({
      code: 'auth.forbidden',
      message: 'Forbidden. Please check your user roles and permissions.',
    });
  });

  // oidc-provider 9 reports a grant the client lacks as invalid_request, not unauthorized_client.
  it('does not let the sign-in app use client_credentials', async () => {
    const response = await requestToken({
      authorization: basic('portal-web', 'portal-web-secret'),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'requested grant type is not allowed for this client',
    });
  });

  it('serves discovery with the prefixed issuer and ES384', async () => {
    const response = await fetch(`${emulator.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(emulator.issuer);
    expect(discovery.token_endpoint).toBe(`${emulator.issuer}/token`);
    expect(discovery.jwks_uri).toBe(`${emulator.issuer}/jwks`);
    expect(discovery.end_session_endpoint).toBe(`${emulator.issuer}/session/end`);
    expect(discovery.id_token_signing_alg_values_supported).toContain('ES384');
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['urn:logto:scope:organizations']));
  });
});

describe('Management API authentication', () => {
  it('lets a valid token through', async () => {
    const response = await callApi(await getM2mToken());
    expect(response.status).toBe(200);
    expect(response.headers.get('logto-core-request-id')).toBeTruthy();
  });

  it('answers a missing header with 401 auth.authorization_header_missing', async () => {
    const response = await callApi(undefined);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      code: 'auth.authorization_header_missing',
      message: 'Authorization header is missing.',
    });
  });

  it.each(['Basic abc', 'bearer abc', 'Token abc'])(
    'answers %j with 401 auth.authorization_token_type_not_supported',
    async (authorization) => {
      const response = await callApi(undefined, '/api/organizations', authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        code: 'auth.authorization_token_type_not_supported',
        message: 'Authorization type is not supported.',
        data: { supportedTypes: ['Bearer'] },
      });
    },
  );

  it('answers a malformed or foreign token with 401 auth.unauthorized', async () => {
    const garbage = await callApi('not-a-jwt');
    expect(garbage.status).toBe(401);
    expect(await garbage.json()).toMatchObject({
      code: 'auth.unauthorized',
      data: { code: 'ERR_JWS_INVALID' },
    });

    // Same claims, signed by a key the emulator does not know.
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('ES384');
    const foreign = await new SignJWT({ scope: 'all', client_id: M2M_ID })
      .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: 'foreign' })
      .setIssuer(emulator.issuer)
      .setAudience(RESOURCE)
      .setSubject(M2M_ID)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const response = await callApi(foreign);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'auth.unauthorized' });
  });

  it('answers an expired token with 401 auth.unauthorized (short TTL fault)', async () => {
    emulator.faults.update({ accessTokenTtlSeconds: 1 });
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    const body = (await response.json()) as { access_token: string; expires_in: number };
    expect(body.expires_in).toBe(1);
    // Decoded, not verified: a one-second token may already have expired by now.
    const payload = decodeJwt(body.access_token);
    expect(payload.exp! - payload.iat!).toBe(1);

    // jose rejects once now >= exp (no clock tolerance), i.e. one whole second after `iat`.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, (payload.exp! + 0.05) * 1000 - Date.now())),
    );
    const api = await callApi(body.access_token);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({
      code: 'auth.unauthorized',
      data: { code: 'ERR_JWT_EXPIRED', claim: 'exp' },
    });
  });

  it('answers unknown routes with a plain 404 before checking auth', async () => {
    const response = await callApi(undefined, '/api/no-such-route');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not Found');
    expect(response.headers.get('logto-core-request-id')).toBeTruthy();
  });
});

describe('faults and stats', () => {
  it('adds latency to API calls', async () => {
    const token = await getM2mToken();
    emulator.faults.update({ latencyMs: 300 });
    const startedAt = performance.now();
    const response = await callApi(token);
    expect(response.status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it('fails the next N requests with the given status, set over HTTP', async () => {
    const token = await getM2mToken();
    const put = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: { count: 2, status: 500 } }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ failNext: { count: 2, status: 500 } });

    const first = await callApi(token);
    const second = await callApi(token);
    const third = await callApi(token);
    expect([first.status, second.status, third.status]).toEqual([500, 500, 200]);
    expect(await first.json()).toEqual({ message: 'Internal server error.' });
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toEqual({});
  });

  it('rate-limits with 429, Retry-After and a Logto-shaped body, then lets requests through', async () => {
    const token = await getM2mToken();
    emulator.faults.resetStats();
    emulator.faults.set({ rateLimit: { limit: 3, windowMs: 1000 } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await callApi(token)).status);
    expect(statuses).toEqual([200, 200, 200]);

    const limited = await callApi(token);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(1);
    expect(await limited.json()).toEqual({
      code: 'request.rate_limited',
      message: 'Too many requests. Please try again later.',
    });

    // The token endpoint shares the window.
    const token429 = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(token429.status).toBe(429);
    // Only the fault's own refusals are counted, API and token endpoint alike.
    expect(emulator.faults.stats()).toMatchObject({
      apiRequests: 4,
      tokenRequests: 1,
      rateLimited: 2,
      rateLimitedByMethod: { GET: 1, POST: 1 },
    });

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await callApi(token)).status).toBe(200);
    expect(emulator.faults.stats()).toMatchObject({ apiRequests: 5, rateLimited: 2 });
  });

  it('records when counted requests arrive, only while asked to', async () => {
    const token = await getM2mToken();
    await callApi(token);
    emulator.faults.startRecordingArrivals();
    for (let i = 0; i < 3; i += 1) await callApi(token);
    await fetch(`${emulator.url}/_emulator/faults`);
    const arrivals = emulator.faults.stopRecordingArrivals();
    expect(arrivals).toHaveLength(3);
    expect([...arrivals].sort((a, b) => a - b)).toEqual(arrivals);
    await callApi(token);
    expect(emulator.faults.stopRecordingArrivals()).toEqual([]);
  });

  it('takes the token endpoint down while the API keeps working', async () => {
    const token = await getM2mToken();
    emulator.faults.set({ tokenEndpointDown: true });
    const response = await requestToken({
      authorization: basic(M2M_ID, M2M_SECRET),
      fields: { grant_type: 'client_credentials', resource: RESOURCE, scope: 'all' },
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await callApi(token)).status).toBe(200);

    const cleared = await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(await getM2mToken()).toEqual(expect.any(String));
  });

  it('fails a share of requests with failRate', async () => {
    const token = await getM2mToken();
    emulator.faults.set({ failRate: { ratio: 1, status: 503 } });
    const failed = await callApi(token);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ message: 'Internal server error.' });

    emulator.faults.set({ failRate: { ratio: 0, status: 503 } });
    expect((await callApi(token)).status).toBe(200);
  });

  it('rejects invalid fault settings with 400', async () => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: { count: 0, status: 500 } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'guard.invalid_input',
      message: expect.stringContaining('failNext.count'),
    });
  });

  it('counts API requests by route pattern and token requests', async () => {
    const reset = await fetch(`${emulator.url}/_emulator/stats/reset`, { method: 'POST' });
    expect(reset.status).toBe(204);
    const token = await getM2mToken();
    await callApi(token);
    await callApi(token);
    await callApi(undefined, '/api/no-such-route');

    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as Record<string, unknown>;
    expect(stats).toEqual({
      apiRequests: 3,
      tokenRequests: 1,
      rateLimited: 0,
      rateLimitedByMethod: {},
      byRoute: { 'GET /organizations': 2 },
    });
  });
});

describe('control routes', () => {
  it('answers health and the outbox in JSON and HTML', async () => {
    const health = await fetch(`${emulator.url}/_emulator/health`);
    expect(await health.json()).toEqual({ status: 'ok', issuer: emulator.issuer });

    const json = await fetch(`${emulator.url}/_emulator/outbox.json?to=nobody@example.com`);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual([]);

    const html = await fetch(`${emulator.url}/_emulator/outbox`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('No messages yet.');
  });
});

describe('on disk', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'emulator-disk-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  // Two on-disk starts: PGlite's initdb alone takes seconds, more on a busy machine.
  it('keeps signing keys across restarts and rejects wrong audience or issuer', async () => {
    const first = await startEmulator({ port: 0, quiet: true, profile: 'bare', dataDir });
    const port = Number(new URL(first.url).port);
    let token: string;
    try {
      token = await getM2mToken(first.url);
    } finally {
      await first.close();
    }

    // Same port, so the same issuer: a token from before the restart must still verify.
    const second = await startEmulator({ port, quiet: true, profile: 'bare', dataDir });
    try {
      expect(second.startup.seeded).toBe(false);
      const call = (bearer: string) =>
        fetch(`${second.url}/api/organizations`, { headers: { authorization: `Bearer ${bearer}` } });
      expect((await call(token)).status).toBe(200);

      const stored = JSON.parse(await readFile(path.join(dataDir, 'oidc-keys.json'), 'utf8')) as {
        signingKeys: Array<Record<string, string>>;
      };
      const jwk = stored.signingKeys[0]!;
      const key = await importJWK(jwk, 'ES384');
      const sign = (issuer: string, audience: string) =>
        new SignJWT({ scope: 'all', client_id: M2M_ID })
          .setProtectedHeader({ alg: 'ES384', typ: 'at+jwt', kid: jwk.kid! })
          .setIssuer(issuer)
          .setAudience(audience)
          .setSubject(M2M_ID)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(key);

      expect((await call(await sign(second.issuer, RESOURCE))).status).toBe(200);
      const wrongAudience = await call(await sign(second.issuer, 'https://other.example/api'));
      expect(wrongAudience.status).toBe(401);
      expect(await wrongAudience.json()).toMatchObject({ code: 'auth.unauthorized', data: { claim: 'aud' } });
      const wrongIssuer = await call(await sign('http://127.0.0.1:1/oidc', RESOURCE));
      expect(wrongIssuer.status).toBe(401);
      expect(await wrongIssuer.json()).toMatchObject({ code: 'auth.unauthorized', data: { claim: 'iss' } });
    } finally {
      await second.close();
    }
  }, 120_000);
});
