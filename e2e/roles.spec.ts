import AxeBuilder from '@axe-core/playwright';
import { expect, organizationIdByName, test } from './fixtures';

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

test('alice reads what each role allows and jumps to the members holding one', async ({
  pageAs,
  capture,
}) => {
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/members`);
  await page
    .getByRole('navigation', { name: 'Organization sections' })
    .getByRole('link', { name: 'Roles' })
    .click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/roles$`));
  await expect(page.getByRole('heading', { name: 'Roles and what they allow' })).toBeVisible();

  const table = page.getByRole('table', { name: 'Roles, their member counts and their permissions' });
  const columns = await table.locator('thead th').allTextContents();
  expect(columns).toEqual([
    'Role',
    'Members',
    'assign:roles',
    'invite:members',
    'manage:organization',
    'read:members',
    'remove:members',
  ]);
  const admin = table.getByRole('row', { name: /^admin/ });
  const manager = table.getByRole('row', { name: /^manager/ });
  const member = table.getByRole('row', { name: /^member/ });
  await expect(admin.getByText('Allowed', { exact: true })).toHaveCount(5);
  await expect(manager.getByText('Allowed', { exact: true })).toHaveCount(2);
  await expect(manager.getByText('Not allowed')).toHaveCount(3);
  await expect(member.getByText('Allowed', { exact: true })).toHaveCount(0);
  // alice holds every scope, so she may grant every role.
  await expect(table.getByText('you can grant')).toHaveCount(3);
  await expect(page.getByRole('term')).toHaveText([
    'assign:roles',
    'invite:members',
    'manage:organization',
    'read:members',
    'remove:members',
  ]);
  await capture(page, 'roles');

  expect(
    (
      await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
    ).violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id),
  ).toEqual([]);

  await admin.getByRole('link', { name: /1 member/ }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/members\\?role=`));
  await expect(page.getByText('1 member with the role admin')).toBeVisible();
});

test('bob may read the roles but is not offered to grant any', async ({ pageAs }) => {
  const page = await pageAs('bob');
  await page.goto(`/orgs/${acmeId}/roles`);
  await expect(page.getByRole('heading', { name: 'Roles and what they allow' })).toBeVisible();
  await expect(page.getByText('you can grant')).toHaveCount(0);
});

test('someone without read:members gets the same 404 as for a missing organization', async ({ pageAs }) => {
  // dave is a plain member of Acme.
  const page = await pageAs('dave');
  const response = await page.goto(`/orgs/${acmeId}/roles`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Organization not found' })).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('Acme');
});
