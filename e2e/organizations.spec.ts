import type { Page } from '@playwright/test';
import { harnessLogto } from '../test/hardening-helpers';
import { expect, test } from './fixtures';
import { columnBoxes, SCREENS } from './support/views';

type OrganizationsAnswer = {
  rows: Array<{ name: string; roles: Array<{ name: string }> | null; membersCount: number | null }>;
  total: number;
  page: number;
  pageSize: number;
};

async function organizationNamesOnPage(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Organizations' });
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  return table.locator('tbody tr td:first-child a').allTextContents();
}

test.describe('organizations list', () => {
  test('the operator sees all 43 organizations over several pages', async ({ pageAs, capture }) => {
    const page = await pageAs('operator');
    await page.goto('/orgs');
    await expect(page.getByText('43 organizations')).toBeVisible();
    await expect(page.getByText('Page 1 of 3')).toBeVisible();
    await capture(page, 'orgs-operator');

    const names = new Set<string>();
    for (const pageNumber of [1, 2, 3]) {
      await expect(page.getByText(`Page ${pageNumber} of 3`)).toBeVisible();
      const links = await organizationNamesOnPage(page);
      expect(links).toHaveLength(pageNumber < 3 ? 20 : 3);
      for (const name of links) names.add(name);
      if (pageNumber < 3) await page.getByRole('link', { name: 'Next page' }).click();
    }
    expect(names.size).toBe(43);
    for (const name of ['Acme', 'Globex', 'Initech', 'Org 01', 'Org 40']) expect(names).toContain(name);
    await expect(page).toHaveURL(/\/orgs\?page=3$/);
  });

  test('pages load in the browser, the next one before it is asked for; back pages back', async ({
    pageAs,
  }) => {
    const page = await pageAs('operator');
    const listCalls: string[] = [];
    const serverRenders: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/orgs')
        listCalls.push(`${url.search} ${request.headers()['purpose'] ?? 'view'}`);
      if (url.pathname === '/orgs' && request.resourceType() !== 'document') serverRenders.push(url.search);
    });
    await page.goto('/orgs');
    const firstPage = await organizationNamesOnPage(page);
    expect(firstPage).toHaveLength(20);
    // The server's page seeds the table, which then fetches only the next one, as a prefetch.
    await expect.poll(() => listCalls).toEqual(['?page=2 prefetch']);

    await page
      .getByRole('navigation', { name: 'Pagination' })
      .getByRole('link', { name: 'Next page' })
      .click();
    await expect(page).toHaveURL(/\/orgs\?page=2$/);
    await expect(page.getByText('Page 2 of 3')).toBeVisible();
    const secondPage = await organizationNamesOnPage(page);
    expect(secondPage).toHaveLength(20);
    expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
    await expect.poll(() => listCalls).toEqual(['?page=2 prefetch', '?page=3 prefetch']);

    await page.goBack();
    await expect(page).toHaveURL(/\/orgs$/);
    await expect(page.getByText('Page 1 of 3')).toBeVisible();
    expect(await organizationNamesOnPage(page)).toEqual(firstPage);
    // Neither the flip nor the way back asked the server to render the page again.
    expect(serverRenders).toEqual([]);
    expect(listCalls).toEqual(['?page=2 prefetch', '?page=3 prefetch']);
  });

  test('/api/orgs answers each person the organizations they manage, and refuses strangers', async ({
    pageAs,
    request,
  }) => {
    const operator = await pageAs('operator');
    const all = await operator.request.get('/api/orgs?page=99');
    expect(all.status()).toBe(200);
    expect(all.headers()['cache-control']).toContain('private');
    const last = (await all.json()) as OrganizationsAnswer;
    // A page past the end is answered with the last one, which says which page it is.
    expect(last.page).toBe(Math.ceil(last.total / 20));
    expect(last.rows).toHaveLength(last.total - (last.page - 1) * 20);
    expect(last.rows.every((row) => row.roles === null && typeof row.membersCount === 'number')).toBe(true);

    const alice = await pageAs('alice');
    const own = (await (await alice.request.get('/api/orgs?q=a&page_size=10')).json()) as OrganizationsAnswer;
    expect(own.total).toBe(1);
    expect(own.pageSize).toBe(10);
    expect(own.rows.map((row) => row.name)).toEqual(['Acme']);
    expect(own.rows[0]!.roles?.map((role) => role.name)).toContain('admin');

    const ownPastTheEnd = (await (await alice.request.get('/api/orgs?page=5')).json()) as OrganizationsAnswer;
    expect([ownPastTheEnd.page, ownPastTheEnd.rows.map((row) => row.name)]).toEqual([1, ['Acme']]);

    // Carol belongs to Acme without a role that may read its members: nothing to manage.
    const carol = await pageAs('carol');
    const none = (await (await carol.request.get('/api/orgs')).json()) as OrganizationsAnswer;
    expect(none.rows.map((row) => row.name)).not.toContain('Acme');

    // Garbage in the query string falls back to the defaults.
    const garbled = (await (
      await alice.request.get('/api/orgs?page=abc&page_size=-3')
    ).json()) as OrganizationsAnswer;
    expect([garbled.page, garbled.pageSize, garbled.total]).toEqual([1, 20, 1]);

    const signedOut = await request.get('/api/orgs');
    expect(signedOut.status()).toBe(401);
    expect(await signedOut.json()).not.toHaveProperty('rows');
  });

  test('the page asks Logto for a person’s organizations once, for both of its lists', async ({ pageAs }) => {
    const page = await pageAs('alice');
    await page.goto('/orgs');
    await harnessLogto().resetStats();
    const view = await page.request.get('/orgs');
    expect(view.status()).toBe(200);
    const html = await view.text();
    // Her organizations table and her own memberships below it, both from the one answer.
    expect(html).toContain('Your memberships');
    expect((await harnessLogto().stats()).byRoute['GET /users/:userId/organizations']).toBe(1);
  });

  test('the operator searches organizations; the search lives in the URL', async ({ pageAs }) => {
    const page = await pageAs('operator');
    await page.goto('/orgs?page=2');
    await page.getByRole('searchbox', { name: 'Search organizations' }).fill('Org 0');
    await expect(page).toHaveURL(/\/orgs\?q=Org\+0$/);
    await expect(page.getByText('9 organizations match “Org 0”')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Organizations' }).locator('tbody tr')).toHaveCount(9);
    // Operators see member counts.
    await expect(page.getByRole('row', { name: /Org 01/ })).toContainText(/\d members?/);

    await page.goto('/orgs?q=acme');
    await expect(page.getByRole('row', { name: /Acme/ })).toContainText('2,500 members');
  });

  for (const [screen, viewport] of Object.entries(SCREENS)) {
    test(`columns stay where they are whatever a page holds (${screen})`, async ({ pageAs }) => {
      const page = await pageAs('operator');
      await page.setViewportSize(viewport);
      await page.goto('/orgs');
      const table = page.getByRole('table', { name: 'Organizations' });
      await expect(table.getByRole('row', { name: /Acme/ })).toContainText('2,500 members');
      const firstPage = await columnBoxes(table);

      // One small customer: a short count, a short description.
      await page.getByRole('searchbox', { name: 'Search organizations' }).fill('Initech');
      await expect(table.locator('tbody tr')).toHaveCount(1);
      expect(await columnBoxes(table)).toEqual(firstPage);
    });
  }

  test('alice sees only the organization she administers, with her role', async ({ pageAs, capture }) => {
    const page = await pageAs('alice');
    await page.goto('/');
    await expect(page).toHaveURL(/\/orgs$/);
    const table = page.getByRole('table', { name: 'Organizations' });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table.getByRole('row', { name: /Acme/ })).toContainText('admin');
    await capture(page, 'orgs-alice');
  });

  test('the language switcher changes the page language and <html lang>', async ({ pageAs, capture }) => {
    const page = await pageAs('alice');
    await page.goto('/orgs');
    await page.getByLabel('Language').selectOption('ko');
    await expect(page.getByRole('heading', { level: 1, name: '조직' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await capture(page, 'orgs-korean');

    await page.getByLabel('언어').selectOption('ja');
    await expect(page.getByRole('heading', { level: 1, name: '組織' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    // The table's link (her own memberships below offer "Acme を管理" too).
    await page.getByRole('table').getByRole('link', { name: 'Acme' }).click();
    await expect(page.getByText('2,500人のメンバー')).toBeVisible();
    await capture(page, 'members-japanese');
  });

  test('security headers are sent', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const response = await page.goto('/orgs');
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
  });
});
