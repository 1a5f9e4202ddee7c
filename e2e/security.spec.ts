import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { APIResponse } from '@playwright/test';
import { signInOverHttp } from '../scripts/bench/lib/http-session';
import { LogtoAdmin } from '../scripts/bench/lib/logto-admin';
import { findSecrets, type SecretFinding } from '../scripts/bench/lib/secrets';
import { SEED_APPS, type Stack, startStack } from '../scripts/bench/lib/stack';
import { actionPagePath } from '../scripts/bench/lib/server-actions';
import {
  type ActionOutcome,
  buildActions,
  callAction,
  constantFromSource,
  harnessLogto,
  HARNESS_PROJECT_DIR,
  portalCookieHeader,
  portalUrl,
  uniqueAddress,
} from '../test/hardening-helpers';
import { expect, organizationIdByName, storageStatePath, test, type PortalUser } from './fixtures';
import { createInvitation, deleteInvitation, organizationRoleIds } from './support/logto-api';
import { callServerAction, type ServerActionAnswer } from './support/server-actions';

/** Every secret value the build or a page could leak, named for the report. */
function knownSecrets() {
  return [
    { name: 'LOGTO_M2M_APP_SECRET', value: SEED_APPS.m2mAppSecret },
    { name: 'LOGTO_APP_SECRET', value: SEED_APPS.webAppSecret },
    {
      name: 'NEXTAUTH_SECRET of the harness',
      value: constantFromSource('scripts/serve-for-tests.ts', /NEXTAUTH_SECRET:\s*'([^']+)'/),
    },
    {
      name: 'the dev-only NEXTAUTH_SECRET default',
      value: constantFromSource('lib/config.ts', /DEV_ONLY_NEXTAUTH_SECRET\s*=\s*'([^']+)'/),
    },
  ];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const describeFindings = (findings: SecretFinding[]) =>
  findings.map((finding) => `${finding.secret} in ${finding.where}: ${finding.excerpt}`);

test.describe('secrets never reach the browser', () => {
  test('the client bundles hold no secret, no token and no token-fetching code', () => {
    const staticDir = join(HARNESS_PROJECT_DIR, '.next', 'static');
    const files = filesUnder(staticDir);
    expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(5);
    const secrets = [
      ...knownSecrets(),
      // The grant only the server-only token cache sends; in a bundle it means server code leaked.
      { name: 'the M2M token request (client_credentials)', value: 'client_credentials' },
    ];
    const findings = files.flatMap((file) =>
      findSecrets(readFileSync(file, 'utf8'), file.slice(staticDir.length + 1), secrets),
    );
    expect(describeFindings(findings)).toEqual([]);
  });

  test('no page, RSC payload or JSON answer carries a secret or a signed token', async ({
    playwright,
    baseURL,
  }) => {
    const acmeId = await organizationIdByName('Acme');
    const globexId = await organizationIdByName('Globex');
    // A pending invitation of its own, so the invitee's page is always among the pages scanned.
    const pending = await createInvitation({
      organizationId: acmeId,
      invitee: uniqueAddress('scanned'),
      roleIds: [],
    });

    const visits: Array<{ user: PortalUser | null; paths: string[] }> = [
      { user: null, paths: ['/sign-in', '/api/auth/csrf', '/api/auth/providers', '/api/auth/session'] },
      {
        user: 'alice',
        paths: [
          '/orgs',
          `/orgs/${acmeId}/members`,
          `/orgs/${acmeId}/members?page=3&q=a`,
          `/orgs/${acmeId}/invitations`,
          `/invitations/${pending.id}`,
          `/orgs/${globexId}/members`,
          '/no-such-page',
          `/api/orgs/${acmeId}/members?page=2`,
          `/api/orgs/${acmeId}/invitations?status=all`,
          '/api/orgs?q=a',
          '/api/auth/session',
        ],
      },
      {
        user: 'operator',
        paths: ['/orgs', '/api/orgs?page=2', `/orgs/${globexId}/members`, `/orgs/${globexId}/invitations`],
      },
      { user: 'carol', paths: ['/orgs', `/orgs/${acmeId}/members`] },
    ];

    const findings: SecretFinding[] = [];
    let scanned = 0;
    try {
      for (const { user, paths } of visits) {
        const context = await playwright.request.newContext({
          baseURL,
          storageState: user ? storageStatePath(user) : undefined,
        });
        try {
          for (const path of paths) {
            // The HTML, and the RSC payload a client-side navigation would fetch instead.
            const answers: Array<[string, APIResponse]> = [
              [path, await context.get(path, { maxRedirects: 0 })],
            ];
            if (!path.startsWith('/api/')) {
              answers.push([
                `${path} (RSC)`,
                await context.get(path, { headers: { RSC: '1' }, maxRedirects: 0 }),
              ]);
            }
            for (const [where, response] of answers) {
              expect(response.status(), `${where} as ${user ?? 'nobody'}`).toBeLessThan(500);
              findings.push(
                ...findSecrets(await response.text(), `${where} as ${user ?? 'nobody'}`, knownSecrets()),
              );
              scanned += 1;
            }
          }
        } finally {
          await context.dispose();
        }
      }
    } finally {
      await deleteInvitation(pending.id);
    }
    expect(scanned).toBeGreaterThan(20);
    expect(describeFindings(findings)).toEqual([]);
  });
});

test.describe('headers and cookies', () => {
  test('every kind of answer carries the security headers', async ({ playwright, baseURL }) => {
    const acmeId = await organizationIdByName('Acme');
    const context = await playwright.request.newContext({ baseURL, storageState: storageStatePath('alice') });
    try {
      for (const path of [
        '/sign-in',
        '/orgs',
        `/orgs/${acmeId}/members`,
        '/no-such-page',
        `/api/orgs/${acmeId}/members`,
      ]) {
        const response = await context.get(path, { maxRedirects: 0 });
        const headers = response.headers();
        const csp = headers['content-security-policy'] ?? '';
        expect(csp, `CSP of ${path}`).toContain("frame-ancestors 'none'");
        // Pages load their own scripts and styles; data routes answer JSON and allow nothing.
        const defaultSource = path.startsWith('/api/') ? "default-src 'none'" : "default-src 'self'";
        expect(csp, `CSP of ${path}`).toContain(defaultSource);
        expect(csp, `production CSP of ${path} allows no eval`).not.toContain('unsafe-eval');
        expect(headers['referrer-policy'], `Referrer-Policy of ${path}`).toBeTruthy();
        expect(headers['x-content-type-options'], `X-Content-Type-Options of ${path}`).toBe('nosniff');
        expect(headers['x-powered-by'], `X-Powered-By of ${path}`).toBeUndefined();
      }
    } finally {
      await context.dispose();
    }
  });

  test('the session cookie is HttpOnly and SameSite=Lax', () => {
    const state = JSON.parse(readFileSync(storageStatePath('alice'), 'utf8')) as {
      cookies: { name: string; httpOnly: boolean; sameSite: string; domain: string }[];
    };
    const portalCookies = state.cookies.filter((cookie) => cookie.domain === 'localhost');
    const session = portalCookies.find((cookie) => cookie.name.endsWith('next-auth.session-token'));
    expect(session, 'a next-auth session cookie').toBeTruthy();
    for (const cookie of portalCookies.filter((candidate) => candidate.name.includes('next-auth'))) {
      expect(cookie, cookie.name).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    }
  });
});

/** How a server action call without a valid session was turned away. */
function refusalOf(answer: ServerActionAnswer): string {
  if (answer.redirectedTo !== null) {
    const target = new URL(answer.redirectedTo, portalUrl());
    return target.pathname === '/sign-in' ? 'sent to sign-in' : `redirected to ${target.pathname}`;
  }
  const outcome = answer.result as ActionOutcome | undefined;
  if (outcome) {
    return !outcome.ok && outcome.error.code === 'unauthenticated'
      ? 'unauthenticated'
      : `the action answered ${JSON.stringify(outcome)}`;
  }
  // No React Flight payload at all: something other than the action answered.
  if (answer.status < 500 && !/^0:/m.test(answer.body)) return 'not run';
  return `HTTP ${answer.status}: ${answer.body.slice(0, 160)}`;
}

/** The pages proxy.ts sends signed-out visitors away from (the ones server actions live on). */
const isBehindProxy = (page: string) => /^\/orgs(\/|$)/.test(page);

/**
 * How a call without a session must end, by where it is posted. On its own page: proxy.ts sends
 * the caller to sign-in before anything runs, or (the invitee's page, which proxy.ts leaves open)
 * the action answers `unauthenticated`. On another page, Next forwards the call to the action's
 * own page, so the same holds there, except that a forward turned away by proxy.ts comes back as
 * an empty answer. A route handler answers for itself: actions run on pages only.
 */
function expectedRefusal(ownPage: string, page: string): string {
  if (page.startsWith('/api/')) return 'not run';
  if (!isBehindProxy(ownPage)) return 'unauthenticated';
  return page === ownPage ? 'sent to sign-in' : 'not run';
}

test.describe('requests from elsewhere are refused', () => {
  let orgId: string;
  let operatorCookie: string;

  test.beforeAll(async () => {
    // A small organization no other suite counts: a write that slipped through would show here only.
    orgId = await organizationIdByName('Org 37');
    operatorCookie = portalCookieHeader(storageStatePath('operator'));
  });

  test('a server action posted from another origin does not run', async () => {
    const before = await harnessLogto().invitations(orgId);
    for (const origin of ['http://evil.example', 'null']) {
      const email = uniqueAddress('cross-origin');
      const response = await callAction('inviteMembersAction', {
        params: { orgId },
        args: [orgId, { emails: [email], roleIds: [], expiresInDays: 7 }],
        cookie: operatorCookie,
        origin,
      });
      expect(response.outcome, `origin ${origin}: no action result`).toBeUndefined();
      expect(response.status, `origin ${origin}`).not.toBe(200);
    }
    expect(await harnessLogto().invitations(orgId)).toEqual(before);
  });

  test('next-auth refuses to start a sign-in without its CSRF token', async () => {
    const response = await fetch(`${portalUrl()}/api/auth/signin/logto`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: portalUrl() },
      body: new URLSearchParams({ callbackUrl: `${portalUrl()}/orgs` }).toString(),
      redirect: 'manual',
    });
    const location = response.headers.get('location') ?? '';
    expect(response.status).toBeLessThan(500);
    expect(location, 'no redirect to Logto without a CSRF token').not.toContain('/oidc/auth');
    expect(location).toMatch(/csrf=true|error=/);
  });

  test('sign-out refuses other origins and keeps the session', async () => {
    const cookie = portalCookieHeader(storageStatePath('alice'));
    const response = await fetch(`${portalUrl()}/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example' },
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().filter((line) => line.includes('session-token'))).toEqual([]);
    const session = await fetch(`${portalUrl()}/api/auth/session`, { headers: { cookie } });
    expect(((await session.json()) as { user?: { email?: string } }).user?.email).toBe('alice@acme.example');
  });

  test('every server action refuses a request without a valid session, wherever it is posted', async ({
    playwright,
  }) => {
    const actions = buildActions();
    expect(actions.length, 'the build registers server actions').toBeGreaterThan(0);
    const logto = harnessLogto();
    const membersOf = async () =>
      (await logto.api<{ id: string }[]>(`/api/organizations/${orgId}/users?page_size=100`)).data.map(
        (member) => member.id,
      );
    const organizationCount = async () =>
      (await logto.apiResponse('/api/organizations?page_size=1')).headers.get('total-number');
    // A pending invitation of this organization, so the invitation actions get a real target.
    const invitation = await createInvitation({
      organizationId: orgId,
      invitee: uniqueAddress('signed-out-target'),
      roleIds: [],
    });
    const callers = {
      'no cookie': await playwright.request.newContext({
        baseURL: portalUrl(),
        storageState: { cookies: [], origins: [] },
      }),
      'forged cookie': await playwright.request.newContext({
        baseURL: portalUrl(),
        storageState: {
          cookies: [
            {
              name: 'next-auth.session-token',
              value: 'forged.value.here',
              domain: 'localhost',
              path: '/',
              expires: -1,
              httpOnly: true,
              secure: false,
              sameSite: 'Lax',
            },
          ],
          origins: [],
        },
      }),
    };
    try {
      const before = {
        invitations: await logto.invitations(orgId),
        members: await membersOf(),
        organizations: await organizationCount(),
      };
      expect(before.members.length, 'the seed gives every small organization members').toBeGreaterThan(0);
      // Input each action would accept from a signed-in admin, so only the missing session stops it.
      const input = {
        emails: [uniqueAddress('signed-out')],
        roleIds: [],
        expiresInDays: 7,
        invitationId: invitation.id,
        userId: before.members[0],
        userIds: before.members,
        roleId: (await organizationRoleIds()).member,
        name: `Signed-out ${Date.now()}`,
        // Bulk jobs: a role job over the members, and a job id for cancel and retry.
        kind: 'assign_role',
        jobId: randomUUID(),
      };
      const argsFor = (action: { exportedName: string; filename: string }): unknown[] =>
        action.filename.includes('[orgId]') ? [orgId, input] : [input];

      for (const action of actions) {
        const ownPage = actionPagePath(action, { orgId, id: invitation.id, jobId: input.jobId });
        for (const [callerName, caller] of Object.entries(callers)) {
          // Posted to its own page, and to paths the sign-in redirect in proxy.ts does not cover.
          for (const page of [ownPage, '/sign-in', '/api/auth/session']) {
            const answer = await callServerAction(caller, {
              page,
              actionName: action.exportedName,
              file: action.filename,
              args: argsFor(action),
            });
            const where = `${action.filename}#${action.exportedName} at ${page} (${callerName})`;
            expect(refusalOf(answer), where).toBe(expectedRefusal(ownPage, page));
          }
        }
      }
      expect(await logto.invitations(orgId)).toEqual(before.invitations);
      expect(await membersOf()).toEqual(before.members);
      expect(await organizationCount()).toBe(before.organizations);
    } finally {
      for (const caller of Object.values(callers)) await caller.dispose();
      await deleteInvitation(invitation.id);
    }
  });
});

test.describe('a portal of its own: production cookies on https, and its logs', () => {
  test.describe.configure({ timeout: 180_000 });
  let stack: Stack;
  let logto: LogtoAdmin;
  const nextAuthSecret = `hardening-${Date.now()}-not-for-production-0123456789`;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    // next-auth decides on `__Secure-` cookies from NEXTAUTH_URL, as it would behind TLS.
    stack = await startStack({
      projectDir: HARNESS_PROJECT_DIR,
      nextAuthSecret,
      nextAuthUrl: (port) => `https://localhost:${port}`,
    });
    logto = new LogtoAdmin(stack.logtoUrl);
  });

  test.afterAll(async () => {
    await stack?.close();
  });

  test('cookies are Secure, HttpOnly and SameSite=Lax, and nothing secret is ever logged', async () => {
    const session = await signInOverHttp(stack.portalUrl, 'alice@acme.example', {
      publicUrl: stack.publicUrl,
    });
    const sessionCookie = session.portalSetCookies.find((line) =>
      line.startsWith('__Secure-next-auth.session-token='),
    );
    expect(
      sessionCookie,
      `session cookie among ${session.portalSetCookies.map((line) => line.split('=')[0]).join(', ')}`,
    ).toBeTruthy();
    expect(sessionCookie).toMatch(/;\s*HttpOnly/i);
    expect(sessionCookie).toMatch(/;\s*Secure/i);
    expect(sessionCookie).toMatch(/;\s*SameSite=Lax/i);
    for (const line of session.portalSetCookies.filter((candidate) =>
      /next-auth/.test(candidate.split('=')[0]!),
    )) {
      expect(line, line.split('=')[0]).toMatch(/;\s*Secure/i);
    }

    // Drive the portal through its failure paths, which are the ones that log.
    const acmeId = await logto.organizationId('Acme');
    const get = async (path: string) => {
      const response = await fetch(`${stack.portalUrl}${path}`, { headers: { cookie: session.cookie } });
      await response.arrayBuffer();
      return response.status;
    };
    expect(await get(`/orgs/${acmeId}/members`)).toBe(200);
    expect(await get(`/api/orgs/${acmeId}/members?page=2`)).toBe(200);
    await logto.setFaults({ failRate: { ratio: 1, status: 500 } });
    expect(await get(`/api/orgs/${acmeId}/members?page=3`)).toBe(503);
    expect(await get(`/orgs/${acmeId}/members?page=3`)).toBe(200);
    await logto.setFaults({ tokenEndpointDown: true, failNext: { count: 4, status: 401 } });
    expect(await get(`/api/orgs/${acmeId}/members?page=4`)).toBe(503);
    expect(await get(`/orgs/${acmeId}/invitations`)).toBe(200);
    await logto.clearFaults();
    expect(await get(`/api/orgs/${acmeId}/members?page=5`)).toBe(200);

    const logs = stack.logs();
    expect(logs, 'the failures above were logged (so the scan has something to read)').toMatch(
      /\[(route|page)/,
    );
    const findings = findSecrets(logs, 'the server log', [
      { name: 'LOGTO_M2M_APP_SECRET', value: SEED_APPS.m2mAppSecret },
      { name: 'LOGTO_APP_SECRET', value: SEED_APPS.webAppSecret },
      { name: 'NEXTAUTH_SECRET', value: nextAuthSecret },
    ]);
    expect(describeFindings(findings)).toEqual([]);
  });
});
