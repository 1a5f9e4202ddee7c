import type { Locator, Page } from '@playwright/test';
import {
  type ActionOutcome,
  callAction,
  harnessLogto,
  portalCookieHeader,
  portalUrl,
  uniqueAddress,
} from '../test/hardening-helpers';
import { expect, organizationIdByName, storageStatePath, test } from './fixtures';

// Faults change the one local Logto everybody shares: this file runs in its own project after
// the others (playwright.config.ts), one test at a time, and every test clears what it set.
test.describe.configure({ mode: 'serial' });

const OUTAGE_TITLE = 'Logto is not responding';
const UPSTREAM_MESSAGE = 'Logto is not responding right now. Please try again in a moment.';

type InviteData = { results: Array<{ email: string; outcome: string; reason?: string }>; emailSent: boolean };

let acmeId: string;
let aliceCookie: string;
const createdInvitations: string[] = [];

test.beforeAll(async () => {
  await harnessLogto().clearFaults();
  acmeId = await organizationIdByName('Acme');
  aliceCookie = portalCookieHeader(storageStatePath('alice'));
});

test.afterEach(async () => {
  await harnessLogto().clearFaults();
  for (const id of createdInvitations.splice(0)) {
    await harnessLogto()
      .send('DELETE', `/api/organization-invitations/${id}`)
      .catch(() => undefined);
  }
});

function membersTable(page: Page) {
  return page.getByRole('table', { name: 'Members' });
}

/**
 * With every Logto call failing, a flip back to a page the browser never loaded shows the failure
 * in the table with the pager still on that page (`pagerText`); once Logto is back, "Try again"
 * fills `table` with a full page of 20 rows.
 */
async function failedFlipBackRecovers(page: Page, table: Locator, pagerText: string | RegExp) {
  await harnessLogto().setFaults({ failRate: { ratio: 1, status: 500 } });
  await page
    .getByRole('navigation', { name: 'Pagination' })
    .getByRole('link', { name: 'Previous page' })
    .click();
  await expect(page.getByText('This list could not be loaded')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(UPSTREAM_MESSAGE)).toBeVisible();
  await expect(page.getByText(pagerText)).toBeVisible();

  await harnessLogto().clearFaults();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('This list could not be loaded')).toHaveCount(0);
  await expect(table.locator('tbody tr')).toHaveCount(20);
}

function firstRowText(page: Page): Promise<string> {
  return membersTable(page).locator('tbody tr').first().innerText();
}

/** Pending invitations Logto holds for `email` in Acme; they are deleted after the test. */
async function pendingInvitationsFor(email: string) {
  const invitations = (await harnessLogto().invitations(acmeId)).filter(
    (invitation) => invitation.invitee === email && invitation.status === 'Pending',
  );
  createdInvitations.push(...invitations.map((invitation) => invitation.id));
  return invitations;
}

function invite(emails: string[]) {
  return callAction('inviteMembersAction', {
    params: { orgId: acmeId },
    args: [acmeId, { emails, roleIds: [], expiresInDays: 7 }],
    cookie: aliceCookie,
  });
}

function inviteData(outcome: ActionOutcome | undefined): InviteData {
  expect(outcome, 'the invite action answered').toMatchObject({ ok: true });
  return (outcome as { ok: true; data: InviteData }).data;
}

/**
 * Opens members page 7 with 2 s of latency, the browser holding its requests for page 8 until the
 * returned `release` is called, and waits until its prefetch of page 8 is asked for.
 */
async function slowMembersPage7(page: Page): Promise<{ release: () => void }> {
  await harnessLogto().setFaults({ latencyMs: 2_000 });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname === `/api/orgs/${acmeId}/members` && url.searchParams.get('page') === '8',
    async (route) => {
      await released;
      await route.continue();
    },
  );
  const prefetch = page.waitForRequest((request) =>
    request.url().includes(`/api/orgs/${acmeId}/members?page=8`),
  );
  await page.goto(`/orgs/${acmeId}/members?page=7`);
  await expect(page.getByText(/Page 7 of \d+/)).toBeVisible();
  // The table has hydrated and its prefetch of page 8 is asked for, and held.
  await prefetch;
  return { release };
}

function nextPageLink(page: Page) {
  return page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Next page' });
}

/** Lets page 8's request go, and waits for its answer and for the table's handling of it. */
async function releasePage8(page: Page, release: () => void) {
  const answer = page.waitForResponse(
    (response) => response.url().includes(`/api/orgs/${acmeId}/members?page=8`),
    { timeout: 15_000 },
  );
  release();
  await answer;
  // Two frames: React has committed whatever the answer leads to.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

test('2 s of latency: a flip moves the pager and keeps the previous rows; the address follows the new rows', async ({
  pageAs,
}) => {
  const page = await pageAs('alice');
  const { release } = await slowMembersPage7(page);
  const before = await firstRowText(page);

  await nextPageLink(page).click();
  await expect(page.getByText(/Page 8 of \d+/)).toBeVisible();
  await expect(membersTable(page)).toHaveAttribute('aria-busy', 'true');
  expect(await firstRowText(page), 'the previous rows stay while the next page loads').toBe(before);
  expect(new URL(page.url()).searchParams.get('page'), 'the address names the rows on screen').toBe('7');

  await releasePage8(page, release);
  await expect(membersTable(page)).not.toHaveAttribute('aria-busy', 'true', { timeout: 15_000 });
  expect(await firstRowText(page)).not.toBe(before);
  await expect(page).toHaveURL(/page=8/);
  // One history entry for the flip: back shows page 7 again.
  await page.goBack();
  await expect(page.getByText(/Page 7 of \d+/)).toBeVisible();
  await expect(page).toHaveURL(/page=7/);
});

test('a flip still loading is dropped by a search typed meanwhile', async ({ pageAs }) => {
  const page = await pageAs('alice');
  const { release } = await slowMembersPage7(page);

  await nextPageLink(page).click();
  await page.getByRole('searchbox', { name: 'Search members' }).fill('carol');
  await page.getByRole('searchbox', { name: 'Search members' }).press('Enter');
  await expect(page).toHaveURL(/q=carol/);
  await releasePage8(page, release);

  const url = new URL(page.url());
  expect(url.searchParams.get('q')).toBe('carol');
  expect(url.searchParams.get('page'), 'the search starts on its first page').toBeNull();
  await expect(membersTable(page).locator('tbody tr').first()).toContainText('carol', { timeout: 15_000 });
});

test('a flip still loading does not pull the person back from the page they went on to', async ({
  pageAs,
}) => {
  const page = await pageAs('alice');
  const { release } = await slowMembersPage7(page);

  await nextPageLink(page).click();
  await page
    .getByRole('navigation', { name: 'Organization sections' })
    .getByRole('link', { name: 'Invitations' })
    .click();
  await releasePage8(page, release);
  await expect(page.getByRole('table', { name: 'Invitations' })).toBeVisible({ timeout: 15_000 });
  expect(new URL(page.url()).pathname).toBe(`/orgs/${acmeId}/invitations`);
});

test('a Logto slower than the timeout: a clear answer within the bound, then recovery', async ({
  pageAs,
}) => {
  test.setTimeout(120_000);
  const page = await pageAs('alice');
  await harnessLogto().setFaults({ latencyMs: 15_000 });

  // The portal bounds each Logto call (10 s): an answer must come well before these hang guards.
  const response = await page.request.get(`/api/orgs/${acmeId}/members?page=2`, { timeout: 30_000 });
  expect(response.status()).toBe(503);
  expect(await response.json()).toEqual({
    error: { code: 'upstream_unavailable', message: UPSTREAM_MESSAGE },
  });

  await page.goto(`/orgs/${acmeId}/members?page=3`, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: OUTAGE_TITLE })).toBeVisible();

  await harnessLogto().clearFaults();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(membersTable(page)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Page 3 of \d+/)).toBeVisible();
});

test('bursts of 503: reads are retried on the server and the user never notices', async ({ pageAs }) => {
  const page = await pageAs('alice');
  await harnessLogto().resetStats();
  await harnessLogto().setFaults({ failNext: { count: 3, status: 503 } });
  const response = await page.request.get(`/api/orgs/${acmeId}/members?page=4`);
  expect(response.status()).toBe(200);
  expect(((await response.json()) as { rows: unknown[] }).rows).toHaveLength(20);
  const stats = await harnessLogto().stats();
  // The list call (and the permission check, unless a recent answer was reused) succeeded once
  // each, after the three refused attempts were sent again.
  expect(stats.apiRequests, 'three refused reads were sent again').toBeGreaterThanOrEqual(4);
});

test('429 with Retry-After: reads wait as told and succeed', async ({ pageAs }) => {
  const page = await pageAs('alice');
  await harnessLogto().resetStats();
  await harnessLogto().setFaults({ failNext: { count: 2, status: 429 } });
  const response = await page.request.get(`/api/orgs/${acmeId}/members?page=5`);
  expect(response.status()).toBe(200);
  // Two refused attempts, sent again once told they may, then the reads that succeeded.
  expect((await harnessLogto().stats()).apiRequests).toBeGreaterThanOrEqual(3);
});

test('bursts of 500: the table says so, keeps the pager, and recovers on retry', async ({ pageAs }) => {
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/members?page=10`);
  await expect(membersTable(page)).toBeVisible();
  await page.waitForLoadState('networkidle');

  // Page 9 was never prefetched (only the next page is), so this goes to Logto.
  await failedFlipBackRecovers(page, membersTable(page), /Page 9 of \d+/);
});

test('the organizations table says so too when a page fails, and recovers on retry', async ({ pageAs }) => {
  const page = await pageAs('operator');
  await page.goto('/orgs?page=3');
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await page.waitForLoadState('networkidle');

  // Page 2 was never prefetched (only the next page is, and page 3 is the last).
  await failedFlipBackRecovers(page, table, 'Page 2 of 3');
});

test('the token endpoint down: a clear message, no hang, and recovery', async ({ pageAs }) => {
  test.setTimeout(90_000);
  const page = await pageAs('alice');
  // 401s make the portal drop its token; the token endpoint then refuses to issue another.
  await harnessLogto().setFaults({ tokenEndpointDown: true, failNext: { count: 10, status: 401 } });

  await page.goto(`/orgs/${acmeId}/members?page=6`);
  await expect(page.getByRole('heading', { name: OUTAGE_TITLE })).toBeVisible();
  const response = await page.request.get(`/api/orgs/${acmeId}/members?page=6`);
  expect(response.status()).toBe(503);
  expect(await response.json()).toEqual({
    error: { code: 'upstream_unavailable', message: UPSTREAM_MESSAGE },
  });

  await harnessLogto().clearFaults();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(membersTable(page)).toBeVisible({ timeout: 20_000 });
  expect((await page.request.get(`/api/orgs/${acmeId}/members?page=6`)).status()).toBe(200);
});

test('a token that expires mid-session is replaced once per lifetime, without a failed read', async ({
  pageAs,
}) => {
  test.setTimeout(90_000);
  const page = await pageAs('alice');
  const read = async () => (await page.request.get(`/api/orgs/${acmeId}/members?page=7`)).status();
  // Make the portal fetch a token now, one that lives 3 s: a 401 makes it drop the one it has.
  await harnessLogto().setFaults({ accessTokenTtlSeconds: 3, failNext: { count: 1, status: 401 } });
  expect(await read()).toBe(200);

  await harnessLogto().resetStats();
  const statuses: number[] = [];
  const until = Date.now() + 8_000;
  while (Date.now() < until) {
    statuses.push(await read());
    await page.waitForTimeout(400);
  }
  const stats = await harnessLogto().stats();
  expect(
    statuses.every((status) => status === 200),
    `statuses ${statuses.join(',')}`,
  ).toBe(true);
  // About 8 s of 3-second tokens: a few refreshes, not one per call (there were dozens of calls).
  expect(stats.apiRequests).toBeGreaterThan(10);
  expect(stats.tokenRequests).toBeGreaterThanOrEqual(2);
  expect(stats.tokenRequests).toBeLessThanOrEqual(5);
});

test('a failed invitation keeps what was typed; sending again creates each invitation once', async ({
  pageAs,
}) => {
  const page = await pageAs('alice');
  const emails = [uniqueAddress('kept-a'), uniqueAddress('kept-b')];
  await page.goto(`/orgs/${acmeId}/invitations`);
  await page.getByRole('button', { name: 'Invite people' }).click();
  const dialog = page.getByRole('dialog', { name: /Invite people to/ });
  await dialog.getByLabel('Email addresses').fill(`${emails.join(', ')}, `);
  const chips = dialog.getByRole('list', { name: 'Addresses to invite' }).getByRole('listitem');
  await expect(chips).toHaveCount(2);
  await expect(dialog.getByText('checking…')).toHaveCount(0);

  await harnessLogto().setFaults({ failRate: { ratio: 1, status: 500 } });
  await dialog.getByRole('button', { name: 'Send 2 invitations' }).click();
  await expect(dialog.getByRole('alert')).toContainText(UPSTREAM_MESSAGE);
  await expect(chips).toHaveCount(2);
  for (const email of emails) await expect(chips.filter({ hasText: email })).toHaveCount(1);

  await harnessLogto().clearFaults();
  await dialog.getByRole('button', { name: 'Send 2 invitations' }).click();
  await expect(dialog.getByRole('status')).toContainText('2 invitations created');
  for (const email of emails) {
    expect(await pendingInvitationsFor(email), email).toHaveLength(1);
    expect(await harnessLogto().outbox(email), email).toHaveLength(1);
  }
});

test('a write refused by Logto is not sent again', async () => {
  const sumOf = (byRoute: Record<string, number>, method: string) =>
    Object.entries(byRoute)
      .filter(([route]) => route.startsWith(`${method} `))
      .reduce((sum, [, count]) => sum + count, 0);
  const [warmUp, calibrationAddress, email] = ['warm-up', 'calibration', 'refused-write'].map(uniqueAddress);

  // With the portal's caches warm, learn how many reads an invitation makes before its create.
  // The action's answer also re-renders the invitations page (revalidation): a page view's reads.
  inviteData((await invite([warmUp!])).outcome);
  await harnessLogto().resetStats();
  const view = await fetch(`${portalUrl()}/orgs/${acmeId}/invitations`, { headers: { cookie: aliceCookie } });
  expect(view.status).toBe(200);
  await view.arrayBuffer();
  const pageReads = sumOf((await harnessLogto().stats()).byRoute, 'GET');
  await harnessLogto().resetStats();
  expect(inviteData((await invite([calibrationAddress!])).outcome).results[0]).toMatchObject({
    outcome: 'sent',
  });
  const calibration = await harnessLogto().stats();
  expect(calibration.byRoute['POST /organization-invitations']).toBe(1);
  const readsBeforeCreate = sumOf(calibration.byRoute, 'GET') - pageReads;
  expect(readsBeforeCreate).toBeGreaterThan(0);

  // Let exactly those reads through: the create is the first request Logto refuses (429).
  await harnessLogto().resetStats();
  await harnessLogto().setFaults({ rateLimit: { limit: readsBeforeCreate, windowMs: 60_000 } });
  const refused = inviteData((await invite([email!])).outcome);
  const stats = await harnessLogto().stats();
  await harnessLogto().clearFaults();
  expect(refused.results).toEqual([{ email, outcome: 'failed', reason: 'rate_limited' }]);
  expect(sumOf(stats.byRoute, 'POST'), 'no write reached Logto').toBe(0);
  expect(stats.rateLimitedByMethod.POST, 'the refused create, not sent again').toBe(1);
  // The action's answer re-renders the page: what of its reads went out was refused too, none twice.
  expect(stats.rateLimitedByMethod.GET ?? 0).toBeLessThanOrEqual(pageReads);
  expect(stats.rateLimited).toBe(stats.apiRequests - sumOf(stats.byRoute, 'GET'));
  expect(await pendingInvitationsFor(email!)).toHaveLength(0);

  // Once Logto takes requests again, sending again creates it once.
  const sent = inviteData((await invite([email!])).outcome);
  expect(sent.results[0]).toMatchObject({ email, outcome: 'sent' });
  expect(await pendingInvitationsFor(email!)).toHaveLength(1);
  expect(await harnessLogto().outbox(email!)).toHaveLength(1);
  await pendingInvitationsFor(warmUp!);
  await pendingInvitationsFor(calibrationAddress!);
});

test('the same invitation sent twice at once, on a slow Logto, exists once', async () => {
  const email = uniqueAddress('double-submit');
  await harnessLogto().setFaults({ latencyMs: 300 });
  const [first, second] = await Promise.all([invite([email]), invite([email])]);
  await harnessLogto().clearFaults();
  const outcomes = [inviteData(first.outcome), inviteData(second.outcome)].map(
    (data) => data.results[0]?.outcome,
  );
  expect(outcomes.sort()).toEqual(['already_invited', 'sent']);
  expect(await pendingInvitationsFor(email)).toHaveLength(1);
  expect(await harnessLogto().outbox(email)).toHaveLength(1);
});
