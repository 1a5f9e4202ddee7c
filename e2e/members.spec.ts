import type { Page } from '@playwright/test';
import { logtoCallsOf, readServerTiming } from '../test/server-timing';
import { expect, organizationIdByName, test } from './fixtures';
import { columnBoxes, SCREENS } from './support/views';

const ACME_MEMBERS = 2500;

async function emailsOnPage(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Members' });
  // Column 2 holds the email; read them once the table is not busy.
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[1]?.textContent?.trim() ?? ''));
}

test.describe('Acme members as alice (admin)', () => {
  test('opens Acme from the organizations list and pages through its members', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('alice');
    await page.goto('/orgs');
    await page.getByRole('link', { name: 'Acme', exact: true }).click();

    await expect(page).toHaveURL(/\/orgs\/[0-9a-z]+\/members$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Acme' })).toBeVisible();
    await expect(page.getByText('2,500 members')).toBeVisible();
    await expect(page.getByText(`Page 1 of ${Math.ceil(ACME_MEMBERS / 20)}`)).toBeVisible();
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    await expect(pager.getByRole('link', { name: 'Page 1', exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );

    const firstPage = await emailsOnPage(page);
    expect(firstPage).toHaveLength(20);
    await capture(page, 'members-page-1');

    await pager.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/\?page=2$/);
    await expect(page.getByText('Page 2 of 125')).toBeVisible();
    const secondPage = await emailsOnPage(page);
    expect(secondPage).toHaveLength(20);
    expect(secondPage.filter((email) => firstPage.includes(email))).toEqual([]);

    // The back button is the table's own history.
    await page.goBack();
    await expect(page.getByText('Page 1 of 125')).toBeVisible();
    expect(await emailsOnPage(page)).toEqual(firstPage);
  });

  test('page count follows the page size, and the URL holds it', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const acmeId = await organizationIdByName('Acme');
    await page.goto(`/orgs/${acmeId}/members?page=3`);
    await expect(page.getByText('Page 3 of 125')).toBeVisible();

    await page.getByLabel('Rows per page').selectOption('50');
    // A new page size starts again at page 1, which the URL leaves implicit.
    await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/members\\?page_size=50$`));
    await expect(page.getByText(`Page 1 of ${Math.ceil(ACME_MEMBERS / 50)}`)).toBeVisible();
    expect(await emailsOnPage(page)).toHaveLength(50);

    await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Page 50' }).click();
    await expect(page.getByText('Page 50 of 50')).toBeVisible();
    expect(await emailsOnPage(page)).toHaveLength(50);
    await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);
  });

  test('a page past the end is clamped to the last page, garbage to defaults', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const acmeId = await organizationIdByName('Acme');
    await page.goto(`/orgs/${acmeId}/members?page=999&page_size=100`);
    await expect(page).toHaveURL(/page=25/);
    await expect(page.getByText('Page 25 of 25')).toBeVisible();

    await page.goto(`/orgs/${acmeId}/members?page=abc&page_size=7`);
    await expect(page.getByText('Page 1 of 250')).toBeVisible();
  });

  test('searches with a debounce and tells how many match', async ({ pageAs, capture }) => {
    const page = await pageAs('alice');
    const acmeId = await organizationIdByName('Acme');
    await page.goto(`/orgs/${acmeId}/members?page=4`);

    await page.getByRole('searchbox', { name: 'Search members' }).fill('carol@acme.example');
    await expect(page).toHaveURL(/\?q=carol%40acme\.example$/);
    await expect(page.getByText('1 matching “carol@acme.example”')).toBeVisible();
    const rows = page.getByRole('table', { name: 'Members' }).locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Carol Member');
    await expect(rows.first()).toContainText('member');
    await capture(page, 'members-search');

    await page.getByRole('searchbox', { name: 'Search members' }).fill('no-such-person-anywhere');
    await expect(page.getByText('No members match “no-such-person-anywhere”')).toBeVisible();
    await capture(page, 'members-no-match');
    await page.getByRole('button', { name: 'Clear search' }).first().click();
    await expect(page.getByText('2,500 members')).toBeVisible();
  });

  for (const [screen, viewport] of Object.entries(SCREENS)) {
    test(`columns stay where they are whatever a page holds (${screen})`, async ({ pageAs }) => {
      const page = await pageAs('alice');
      await page.setViewportSize(viewport);
      const acmeId = await organizationIdByName('Acme');
      await page.goto(`/orgs/${acmeId}/members`);
      const table = page.getByRole('table', { name: 'Members' });
      await expect(table.locator('tbody tr')).toHaveCount(20);
      const fullPage = await columnBoxes(page.getByRole('table', { name: 'Members' }));

      // One row, and not like the others: a name with a username, "You", the admin role, a
      // shorter email. Left to their content, the columns would take other widths for it.
      await page.getByRole('searchbox', { name: 'Search members' }).fill('alice@acme.example');
      await expect(table.locator('tbody tr')).toHaveCount(1);
      await expect(table.locator('tbody tr').first()).toContainText('You');
      expect(await columnBoxes(page.getByRole('table', { name: 'Members' }))).toEqual(fullPage);

      await page.getByRole('searchbox', { name: 'Search members' }).fill('');
      await expect(table.locator('tbody tr')).toHaveCount(20);
      await page
        .getByRole('navigation', { name: 'Pagination' })
        .getByRole('link', { name: 'Page 125', exact: true })
        .click();
      await expect(page.getByText('Page 125 of 125')).toBeVisible();
      expect(await columnBoxes(page.getByRole('table', { name: 'Members' }))).toEqual(fullPage);
    });
  }
});

test('a table page says how much of its time was Logto’s, and a refused one made no call', async ({
  pageAs,
  request,
}) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  const answer = await page.request.get(`/api/orgs/${acmeId}/members?page=7&page_size=10`);
  expect(answer.status()).toBe(200);
  const timings = readServerTiming(answer.headers()['server-timing']);
  expect([...timings.keys()]).toEqual(['logto', 'budget', 'total']);
  // The page of members at least; the access check may ask Logto too.
  expect(logtoCallsOf(timings)).toBeGreaterThanOrEqual(1);
  expect(timings.get('logto')!.durMs).toBeGreaterThan(0);
  expect(timings.get('total')!.durMs).toBeGreaterThan(0);

  const refused = await request.get(`/api/orgs/${acmeId}/members?page=7&page_size=10`);
  expect(refused.status()).toBe(401);
  const refusedTimings = readServerTiming(refused.headers()['server-timing']);
  expect(logtoCallsOf(refusedTimings)).toBe(0);
  expect(refusedTimings.get('logto')!.durMs).toBe(0);
});

test('a small table page is sent as it is, a large one compressed', async ({ pageAs }) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  const acceptsGzip = { headers: { 'accept-encoding': 'gzip' } };
  const small = await page.request.get(`/api/orgs/${acmeId}/members?page=2&page_size=10`, acceptsGzip);
  expect(small.status()).toBe(200);
  expect(small.headers()['content-encoding']).toBeUndefined();
  expect(small.headers()['cache-control']).toBe('private, no-store, no-transform');
  expect(((await small.json()) as { rows: unknown[] }).rows).toHaveLength(10);

  const large = await page.request.get(`/api/orgs/${acmeId}/members?page=1&page_size=100`, acceptsGzip);
  expect(large.status()).toBe(200);
  expect(large.headers()['content-encoding']).toBe('gzip');
  expect(large.headers()['cache-control']).toBe('private, no-store');
  expect(((await large.json()) as { rows: unknown[] }).rows).toHaveLength(100);
});

test('a page link the pointer rests on or presses is loaded ahead, and opening it asks nothing more', async ({
  pageAs,
}) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  const requestsFor = new Map<number, { purpose: string | undefined }[]>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== `/api/orgs/${acmeId}/members`) return;
    const pageNumber = Number(url.searchParams.get('page') ?? '1');
    const list = requestsFor.get(pageNumber) ?? [];
    list.push({ purpose: request.headers()['purpose'] });
    requestsFor.set(pageNumber, list);
  });
  await page.goto(`/orgs/${acmeId}/members?page=10`);
  const table = page.getByRole('table', { name: 'Members' });
  await expect(table.locator('tbody tr')).toHaveCount(20);
  await page.waitForLoadState('networkidle');
  const pager = page.getByRole('navigation', { name: 'Pagination' });

  // Resting on the last page's link loads it politely, as a prefetch.
  const lastPageLoaded = page.waitForResponse((response) =>
    response.url().includes(`/api/orgs/${acmeId}/members?page=125`),
  );
  await pager.getByRole('link', { name: 'Page 125', exact: true }).hover();
  const lastPageAnswer = await lastPageLoaded;
  expect(requestsFor.get(125)).toEqual([{ purpose: 'prefetch' }]);
  await pager.getByRole('link', { name: 'Page 125', exact: true }).click();
  await expect(page).toHaveURL(/\?page=125$/);
  await expect(page.getByText('Page 125 of 125')).toBeVisible();
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  await expect(table.locator('tbody tr')).toHaveCount(20);
  // The server may decline a prefetch when the request budget runs short (other tests share it):
  // then, and only then, the click asks again.
  expect(requestsFor.get(125)).toHaveLength(lastPageAnswer.ok() ? 1 : 2);

  // Pressing a link starts loading its page before the button comes up, as a view of its own.
  const previousLink = pager.getByRole('link', { name: 'Page 124', exact: true });
  const pressed = page.waitForRequest((request) =>
    request.url().includes(`/api/orgs/${acmeId}/members?page=124`),
  );
  await previousLink.hover();
  await page.mouse.down();
  await pressed;
  expect(requestsFor.get(124)?.[0]).toEqual({ purpose: undefined });
  await page.mouse.up();
  await expect(page).toHaveURL(/\?page=124$/);
  await expect(page.getByText('Page 124 of 125')).toBeVisible();
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  await expect(table.locator('tbody tr')).toHaveCount(20);
  expect(requestsFor.get(124)).toHaveLength(1);
});
