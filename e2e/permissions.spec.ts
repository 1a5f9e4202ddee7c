import { expect, organizationIdByName, test } from './fixtures';

test.describe('who may open an organization', () => {
  test('carol (member role, no read:members) cannot open Acme, not even by URL', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('carol');
    const acmeId = await organizationIdByName('Acme');

    await page.goto('/orgs');
    // She manages nothing, so her own view is all there is: Acme as a membership, no way in.
    const memberships = page.getByRole('region', { name: 'Your memberships' });
    await expect(memberships.getByRole('heading', { name: 'Acme' })).toBeVisible();
    await expect(memberships.getByRole('link', { name: 'Manage Acme' })).toHaveCount(0);
    await expect(page.getByRole('table')).toHaveCount(0);
    await capture(page, 'orgs-empty-carol');

    const response = await page.goto(`/orgs/${acmeId}/members`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Organization not found' })).toBeVisible();
    // Nothing of Acme leaks: no member table, no organization name.
    await expect(page.getByRole('table')).toHaveCount(0);
    await expect(page.getByRole('main')).not.toContainText('Acme');
    await capture(page, 'org-not-found-carol');

    // The data route answers exactly as for an organization that does not exist.
    const api = await page.request.get(`/api/orgs/${acmeId}/members?page=2`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'We could not find that organization, or you do not have access to it.',
      },
    });
  });

  test('an unknown organization looks the same as a forbidden one', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const response = await page.goto('/orgs/doesnotexist/members');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Organization not found' })).toBeVisible();
  });

  test('dave is admin of Globex only: Acme (where he is a plain member) stays closed', async ({ pageAs }) => {
    const page = await pageAs('dave');
    await page.goto('/orgs');
    const table = page.getByRole('table', { name: 'Organizations' });
    await expect(table.getByRole('link')).toHaveText(['Globex']);
    const acmeId = await organizationIdByName('Acme');
    expect((await page.goto(`/orgs/${acmeId}/members`))?.status()).toBe(404);
  });

  test('bob (manager) may read Acme members', async ({ pageAs }) => {
    const page = await pageAs('bob');
    await page.goto('/orgs');
    const row = page.getByRole('table', { name: 'Organizations' }).getByRole('row', { name: /Acme/ });
    await expect(row).toContainText('manager');
    await row.getByRole('link', { name: 'Acme' }).click();
    await expect(page.getByText('2,500 members')).toBeVisible();
  });
});
