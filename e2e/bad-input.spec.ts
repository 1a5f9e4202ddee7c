import type { APIRequestContext } from '@playwright/test';
import type { InvitationRecord } from '../scripts/bench/lib/logto-admin';
import {
  callAction,
  harnessLogto,
  portalCookieHeader,
  portalUrl,
  uniqueAddress,
} from '../test/hardening-helpers';
import { expect, organizationIdByName, storageStatePath, test } from './fixtures';

const PAGE_SIZES = [10, 20, 50, 100];
// A server error inside a rendered page travels as a Flight error row with a numeric digest
// (not-found and redirects carry NEXT_… digests); the browser then shows the error boundary.
const SERVER_ERROR_ROW = /E\{\\*"digest\\*":\\*"\d+/;

type MembersJson = { rows: unknown[]; total: number; page: number; pageSize: number };

/** URL garbage a hand-edited or malicious link can carry, as raw query strings. */
const HOSTILE_QUERIES = [
  'page=-1',
  'page=0',
  'page=abc',
  'page=1.5',
  'page=1e309',
  'page=99999999999999999999',
  'page=2&page=3',
  'page_size=1000000000',
  'page_size=-5',
  'page_size=abc',
  'page_size=0x10',
  `q=${encodeURIComponent('%')}`,
  `q=${encodeURIComponent('_')}`,
  `q=${encodeURIComponent("'; DROP TABLE users; --")}`,
  `q=${encodeURIComponent('"quoted"')}`,
  `q=${encodeURIComponent('back\\slash\\')}`,
  `q=${encodeURIComponent('% _ \' " \\')}`,
  `q=${'a'.repeat(10_000)}`,
  `q=${encodeURIComponent('日本語 한국어 Ünïcødé 🦄👩‍👩‍👧‍👦')}`,
  `q=${encodeURIComponent('\u0000\u202e\ufeff')}`,
  `q=%E0%A4%A`,
  'role=not-a-role',
  `role=${encodeURIComponent('<script>alert(1)</script>')}`,
  `role=${'r'.repeat(5_000)}`,
  'status=garbage',
];

/** What is wrong with a page answer, if anything: a 5xx, or a server error rendered into it. */
async function crashOf(context: APIRequestContext, path: string): Promise<string | null> {
  const response = await context.get(path);
  const body = await response.text();
  if (response.status() >= 500) return `${path.slice(0, 100)}: HTTP ${response.status()}`;
  if (SERVER_ERROR_ROW.test(body)) return `${path.slice(0, 100)}: a server error inside the page`;
  return null;
}

async function expectNoCrash(context: APIRequestContext, path: string): Promise<void> {
  expect(await crashOf(context, path)).toBeNull();
}

// The export ignores paging (it sends every match), so only its filters are worth attacking;
// one paging query shows the others are ignored rather than fatal.
const HOSTILE_EXPORT_QUERIES = HOSTILE_QUERIES.filter((query) => !query.startsWith('page'));

test.describe('hostile URLs on the members table, its CSV export and the roles page', () => {
  let acmeId: string;
  let context: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    acmeId = await organizationIdByName('Acme');
    context = await playwright.request.newContext({ baseURL, storageState: storageStatePath('alice') });
  });
  test.afterAll(async () => {
    await context.dispose();
  });

  test('the page answers every one with the table, clamped, never an error or outage page', async () => {
    const problems: string[] = [];
    for (const query of HOSTILE_QUERIES) {
      const path = `/orgs/${acmeId}/members?${query}`;
      const crash = await crashOf(context, path);
      if (crash) problems.push(crash);
      else if (!(await (await context.get(path)).text()).includes('<table')) {
        problems.push(`${query.slice(0, 60)}: no members table (outage or empty page instead)`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('the data route answers every one with a clamped page of JSON', async () => {
    const problems: string[] = [];
    for (const query of HOSTILE_QUERIES) {
      const label = query.slice(0, 60);
      const response = await context.get(`/api/orgs/${acmeId}/members?${query}`);
      if (response.status() !== 200) {
        problems.push(`${label}: HTTP ${response.status()} ${(await response.text()).slice(0, 120)}`);
        continue;
      }
      const page = (await response.json()) as MembersJson;
      const lastPage = Math.max(1, Math.ceil(page.total / page.pageSize));
      if (!PAGE_SIZES.includes(page.pageSize)) problems.push(`${label}: page size ${page.pageSize}`);
      if (page.page < 1 || page.page > lastPage) problems.push(`${label}: page ${page.page} of ${lastPage}`);
      if (page.rows.length > page.pageSize) problems.push(`${label}: ${page.rows.length} rows`);
    }
    expect(problems).toEqual([]);
  });

  test('what the browser shows for the worst of them', async ({ pageAs }) => {
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members?page=-1&page_size=1000000000`);
    await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();
    await page.goto(`/orgs/${acmeId}/members?q=${encodeURIComponent('% _ \' " \\ 🦄')}`);
    await expect(page.getByRole('table', { name: 'Members' })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Search members' })).toHaveValue('% _ \' " \\ 🦄');
    await expect(page.getByRole('heading', { name: 'Something went wrong' })).toHaveCount(0);
  });

  test('the export answers every one with a CSV that starts with its header', async () => {
    const problems: string[] = [];
    for (const query of [...HOSTILE_EXPORT_QUERIES, 'page=-1&page_size=1000000000']) {
      const label = query.slice(0, 60);
      const response = await context.get(`/api/orgs/${acmeId}/members/export?${query}`);
      const body = await response.text();
      if (response.status() !== 200) {
        problems.push(`${label}: HTTP ${response.status()} ${body.slice(0, 120)}`);
        continue;
      }
      if (!response.headers()['content-type']?.startsWith('text/csv')) {
        problems.push(`${label}: content type ${response.headers()['content-type']}`);
      }
      const [header] = body.replace(/^\uFEFF/, '').split('\r\n');
      if (header !== 'user_id,name,username,email,roles,last_sign_in_at')
        problems.push(`${label}: header ${header}`);
    }
    expect(problems).toEqual([]);
  });

  test('a search that matches nobody exports the header alone; one that matches exports only matches', async () => {
    const nobody = await context.get(
      `/api/orgs/${acmeId}/members/export?q=${encodeURIComponent('% _ \' " \\ 🦄')}`,
    );
    expect(nobody.status()).toBe(200);
    const nobodyLines = (await nobody.text()).split('\r\n').filter(Boolean);
    expect(nobodyLines).toHaveLength(1);

    const alice = await context.get(`/api/orgs/${acmeId}/members/export?q=alice%40acme.example`);
    const aliceLines = (await alice.text()).split('\r\n').filter(Boolean);
    expect(aliceLines.length).toBeGreaterThan(1);
    for (const line of aliceLines.slice(1)) expect(line).toContain('alice@acme.example');
  });

  test('the roles page ignores whatever the query string carries', async () => {
    const problems: string[] = [];
    for (const query of HOSTILE_QUERIES) {
      const path = `/orgs/${acmeId}/roles?${query}`;
      const crash = await crashOf(context, path);
      if (crash) problems.push(crash);
      else if (!(await (await context.get(path)).text()).includes('<table')) {
        problems.push(`${query.slice(0, 60)}: no roles table`);
      }
    }
    expect(problems).toEqual([]);
  });
});

test.describe('forged and foreign ids', () => {
  let acmeId: string;
  let globexId: string;
  let context: APIRequestContext;

  test.beforeAll(async ({ playwright, baseURL }) => {
    [acmeId, globexId] = await Promise.all([organizationIdByName('Acme'), organizationIdByName('Globex')]);
    context = await playwright.request.newContext({ baseURL, storageState: storageStatePath('alice') });
  });
  test.afterAll(async () => {
    await context.dispose();
  });

  const FORGED_ORGANIZATIONS = [
    '000000000000',
    'zzzzzzzzzzzz',
    'a'.repeat(300),
    encodeURIComponent('../../etc/passwd'),
    '%00',
    encodeURIComponent('ünï🦄'),
    encodeURIComponent('<script>'),
    encodeURIComponent("' OR '1'='1"),
  ];

  test('an organization that does not exist, or is someone else’s, is "not found" everywhere', async () => {
    for (const id of [...FORGED_ORGANIZATIONS, globexId]) {
      for (const tab of ['members', 'invitations', 'roles']) {
        const page = await context.get(`/orgs/${id}/${tab}`);
        expect(page.status(), `/orgs/${id.slice(0, 40)}/${tab}`).toBe(404);
        const body = await page.text();
        expect(body).toContain('Organization not found');
        expect(body).not.toContain('Globex');
      }
      for (const route of ['members?page=2', 'invitations?page=2', 'members/export']) {
        const api = await context.get(`/api/orgs/${id}/${route}`);
        expect(api.status(), `/api/orgs/${id.slice(0, 40)}/${route}`).toBe(404);
        expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    }
  });

  test('an invitation link with a forged id says so, without an error page', async () => {
    for (const id of ['doesnotexist000000000', 'x'.repeat(500), encodeURIComponent('../..'), '%00']) {
      await expectNoCrash(context, `/invitations/${id}`);
    }
    // Acme itself stays readable to its admin: the refusals above are about the ids, not alice.
    expect((await context.get(`/api/orgs/${acmeId}/members`)).status()).toBe(200);
  });
});

test.describe('tampered server-action payloads', () => {
  // Small organizations no other suite counts; the operator manages them without a role there.
  let orgId: string;
  let otherOrgId: string;
  let acmeId: string;
  let operatorCookie: string;
  let aliceCookie: string;
  let foreignInvitation: InvitationRecord;
  const created: string[] = [];

  test.beforeAll(async () => {
    [orgId, otherOrgId, acmeId] = await Promise.all([
      organizationIdByName('Org 38'),
      organizationIdByName('Org 39'),
      organizationIdByName('Acme'),
    ]);
    operatorCookie = portalCookieHeader(storageStatePath('operator'));
    aliceCookie = portalCookieHeader(storageStatePath('alice'));
    foreignInvitation = (await harnessLogto().send<InvitationRecord>(
      'POST',
      '/api/organization-invitations',
      {
        invitee: uniqueAddress('foreign'),
        organizationId: otherOrgId,
        expiresAt: Date.now() + 7 * 24 * 3600 * 1000,
        messagePayload: false,
      },
    ))!;
    created.push(foreignInvitation.id);
  });

  test.afterAll(async () => {
    for (const id of created) {
      await harnessLogto()
        .send('DELETE', `/api/organization-invitations/${id}`)
        .catch(() => undefined);
    }
  });

  const addresses: string[] = [];
  const address = (label: string) => {
    const email = uniqueAddress(label);
    addresses.push(email);
    return email;
  };

  /**
   * What Logto holds where these tests write: both small organizations in full (no other suite
   * touches them), and in Acme, which other suites change meanwhile, anything for our addresses.
   */
  async function snapshot() {
    const logto = harnessLogto();
    const [own, other, acme] = await Promise.all([
      logto.invitations(orgId),
      logto.invitations(otherOrgId),
      logto.invitations(acmeId),
    ]);
    return {
      own,
      other,
      acmeForOurAddresses: acme.filter((invitation) => addresses.includes(invitation.invitee)),
    };
  }

  const invite = (args: unknown[], cookie = operatorCookie) =>
    callAction('inviteMembersAction', { params: { orgId }, args, cookie });

  test('extra fields are ignored: the invitation goes where the session and the URL say', async () => {
    const email = address('extra-fields');
    const operatorId = await harnessLogto().userId('operator@example.com');
    const response = await invite([
      orgId,
      {
        emails: [email],
        roleIds: [],
        expiresInDays: 7,
        organizationId: otherOrgId,
        inviterId: 'forged-inviter',
        status: 'Accepted',
        messagePayload: { link: 'https://evil.example/phish' },
        actor: { userId: 'forged', isOperator: true },
      },
    ]);
    expect(response.outcome).toMatchObject({ ok: true });
    const mine = (await harnessLogto().invitations(orgId)).filter(
      (invitation) => invitation.invitee === email,
    );
    created.push(...mine.map((invitation) => invitation.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ organizationId: orgId, inviterId: operatorId, status: 'Pending' });
    expect(
      (await harnessLogto().invitations(otherOrgId)).some((invitation) => invitation.invitee === email),
    ).toBe(false);
    const mail = await harnessLogto().outbox(email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.link).toMatch(new RegExp(`^${portalUrl()}/invitations/`));
  });

  test('wrong types, missing arguments and huge arrays get a clear refusal, and change nothing', async () => {
    const before = await snapshot();
    const email = address('tampered');
    const cases: Array<[string, unknown[]]> = [
      ['emails as a number', [orgId, { emails: 5, roleIds: [], expiresInDays: 7 }]],
      ['emails as objects', [orgId, { emails: [{ toString: email }], roleIds: [], expiresInDays: 7 }]],
      ['roles as an object', [orgId, { emails: [email], roleIds: { admin: true }, expiresInDays: 7 }]],
      ['expiry as text', [orgId, { emails: [email], roleIds: [], expiresInDays: 'forever' }]],
      ['expiry out of the offered set', [orgId, { emails: [email], roleIds: [], expiresInDays: 36500 }]],
      ['no input', [orgId]],
      ['no arguments', []],
      ['input as null', [orgId, null]],
      ['input as an array', [orgId, [email]]],
      [
        '30,000 addresses',
        [
          orgId,
          {
            emails: Array.from({ length: 30_000 }, (_, i) => `u${i}@x.example`),
            roleIds: [],
            expiresInDays: 7,
          },
        ],
      ],
      [
        '10,000 role ids',
        [
          orgId,
          { emails: [email], roleIds: Array.from({ length: 10_000 }, (_, i) => `r${i}`), expiresInDays: 7 },
        ],
      ],
      [
        'a 100 kB address',
        [orgId, { emails: [`${'a'.repeat(100_000)}@x.example`], roleIds: [], expiresInDays: 7 }],
      ],
      [
        'forged role ids',
        [orgId, { emails: [email], roleIds: ['forged-role-0000000000'], expiresInDays: 7 }],
      ],
      ['organization id as a number', [12345, { emails: [email], roleIds: [], expiresInDays: 7 }]],
      ['organization id as an object', [{ id: orgId }, { emails: [email], roleIds: [], expiresInDays: 7 }]],
    ];
    for (const [label, args] of cases) {
      const response = await invite(args);
      expect(response.status, label).toBe(200);
      expect(response.outcome, label).toMatchObject({ ok: false });
      const error = response.outcome?.ok === false ? response.outcome.error : undefined;
      expect(['invalid_input', 'not_found'], `${label}: ${error?.code}`).toContain(error?.code);
      expect(error?.message.length, label).toBeGreaterThan(0);
    }
    const check = await callAction('checkInviteesAction', {
      params: { orgId },
      args: [orgId, { emails: Array.from({ length: 50_000 }, (_, i) => `c${i}@x.example`) }],
      cookie: operatorCookie,
    });
    expect(check.outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await snapshot()).toEqual(before);
  });

  test('a body over the size limit is refused before it reaches the action', async () => {
    const before = await snapshot();
    // The limit is 4 MB (next.config.js), so that a bulk invitation of 10,000 addresses fits.
    const response = await invite([
      orgId,
      { emails: [`${'b'.repeat(4_300_000)}@x.example`], roleIds: [], expiresInDays: 7 },
    ]);
    expect(response.outcome).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  test('another organization’s ids: not found, and the invitation stays as it was', async () => {
    const before = await snapshot();
    const email = address('foreign-org');
    // alice administers Acme only.
    const cases = [
      callAction('inviteMembersAction', {
        params: { orgId: otherOrgId },
        args: [otherOrgId, { emails: [email], roleIds: [], expiresInDays: 7 }],
        cookie: aliceCookie,
      }),
      // A foreign invitation id under her own organization…
      callAction('revokeInvitationAction', {
        params: { orgId: acmeId },
        args: [acmeId, { invitationId: foreignInvitation.id }],
        cookie: aliceCookie,
      }),
      callAction('resendInvitationAction', {
        params: { orgId: acmeId },
        args: [acmeId, { invitationId: foreignInvitation.id }],
        cookie: aliceCookie,
      }),
      // …and under its own organization, which she cannot manage.
      callAction('revokeInvitationAction', {
        params: { orgId: otherOrgId },
        args: [otherOrgId, { invitationId: foreignInvitation.id }],
        cookie: aliceCookie,
      }),
      // Accepting someone else's invitation.
      callAction('acceptInvitationAction', {
        params: { id: foreignInvitation.id },
        args: [{ invitationId: foreignInvitation.id }],
        cookie: aliceCookie,
      }),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response.status).toBe(200);
      expect(response.outcome).toMatchObject({ ok: false });
      const code = response.outcome?.ok === false ? response.outcome.error.code : undefined;
      expect(['not_found', 'forbidden']).toContain(code);
    }
    expect(await snapshot()).toEqual(before);
    expect(await harnessLogto().outbox(foreignInvitation.invitee)).toEqual([]);
  });

  test('forged invitation ids are "not found" for every invitation action', async () => {
    const before = await snapshot();
    for (const invitationId of [
      'doesnotexist000000000',
      'x'.repeat(65),
      '../../organizations',
      '',
      42,
      null,
    ]) {
      for (const name of ['revokeInvitationAction', 'resendInvitationAction']) {
        const response = await callAction(name, {
          params: { orgId },
          args: [orgId, { invitationId }],
          cookie: operatorCookie,
        });
        expect(response.outcome, `${name}(${String(invitationId).slice(0, 20)})`).toMatchObject({
          ok: false,
        });
      }
      const accept = await callAction('acceptInvitationAction', {
        params: { id: 'forged' },
        args: [{ invitationId }],
        cookie: aliceCookie,
      });
      expect(accept.outcome, `accept(${String(invitationId).slice(0, 20)})`).toMatchObject({ ok: false });
    }
    expect(await snapshot()).toEqual(before);
  });
});

const REFUSAL_CODES = ['invalid_input', 'not_found', 'not_a_member', 'forbidden'];

test.describe('forged and foreign ids in member and organization actions', () => {
  // Org 38 is written to by the operator (who manages every organization); Org 39 lends a member
  // who belongs nowhere else the tests look. Neither is counted by any other suite.
  let orgId: string;
  let acmeId: string;
  let foreignUser: { id: string; primaryEmail: string };
  let operatorCookie: string;
  let aliceCookie: string;

  type MemberRecord = { id: string; primaryEmail: string | null; organizationRoles: { id: string }[] };

  test.beforeAll(async () => {
    const [own, other] = await Promise.all([organizationIdByName('Org 38'), organizationIdByName('Org 39')]);
    orgId = own;
    acmeId = await organizationIdByName('Acme');
    operatorCookie = portalCookieHeader(storageStatePath('operator'));
    aliceCookie = portalCookieHeader(storageStatePath('alice'));
    const ownIds = new Set((await membersOf(orgId)).map((member) => member.id));
    const candidate = (await membersOf(other)).find(
      (member) => !ownIds.has(member.id) && member.primaryEmail,
    );
    if (!candidate?.primaryEmail) throw new Error('Org 39 has no member outside Org 38');
    foreignUser = { id: candidate.id, primaryEmail: candidate.primaryEmail };
  });

  async function membersOf(id: string): Promise<MemberRecord[]> {
    return (await harnessLogto().api<MemberRecord[]>(`/api/organizations/${id}/users?page_size=100`)).data;
  }

  /** Org 38's members with their roles, the tenant's organization count, and where the foreign user is. */
  async function snapshot() {
    const logto = harnessLogto();
    const [members, organizations, inAcme] = await Promise.all([
      membersOf(orgId),
      logto
        .apiResponse('/api/organizations?page_size=1')
        .then((response) => response.headers.get('total-number')),
      logto.api<unknown[]>(
        `/api/organizations/${acmeId}/users?q=${encodeURIComponent(foreignUser.primaryEmail)}`,
      ),
    ]);
    return {
      members: members.map((member) => ({
        id: member.id,
        roles: member.organizationRoles.map((role) => role.id).sort(),
      })),
      organizations,
      foreignUserInAcme: inAcme.data.length,
    };
  }

  /**
   * Refused as a whole (`ok: false` with a clear code), or, for the bulk actions that answer per
   * person, accepted with every person reported as failed and nobody changed.
   */
  function expectRefused(response: { status: number; outcome: unknown }, label: string) {
    expect(response.status, label).toBe(200);
    const outcome = response.outcome as
      | { ok: false; error: { code: string } }
      | { ok: true; data: { succeeded?: unknown[]; failed?: Array<{ reason: string }> } }
      | undefined;
    expect(outcome, `${label}: an action result`).toBeTruthy();
    if (outcome!.ok) {
      expect(outcome!.data.succeeded, `${label}: nobody changed`).toEqual([]);
      expect(outcome!.data.failed?.length, `${label}: everyone reported`).toBeGreaterThan(0);
      for (const failure of outcome!.data.failed ?? [])
        expect(REFUSAL_CODES, label).toContain(failure.reason);
      return;
    }
    expect(REFUSAL_CODES, `${label}: ${outcome!.error.code}`).toContain(outcome!.error.code);
  }

  test('forged, foreign and malformed user and role ids change nothing', async () => {
    const before = await snapshot();
    const member = before.members[0];
    expect(member, 'Org 38 has members').toBeTruthy();
    const forgedUsers: unknown[] = [
      'doesnotexist',
      'x'.repeat(65),
      '../../users',
      '',
      42,
      null,
      { id: member!.id },
      foreignUser.id,
    ];
    const cases: Array<[string, string, unknown]> = [];
    for (const userId of forgedUsers) {
      const label = JSON.stringify(userId)?.slice(0, 30);
      cases.push([`change roles of ${label}`, 'changeMemberRolesAction', { userId, roleIds: [] }]);
      cases.push([`remove ${label}`, 'removeMemberAction', { userId }]);
      cases.push([`bulk remove ${label}`, 'bulkRemoveMembersAction', { userIds: [userId] }]);
      cases.push([
        `bulk assign to ${label}`,
        'bulkAssignRoleAction',
        { userIds: [userId], roleId: 'forged-role' },
      ]);
    }
    cases.push([
      'forged role ids',
      'changeMemberRolesAction',
      { userId: member!.id, roleIds: ['forged-role-0000000000'] },
    ]);
    cases.push([
      'role ids as an object',
      'changeMemberRolesAction',
      { userId: member!.id, roleIds: { admin: true } },
    ]);
    cases.push([
      '10,000 users to remove',
      'bulkRemoveMembersAction',
      { userIds: Array.from({ length: 10_000 }, (_, i) => `u${i}`) },
    ]);
    cases.push(['no users to remove', 'bulkRemoveMembersAction', { userIds: [] }]);
    cases.push(['add forged users', 'addMembersAction', { userIds: ['doesnotexist'], roleIds: [] }]);
    cases.push([
      'add with forged roles',
      'addMembersAction',
      { userIds: [foreignUser.id], roleIds: ['forged-role'] },
    ]);

    for (const [label, name, input] of cases) {
      expectRefused(
        await callAction(name, { params: { orgId }, args: [orgId, input], cookie: operatorCookie }),
        label,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  test('another organization’s member cannot be reached through Acme, nor pulled into it', async () => {
    const before = await snapshot();
    for (const [name, input] of [
      ['changeMemberRolesAction', { userId: foreignUser.id, roleIds: [] }],
      ['removeMemberAction', { userId: foreignUser.id }],
      ['bulkRemoveMembersAction', { userIds: [foreignUser.id] }],
      // Only operators may add existing users; alice is Acme's admin, not an operator.
      ['addMembersAction', { userIds: [foreignUser.id], roleIds: [] }],
    ] as const) {
      expectRefused(
        await callAction(name, { params: { orgId: acmeId }, args: [acmeId, input], cookie: aliceCookie }),
        name,
      );
    }
    // Alice administers Acme only: Org 38's members are out of her reach entirely.
    expectRefused(
      await callAction('removeMemberAction', {
        params: { orgId },
        args: [orgId, { userId: before.members[0]!.id }],
        cookie: aliceCookie,
      }),
      'alice removing from Org 38',
    );
    expect(await snapshot()).toEqual(before);
  });

  test('creating an organization: tampered input and non-operators are refused, nothing is created', async () => {
    const before = await snapshot();
    const cases: Array<[string, string, unknown]> = [
      ['a 10,000-character name', operatorCookie, { name: 'n'.repeat(10_000) }],
      ['a name of spaces', operatorCookie, { name: '   ' }],
      ['a name as an object', operatorCookie, { name: { toString: 'x' } }],
      ['no input', operatorCookie, undefined],
      ['a tenant admin', aliceCookie, { name: `Hardening ${Date.now()}` }],
    ];
    for (const [label, cookie, input] of cases) {
      expectRefused(
        await callAction('createOrganizationAction', {
          params: {},
          pagePath: '/orgs',
          args: input === undefined ? [] : [input],
          cookie,
        }),
        label,
      );
    }
    expect(await snapshot()).toEqual(before);
  });
});
