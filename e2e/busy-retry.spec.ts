/**
 * When the request budget is spent, a table says so at once and gets its rows by itself (issue
 * 18): a production instance with a tiny budget (20 requests per 10 s, all of them at once), its
 * budget spent by a burst of different members pages, then a page flip in real Chromium. The
 * route refuses at once (503 with Retry-After) instead of queueing for seconds; the table keeps the
 * previous rows, shows "Busy, retrying…", asks again after Retry-After and shows the new page
 * without a click. The spec brings its own deployment, so it may run beside the other specs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  type Deployment,
  LogtoAdmin,
  type PortalInstance,
  signIn,
  startDeployment,
} from './support/deployment';

const BUDGET = { maxRequests: 20, windowMs: 10_000 };
const MEMBERS = 200;
const PAGE_SIZE = 20;
const LAST_PAGE = MEMBERS / PAGE_SIZE;

let deployment: Deployment;
let instance: PortalInstance;
let admin: LogtoAdmin;
let directory: string;
let acmeId: string;
const storageState = () => join(directory, 'alice.json');

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  directory = mkdtempSync(join(tmpdir(), 'portal-busy-retry-'));
  deployment = await startDeployment({ bigOrgMembers: MEMBERS });
  const databaseUrl = await deployment.postgres.createDatabase('portal');
  const [started] = await deployment.startInstances(1, {
    databaseUrl,
    requestBudget: BUDGET,
    // The whole budget may go at once, so a burst spends it and the next request finds none.
    env: { LOGTO_REQUEST_BURST: String(BUDGET.maxRequests) },
  });
  instance = started!;
  admin = new LogtoAdmin(deployment.logto.url);
  const organizations = await admin.call<{ id: string; name: string }[]>('GET', '/organizations?q=Acme');
  acmeId = organizations.find((org) => org.name === 'Acme')!.id;
  await signIn(browser, {
    portalUrl: instance.url,
    logtoUrl: deployment.logto.url,
    email: 'alice@acme.example',
    password: 'demo-password-1',
    storageStatePath: storageState(),
  });
});

test.afterAll(async () => {
  await deployment?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus && instance) {
    await testInfo.attach('portal output', { body: instance.output(), contentType: 'text/plain' });
  }
});

test('a spent budget shows "Busy, retrying…" over the previous rows, then the new page without a click', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: instance.url, storageState: storageState() });
  const page = await context.newPage();
  await page.goto(`/orgs/${acmeId}/members`);
  await expect(page.getByText(`Page 1 of ${LAST_PAGE}`)).toBeVisible();
  const table = page.getByRole('table', { name: 'Members' });
  const firstRow = table.locator('tbody tr').first();
  await expect(firstRow).toBeVisible();
  const firstRowText = (await firstRow.textContent()) ?? '';

  // Spend the budget: members pages nobody has read yet, all at once, as other people would.
  const answers = await page.evaluate(async (orgId) => {
    const pages = Array.from({ length: 20 }, (_, index) => index + 1);
    return Promise.all(
      pages.map(async (number) => {
        const response = await fetch(`/api/orgs/${orgId}/members?page=${number}&page_size=10`);
        return { status: response.status, retryAfter: response.headers.get('Retry-After') };
      }),
    );
  }, acmeId);
  const busy = answers.filter((answer) => answer.status === 503);
  expect(busy.length, JSON.stringify(answers)).toBeGreaterThan(0);
  expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 503)).toEqual([]);
  for (const answer of busy) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);

  // A page no one has loaded: the route is refused as busy, and the table says so at once.
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await pager.getByRole('link', { name: `Page ${LAST_PAGE}`, exact: true }).click();
  const status = page.getByRole('status').filter({ hasText: 'Busy, retrying…' });
  await expect(status).toBeVisible();
  // The previous rows stay on screen meanwhile, and there is nothing to click.
  await expect(firstRow).toHaveText(firstRowText);
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  // It asks again by itself and shows the new page once the budget has room.
  await expect(page.getByText(`Page ${LAST_PAGE} of ${LAST_PAGE}`)).toBeVisible();
  await expect(table).not.toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
  await expect(status).toHaveCount(0);
  const expected = await admin.call<{ primaryEmail: string }[]>(
    'GET',
    `/organizations/${acmeId}/users?page=${LAST_PAGE}&page_size=${PAGE_SIZE}`,
  );
  const shown = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[1]?.textContent?.trim() ?? ''));
  expect(shown).toEqual(expected.map((member) => member.primaryEmail));
  await expect(page.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await context.close();
});

test('a page opened while the budget is spent says "Busy, retrying…" at once and then loads by itself', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  // An instance of its own with a budget of 4 per 4 s, whose people wait at most 0.2 s for it, so
  // a page whose calls find the budget spent is refused as busy rather than kept waiting.
  const [small] = await deployment.startInstances(1, {
    requestBudget: { maxRequests: 4, windowMs: 4_000 },
    env: { LOGTO_REQUEST_BURST: '4', LOGTO_INTERACTIVE_MAX_WAIT_MS: '200' },
  });
  // Cookies ignore the port: the session signed in above works here too.
  const context = await browser.newContext({ baseURL: small!.url, storageState: storageState() });
  const page = await context.newPage();
  const statuses = await Promise.all(
    Array.from({ length: 8 }, (_, index) =>
      page.request.get(`/api/orgs/${acmeId}/members?page=${index + 1}&page_size=5`).then((r) => r.status()),
    ),
  );
  expect(statuses.filter((status) => status === 503).length, JSON.stringify(statuses)).toBeGreaterThan(0);

  await page.goto(`/orgs/${acmeId}/members?page=3&page_size=50`);
  const status = page.getByRole('status').filter({ hasText: 'Busy, retrying…' });
  await expect(status).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' }), 'nothing to click').toHaveCount(0);

  // No click: the page asks again after the wait the portal named, and the table appears.
  const table = page.getByRole('table', { name: 'Members' });
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await expect(status).toHaveCount(0);
  await expect(page.getByText(`Page 3 of ${MEMBERS / 50}`)).toBeVisible();
  await context.close();
  await small!.stop();
});
