import http from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createTestOrganization,
  linkLines,
  organizationIdByName,
  uniqueName,
  setUpContractHarness,
} from './harness';

const h = setUpContractHarness();

type Organization = { id: string; name: string; [key: string]: unknown };

describe('GET /organizations', () => {
  it('pages through all 43 seeded organizations with Total-Number and no overlap', async () => {
    const first = await h.api<Organization[]>('GET', '/organizations');
    expect(first.status).toBe(200);
    expect(first.json).toHaveLength(20);
    expect(first.headers.get('total-number')).toBe('43');

    const pageOfTwenty = await h.api<Organization[]>('GET', '/organizations?page=1&page_size=20');
    const secondOfTen = await h.api<Organization[]>('GET', '/organizations?page=2&page_size=10');
    expect(secondOfTen.json.map((o) => o.id)).toEqual(pageOfTwenty.json.slice(10, 20).map((o) => o.id));

    const seen = new Set<string>();
    for (let page = 1; page <= 5; page += 1) {
      const response = await h.api<Organization[]>('GET', `/organizations?page=${page}&page_size=10`);
      expect(response.headers.get('total-number')).toBe('43');
      for (const organization of response.json) {
        expect(seen.has(organization.id)).toBe(false);
        seen.add(organization.id);
      }
    }
    expect(seen.size).toBe(43);
  });

  it('keeps insertion order: Acme, Globex, Initech, then Org 01…', async () => {
    const response = await h.api<Organization[]>('GET', '/organizations?page_size=5');
    expect(response.json.map((o) => o.name)).toEqual(['Acme', 'Globex', 'Initech', 'Org 01', 'Org 02']);
  });

  it('answers a page past the end with 200 [] and the headers', async () => {
    const response = await h.api<Organization[]>('GET', '/organizations?page=10&page_size=10');
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(response.headers.get('total-number')).toBe('43');
    const base = `${h.emulator.url}/organizations`;
    expect(linkLines(response.headers)).toEqual([
      `<${base}?page=1&page_size=10>; rel="first"`,
      `<${base}?page=9&page_size=10>; rel="prev"`,
      `<${base}?page=5&page_size=10>; rel="last"`,
    ]);
  });

  it('writes Link lines first, prev, last, next from the origin, the path without /api and the original query', async () => {
    const response = await h.api('GET', '/organizations?page_size=10&q=o&page=2');
    const base = `${h.emulator.url}/organizations`;
    const total = Number(response.headers.get('total-number'));
    const last = Math.ceil(total / 10);
    expect(linkLines(response.headers)).toEqual([
      `<${base}?page_size=10&q=o&page=1>; rel="first"`,
      `<${base}?page_size=10&q=o&page=1>; rel="prev"`,
      `<${base}?page_size=10&q=o&page=${last}>; rel="last"`,
      `<${base}?page_size=10&q=o&page=3>; rel="next"`,
    ]);
  });

  it('appends page to the query when it was absent and omits page_size when not sent', async () => {
    const response = await h.api('GET', '/organizations?q=Acme');
    expect(linkLines(response.headers)).toEqual([
      `<${h.emulator.url}/organizations?q=Acme&page=1>; rel="first"`,
      `<${h.emulator.url}/organizations?q=Acme&page=1>; rel="last"`,
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
    expect((await h.api('GET', '/organizations?page=&page_size=')).json).toHaveLength(20);
    expect((await h.api('GET', '/organizations?page_size=100')).json).toHaveLength(43);
  });

  it('searches id and name case-insensitively with unescaped wildcards', async () => {
    const acmeId = await organizationIdByName(h, 'Acme');
    expect((await h.api<Organization[]>('GET', '/organizations?q=aCmE')).json.map((o) => o.name)).toEqual([
      'Acme',
    ]);
    expect(
      (await h.api<Organization[]>('GET', `/organizations?q=${acmeId.slice(2, 9)}`)).json.map((o) => o.id),
    ).toContain(acmeId);
    // `_` matches any one character, `%` any run: "Org _1" finds Org 01, 11, 21, 31.
    const underscore = await h.api<Organization[]>('GET', `/organizations?q=${encodeURIComponent('Org _1')}`);
    expect(underscore.json.map((o) => o.name)).toEqual(['Org 01', 'Org 11', 'Org 21', 'Org 31']);
    const percent = await h.api<Organization[]>(
      'GET',
      `/organizations?q=${encodeURIComponent('Glo%ex')}&page_size=100`,
    );
    expect(percent.json.map((o) => o.name)).toEqual(['Globex']);
    expect((await h.api('GET', '/organizations?q=')).headers.get('total-number')).toBe('43');
  });

  it('rejects a repeated q with 400 guard.invalid_input', async () => {
    const response = await h.api('GET', '/organizations?q=a&q=b');
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('guard.invalid_input');
    expect(response.json.message).toBe('The request query is invalid.');
  });

  it('adds usersCount and up to 3 featuredUsers only with a truthy showFeatured', async () => {
    const featured = await h.api<Organization[]>('GET', '/organizations?q=Acme&showFeatured=YES');
    const acme = featured.json[0];
    expect(acme?.usersCount).toBe(2500);
    expect(acme?.featuredUsers).toHaveLength(3);
    expect(Object.keys((acme?.featuredUsers as object[])[0] ?? {}).sort()).toEqual(['avatar', 'id', 'name']);
    const initech = (await h.api<Organization[]>('GET', '/organizations?q=Initech&showFeatured=1')).json[0];
    expect(initech?.usersCount).toBe(3);
    const plain = (await h.api<Organization[]>('GET', '/organizations?q=Acme&showFeatured=no')).json[0];
    expect(plain).not.toHaveProperty('usersCount');
    expect(plain).not.toHaveProperty('featuredUsers');
  });

  it('sends an ETag and answers a matching If-None-Match with 304', async () => {
    const first = await h.api('GET', '/organizations?page_size=3');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]+-[\w+/]{27}"$/);
    // Node's fetch adds `Cache-Control: no-cache` to conditional requests, which (rightly) defeats
    // the 304, so this request goes through node:http.
    const second = await plainGet(`${h.apiUrl}/organizations?page_size=3`, {
      authorization: `Bearer ${h.token}`,
      'if-none-match': etag ?? '',
    });
    expect(second.status).toBe(304);
    expect(second.body).toBe('');
    const changed = await plainGet(`${h.apiUrl}/organizations?page_size=4`, {
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
    h.deleteAfterTest(`/organizations/${response.json.id as string}`);
    expect(response.status).toBe(201);
    expect(response.json).toEqual({
      tenantId: 'default',
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
    h.deleteAfterTest(`/organizations/${first.json.id as string}`);
    h.deleteAfterTest(`/organizations/${second.json.id as string}`);
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
  const post = (body: string, contentType = 'application/json') =>
    h.raw('/organizations', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': contentType },
      body,
    });

  it('answers JSON that is not an object or array, and bodies over 1 MB, with plain 404 as Logto does', async () => {
    const scalar = await post('"just a string"');
    expect(scalar.status).toBe(404);
    expect(await scalar.text()).toBe('Not Found');
    const huge = await post(JSON.stringify({ name: 'x', customData: { blob: 'x'.repeat(1024 * 1024) } }));
    expect(huge.status).toBe(404);
  });

  it('treats a non-JSON content type as an empty body', async () => {
    const response = await post('name=Acme', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { details: string }).details).toContain('Error in key path "name"');
  });
});

describe('GET /organizations/:id', () => {
  it('returns the organization', async () => {
    const id = await organizationIdByName(h, 'Globex');
    const response = await h.api('GET', `/organizations/${id}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ id, name: 'Globex', tenantId: 'default' });
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
    const user = await h.api('POST', '/users', { primaryEmail: `${uniqueName('cascade')}@contract.example` });
    h.deleteAfterTest(`/users/${user.json.id as string}`);
    await h.api('POST', `/organizations/${id}/users`, { userIds: [user.json.id] });
    const invitation = await h.api('POST', '/organization-invitations', {
      organizationId: id,
      invitee: `${uniqueName('inv')}@contract.example`,
      expiresAt: Date.now() + 60_000,
    });
    expect(invitation.status).toBe(201);

    const response = await h.api('DELETE', `/organizations/${id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect((await h.api('GET', `/organizations/${id}`)).status).toBe(404);
    expect((await h.api('GET', `/users/${user.json.id as string}/organizations`)).json).toEqual([]);
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

  it('puts a Logto-Core-Request-Id on every answer', async () => {
    const response = await h.api('GET', '/organizations?page_size=1');
    expect(response.headers.get('logto-core-request-id')).toBeTruthy();
  });
});

function plainGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}
