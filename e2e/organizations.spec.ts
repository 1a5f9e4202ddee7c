import { expect, test } from './fixtures';

test.describe('organizations list', () => {
  test('the operator sees all 43 organizations over several pages', async ({ pageAs, capture }) => {
    const page = await pageAs('operator');
    await page.goto('/orgs');
    await expect(page.getByText('43 organizations')).toBeVisible();
    await expect(page.getByText('Page 1 of 3')).toBeVisible();
    await capture(page, 'orgs-operator');

    const table = page.getByRole('table', { name: 'Organizations' });
    const names = new Set<string>();
    for (const pageNumber of [1, 2, 3]) {
      await expect(page.getByText(`Page ${pageNumber} of 3`)).toBeVisible();
      await expect(table).not.toHaveAttribute('aria-busy', 'true');
      const links = await table.locator('tbody tr td:first-child a').allTextContents();
      expect(links).toHaveLength(pageNumber < 3 ? 20 : 3);
      for (const name of links) names.add(name);
      if (pageNumber < 3) await page.getByRole('link', { name: 'Next page' }).click();
    }
    expect(names.size).toBe(43);
    for (const name of ['Acme', 'Globex', 'Initech', 'Org 01', 'Org 40']) expect(names).toContain(name);
    await expect(page).toHaveURL(/\/orgs\?page=3$/);
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
