import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrganizationWithMembers, createTestOrganization, createTestUser } from './fixtures';
import { linkLines, setUpContractHarness, TOLERATED, toleratedDifference, uniqueName } from './harness';

// Creates its own data, so it needs no demo seed (and starts much faster without it).
const h = setUpContractHarness({ profile: 'bare' });

type Organization = { id: string; name: string; [key: string]: unknown };

/** 23 organizations `<prefix>org01` … `<prefix>org23`, created in that order. */
const LISTED = 23;
let listPrefix = '';
const listed: Organization[] = [];

beforeAll(async () => {
  listPrefix = `${uniqueName('list')}-`;
  for (let index = 1; index <= LISTED; index += 1) {
    const name = `${listPrefix}org${String(index).padStart(2, '0')}`;
    listed.push({ id: await createTestOrganization(h, name), name });
  }
});

const inList = (query = '') => `/organizations?q=${listPrefix}${query}`;

describe('GET /organizations', () => {
  it('pages through the matching organizations with Total-Number and no overlap', async () => {
    const first = await h.api<Organization[]>('GET', inList());
    expect(first.status).toBe(200);
    expect(first.json).toHaveLength(20);
    expect(first.headers.get('total-number')).toBe(String(LISTED));

    const seen = new Set<string>();
    for (let page = 1; page <= 3; page += 1) {
      const response = await h.api<Organization[]>('GET', `${inList()}&page=${page}&page_size=10`);
      expect(response.headers.get('total-number')).toBe(String(LISTED));
      for (const organization of response.json) {
        expect(seen.has(organization.id)).toBe(false);
        seen.add(organization.id);
      }
    }
    expect([...seen].sort()).toEqual(listed.map((o) => o.id).sort());
  });

  it('pages the whole tenant by default: 20 rows and a Total-Number', async () => {
    const response = await h.api<Organization[]>('GET', '/organizations');
    expect(response.status).toBe(200);
    expect(response.json).toHaveLength(20);
    expect(Number(response.headers.get('total-number'))).toBeGreaterThanOrEqual(LISTED);
  });

  toleratedDifference(TOLERATED.organizationOrder)(
    'page 2 of size 10 equals rows 11–20 of a page of size 20',
    async () => {
      const pageOfTwenty = await h.api<Organization[]>('GET', `${inList()}&page=1&page_size=20`);
      const secondOfTen = await h.api<Organization[]>('GET', `${inList()}&page=2&page_size=10`);
      expect(secondOfTen.json.map((o) => o.id)).toEqual(pageOfTwenty.json.slice(10, 20).map((o) => o.id));
    },
  );

  // Logto has no ORDER BY here (heap order); the local Logto promises creation order.
  toleratedDifference(TOLERATED.organizationOrder)('keeps creation order', async () => {
    const response = await h.api<Organization[]>('GET', `${inList()}&page_size=5`);
    expect(response.json.map((o) => o.name)).toEqual(listed.slice(0, 5).map((o) => o.name));
  });

  it('answers a page past the end with 200 [] and the headers', async () => {
    const response = await h.api<Organization[]>('GET', `${inList()}&page=10&page_size=10`);
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(response.headers.get('total-number')).toBe(String(LISTED));
    const base = `${h.origin}/organizations?q=${listPrefix}`;
    expect(linkLines(response.headers)).toEqual([
      `<${base}&page=1&page_size=10>; rel="first"`,
      `<${base}&page=9&page_size=10>; rel="prev"`,
      `<${base}&page=3&page_size=10>; rel="last"`,
    ]);
  });

  it('writes Link lines first, prev, last, next from the origin, the path without /api and the original query', async () => {
    const response = await h.api('GET', `/organizations?page_size=10&q=${listPrefix}&page=2`);
    const base = `${h.origin}/organizations`;
    expect(linkLines(response.headers)).toEqual([
      `<${base}?page_size=10&q=${listPrefix}&page=1>; rel="first"`,
      `<${base}?page_size=10&q=${listPrefix}&page=1>; rel="prev"`,
      `<${base}?page_size=10&q=${listPrefix}&page=3>; rel="last"`,
      `<${base}?page_size=10&q=${listPrefix}&page=3>; rel="next"`,
    ]);
  });

  it('appends page to the query when it was absent and omits page_size when not sent', async () => {
    const response = await h.api('GET', inList('org01'));
    expect(linkLines(response.headers)).toEqual([
      `<${h.origin}/organizations?q=${listPrefix}org01&page=1>; rel="first"`,
      `<${h.origin}/organizations?q=${listPrefix}org01&page=1>; rel="last"`,
    ]);
  });

  it('gives an empty result last=1', async () => {
    const response = await h.api('GET', `/organizations?q=${uniqueName('nothing')}`);
    expect(response.json).toEqual([]);
    expect(response.headers.get('total-number')).toBe('0');
    expect(linkLines(response.headers).at(-1)).toMatch(/page=1>; rel="last"$/);
  });

  it.each([
    ['page=0'],
    ['page=-1'],
    ['page=abc'],
    ['page_size=0'],
    ['page_size=101'],
    ['page_size=x'],
    ['page=1&page=2'],
  ])('rejects %s with 400 guard.invalid_pagination', async (query) => {
    const response = await h.api('GET', `/organizations?${query}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      code: 'guard.invalid_pagination',
      message: 'The request pagination value is invalid.',
    });
  });

  it('treats empty page values as absent and accepts page_size=100', async () => {
    expect((await h.api('GET', `${inList()}&page=&page_size=`)).json).toHaveLength(20);
    expect((await h.api('GET', `${inList()}&page_size=100`)).json).toHaveLength(LISTED);
  });

  it('searches id and name case-insensitively with unescaped wildcards', async () => {
    const seventh = listed[6] as Organization;
    const upper = await h.api<Organization[]>('GET', `/organizations?q=${seventh.name.toUpperCase()}`);
    expect(upper.json.map((o) => o.name)).toEqual([seventh.name]);
    const byId = await h.api<Organization[]>('GET', `/organizations?q=${seventh.id.slice(2, 9)}`);
    expect(byId.json.map((o) => o.id)).toContain(seventh.id);
    // `_` matches any one character, `%` any run: "org_1" finds org01, org11 and org21.
    const underscore = await h.api<Organization[]>('GET', inList('org_1'));
    expect(underscore.json.map((o) => o.name)).toEqual(
      ['org01', 'org11', 'org21'].map((n) => listPrefix + n),
    );
    const percent = await h.api<Organization[]>(
      'GET',
      `/organizations?q=${encodeURIComponent(`${listPrefix}org1%3`)}`,
    );
    expect(percent.json.map((o) => o.name)).toEqual([`${listPrefix}org13`]);
    const empty = await h.api('GET', '/organizations?q=&page_size=1');
    expect(Number(empty.headers.get('total-number'))).toBeGreaterThanOrEqual(LISTED);
  });

  it('rejects a repeated q with 400 guard.invalid_input', async () => {
    const response = await h.api('GET', '/organizations?q=a&q=b');
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('guard.invalid_input');
    expect(response.json.message).toBe('The request query is invalid.');
  });

  it('adds usersCount and up to 3 featuredUsers only with a truthy showFeatured', async () => {
    const { organizationId } = await createOrganizationWithMembers(h, [
      { label: 'f1', name: 'First' },
      { label: 'f2', name: 'Second' },
      { label: 'f3', name: 'Third' },
      { label: 'f4', name: 'Fourth' },
    ]);
    const featured = await h.api<Organization[]>(
      'GET',
      `/organizations?q=${organizationId}&showFeatured=YES`,
    );
    const withMembers = featured.json[0];
    expect(withMembers?.usersCount).toBe(4);
    expect(withMembers?.featuredUsers).toHaveLength(3);
    expect(Object.keys((withMembers?.featuredUsers as object[])[0] ?? {}).sort()).toEqual([
      'avatar',
      'id',
      'name',
    ]);
    const empty = (await h.api<Organization[]>('GET', `${inList('org02')}&showFeatured=1`)).json[0];
    expect(empty).toMatchObject({ usersCount: 0, featuredUsers: [] });
    const plain = (await h.api<Organization[]>('GET', `/organizations?q=${organizationId}&showFeatured=no`))
      .json[0];
    expect(plain).toBeDefined();
    expect(plain).not.toHaveProperty('usersCount');
    expect(plain).not.toHaveProperty('featuredUsers');
  });

  it('sends an ETag and answers a matching If-None-Match with 304', async () => {
    const first = await h.api('GET', `${inList()}&page_size=3`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/);
    // Node's fetch adds `Cache-Control: no-cache` to conditional requests, which (rightly) defeats
    // the 304, so this request goes through node:http(s).
    const second = await plainGet(`${h.apiUrl}${inList()}&page_size=3`, {
      authorization: `Bearer ${h.token}`,
      'if-none-match': etag ?? '',
    });
    expect(second.status).toBe(304);
    expect(second.body).toBe('');
    const changed = await plainGet(`${h.apiUrl}${inList()}&page_size=4`, {
      authorization: `Bearer ${h.token}`,
      'if-none-match': etag ?? '',
    });
    expect(changed.status).toBe(200);
  });
});

describe('POST /organizations', () => {
  it('creates an organization with a 12-character id and Logto defaults', async () => {
    const name = uniqueName('Created');
    const response = await h.api('POST', '/organizations', { name, id: 'ignored-id', unknownKey: 1 });
    h.deleteLater(`/organizations/${response.json.id as string}`);
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      tenantId: h.tenantId,
      id: expect.stringMatching(/^[0-9a-z]{12}$/),
      name,
      description: null,
      customData: {},
      isMfaRequired: false,
      color: {},
      branding: {},
      customCss: null,
      createdAt: expect.any(Number),
    });
    expect(Math.abs((response.json.createdAt as number) - Date.now())).toBeLessThan(60_000);
  });

  it('keeps every optional field and allows duplicate names', async () => {
    const name = uniqueName('Twin');
    const body = {
      name,
      description: 'A description',
      customData: { plan: 'gold', seats: 5 },
      isMfaRequired: true,
      color: { primaryColor: '#A1B2C3', isDarkModeEnabled: true, darkPrimaryColor: '#000' },
      branding: { logoUrl: 'https://example.com/logo.png', favicon: 'mock://favicon' },
      customCss: 'body { color: red; }',
    };
    const first = await h.api('POST', '/organizations', body);
    const second = await h.api('POST', '/organizations', { name });
    h.deleteLater(`/organizations/${first.json.id as string}`);
    h.deleteLater(`/organizations/${second.json.id as string}`);
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject(body);
    expect(second.status).toBe(201);
    expect(second.json.id).not.toBe(first.json.id);
  });

  it.each([
    [{}, 'name', 'invalid_type'],
    [{ name: '' }, 'name', 'too_small'],
    [{ name: 'x'.repeat(129) }, 'name', 'too_big'],
    [{ name: 'ok', description: 'x'.repeat(257) }, 'description', 'too_big'],
    [{ name: 'ok', customData: [] }, 'customData', 'invalid_type'],
    [{ name: 'ok', color: { primaryColor: 'red' } }, 'color.primaryColor', 'invalid_string'],
    [{ name: 'ok', branding: { logoUrl: 'not a url' } }, 'branding.logoUrl', 'invalid_string'],
  ])('rejects %j with 400 guard.invalid_input and details', async (body, path, issueCode) => {
    const response = await h.api('POST', '/organizations', body);
    if (response.status === 201) h.deleteLater(`/organizations/${response.json.id as string}`);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('guard.invalid_input');
    expect(response.json.message).toBe('The request body is invalid.');
    expect(response.json.data.name).toBe('ZodError');
    expect(response.json.details).toContain(`Error in key path "${path}": (${issueCode})`);
  });

  it('spells a missing field as zod 3 does', async () => {
    const response = await h.api('POST', '/organizations', {});
    expect(response.json.details).toBe(
      'Error in key path "name": (invalid_type) Expected string but received undefined.',
    );
  });

  it('answers malformed JSON with 400 and only a message', async () => {
    const response = await h.raw('/organizations', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['message']);
    expect(body.message).toEqual(expect.stringContaining('JSON'));
  });
});

describe('request bodies', () => {
  /** Posts a raw body; anything it unexpectedly creates is deleted after the test. */
  const post = async (body: string, contentType = 'application/json') => {
    const response = await h.raw('/organizations', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': contentType },
      body,
    });
    const text = await response.text();
    if (response.status === 201) h.deleteLater(`/organizations/${(JSON.parse(text) as { id: string }).id}`);
    return { status: response.status, text };
  };

  it('answers JSON that is not an object or array with 400 and a message, as malformed JSON', async () => {
    for (const scalar of ['"just a string"', '42', 'true']) {
      const response = await post(scalar);
      expect(response.status).toBe(400);
      expect(Object.keys(JSON.parse(response.text) as object)).toEqual(['message']);
    }
  });

  // Logto's error handler swallows koa-body's 413 without a response, leaving Koa's 404.
  it('answers a JSON body over 1 MB with plain 404', async () => {
    const huge = await post(
      JSON.stringify({ name: uniqueName('x'), customData: { blob: 'x'.repeat(1024 * 1024) } }),
    );
    expect(huge.status).toBe(404);
    expect(huge.text).toBe('Not Found');
  });

  it('parses a form-urlencoded body like JSON and accepts it', async () => {
    const name = uniqueName('form');
    const response = await post(
      `name=${encodeURIComponent(name)}&description=From+a+form`,
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(201);
    expect(JSON.parse(response.text)).toMatchObject({ name, description: 'From a form' });
  });

  it('refuses a body of another content type as invalid input', async () => {
    const response = await post(`name=${uniqueName('text')}`, 'text/plain');
    expect(response.status).toBe(400);
    expect((JSON.parse(response.text) as { code: string }).code).toBe('guard.invalid_input');
  });
});

describe('GET /organizations/:id', () => {
  it('returns the organization', async () => {
    const name = uniqueName('Read');
    const id = await createTestOrganization(h, name);
    const response = await h.api('GET', `/organizations/${id}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id, name, tenantId: h.tenantId });
  });

  it('answers an unknown id with 404 entity.not_exists_with_id', async () => {
    const response = await h.api('GET', '/organizations/unknown-org');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The organizations with ID `unknown-org` does not exist.',
    });
  });
});

describe('PATCH /organizations/:id', () => {
  it('updates given fields and replaces jsonb fields wholesale', async () => {
    const id = await createTestOrganization(h);
    await h.api('PATCH', `/organizations/${id}`, {
      customData: { a: 1, b: 2 },
      color: { primaryColor: '#111' },
    });
    const response = await h.api('PATCH', `/organizations/${id}`, {
      description: 'New description',
      customData: { c: 3 },
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      description: 'New description',
      customData: { c: 3 },
      color: { primaryColor: '#111' },
    });
    const cleared = await h.api('PATCH', `/organizations/${id}`, { description: null });
    expect(cleared.json.description).toBeNull();
  });

  it('answers an empty body with 422 entity.invalid_input', async () => {
    const id = await createTestOrganization(h);
    const response = await h.api('PATCH', `/organizations/${id}`, {});
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      code: 'entity.invalid_input',
      message: 'Invalid input. Value list must not be empty.',
    });
  });

  it('answers an unknown id with 404 entity.not_exists', async () => {
    const response = await h.api('PATCH', '/organizations/unknown-org', { name: 'x' });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ code: 'entity.not_exists', message: 'The organization does not exist.' });
  });

  it('validates the body', async () => {
    const id = await createTestOrganization(h);
    const response = await h.api('PATCH', `/organizations/${id}`, { name: '' });
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('guard.invalid_input');
  });
});

describe('DELETE /organizations/:id', () => {
  it('deletes the organization and cascades to memberships and invitations', async () => {
    const id = await createTestOrganization(h);
    const user = await createTestUser(h);
    await h.api('POST', `/organizations/${id}/users`, { userIds: [user.id] });
    const invitation = await h.api('POST', '/organization-invitations', {
      organizationId: id,
      invitee: `${uniqueName('inv')}@contract.example`,
      expiresAt: Date.now() + 60_000,
    });
    expect(invitation.status).toBe(201);
    h.deleteLater(`/organization-invitations/${invitation.json.id as string}`);

    const response = await h.api('DELETE', `/organizations/${id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await h.api('GET', `/organizations/${id}`)).status).toBe(404);
    expect((await h.api('GET', `/users/${user.id}/organizations`)).json).toEqual([]);
    expect((await h.api('GET', `/organization-invitations/${invitation.json.id as string}`)).status).toBe(
      404,
    );
  });

  it('answers an unknown id with 404 entity.not_found', async () => {
    const response = await h.api('DELETE', '/organizations/unknown-org');
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ code: 'entity.not_found', message: 'The resource does not exist.' });
  });
});

describe('routing and authentication', () => {
  it('answers unknown routes with plain 404 Not Found before authentication', async () => {
    const response = await h.raw('/no-such-route');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Not Found');
  });

  it('requires a bearer token on known routes', async () => {
    const missing = await h.raw('/organizations');
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { code: string }).code).toBe('auth.authorization_header_missing');
    const wrongType = await h.raw('/organizations', { headers: { authorization: 'Basic abc' } });
    expect(wrongType.status).toBe(401);
    expect(((await wrongType.json()) as { code: string }).code).toBe(
      'auth.authorization_token_type_not_supported',
    );
    const badToken = await h.raw('/organizations', { headers: { authorization: 'Bearer not-a-jwt' } });
    expect(badToken.status).toBe(401);
    expect(((await badToken.json()) as { code: string }).code).toBe('auth.unauthorized');
  });

  it('compresses an answer when the client accepts it compressed, as Logto does (koa-compress)', async () => {
    const path = `${inList()}&page_size=${LISTED}`;
    const headers = (encoding: string) => ({
      authorization: `Bearer ${h.token}`,
      'accept-encoding': encoding,
    });
    const compressed = await rawGet(`${h.apiUrl}${path}`, headers('gzip'));
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    const identity = await rawGet(`${h.apiUrl}${path}`, headers('identity'));
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(compressed.body).equals(identity.body)).toBe(true);
    expect(compressed.body.length).toBeLessThan(identity.body.length);
  });

  it('puts a Logto-Core-Request-Id on every answer', async () => {
    const response = await h.api('GET', '/organizations?page_size=1');
    expect(response.headers.get('logto-core-request-id')).toBeTruthy();
  });
});

function plainGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** A GET through node:http(s), which leaves the body as sent (fetch would decompress it). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const get = url.startsWith('https:') ? https.get : http.get;
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}
