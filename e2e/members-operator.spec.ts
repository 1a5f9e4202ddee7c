/**
 * Bulk actions, adding existing users and creating organizations, as the operator. The scratch
 * ground is "Org 40", a small seeded organization: twelve generated Acme users are added to it
 * for these tests and everything is put back afterwards (the organization count other specs read
 * stays the same, which a new organization would not).
 */
import { expect, organizationIdByName, test } from './fixtures';
import {
  logtoApi,
  memberRoleNames,
  organizationsNamed,
  setMemberRoles,
} from './support/logto-api';

type Member = { id: string; name: string | null; primaryEmail: string | null; organizationRoles: { name: string }[] };

let org40: string;
/** Org 40's own members and their roles, to put back. */
let seeded: { id: string; roles: string[] }[];
/** The generated Acme users lent to Org 40 (emails user11xx@acme.example), sorted by id. */
let lent: Member[];
/** Users the add-members test puts into Org 40. */
const addedByTest = new Set<string>();

async function listMembers(orgId: string, query = ''): Promise<Member[]> {
  const { data } = await logtoApi<Member[]>('GET', `/organizations/${orgId}/users?page_size=100${query}`);
  return data;
}

test.beforeAll(async () => {
  const acme = await organizationIdByName('Acme');
  org40 = await organizationIdByName('Org 40');
  seeded = (await listMembers(org40)).map((member) => ({
    id: member.id,
    roles: member.organizationRoles.map((role) => role.name),
  }));
  lent = (await listMembers(acme, '&q=user11')).slice(0, 12);
  expect(lent).toHaveLength(12);
  await logtoApi('POST', `/organizations/${org40}/users`, { userIds: lent.map((user) => user.id) });
});

test.beforeEach(async () => {
  // Every test starts from the same Org 40: its own people as seeded, the lent users as members.
  await logtoApi('POST', `/organizations/${org40}/users`, { userIds: lent.map((user) => user.id) });
  await Promise.all([
    ...lent.map((user) => setMemberRoles(org40, user.id, ['member'])),
    ...seeded.map((member) => setMemberRoles(org40, member.id, member.roles)),
  ]);
});

test.afterAll(async () => {
  for (const userId of [...lent.map((user) => user.id), ...addedByTest]) {
    if ((await memberRoleNames(org40, userId)) !== null) {
      await logtoApi('DELETE', `/organizations/${org40}/users/${userId}`);
    }
  }
  await Promise.all(seeded.map((member) => setMemberRoles(org40, member.id, member.roles)));
});

test('the operator gives a role to a whole page of members at once', async ({ pageAs, capture }) => {
  const page = await pageAs('operator');
  await page.goto(`/orgs/${org40}/members?page_size=10&q=user11`);
  await expect(page.getByText('12 matching “user11”')).toBeVisible();
  const table = page.getByRole('table', { name: 'Members' });
  await expect(table.locator('tbody tr')).toHaveCount(10);

  await page.getByRole('checkbox', { name: 'Select all members on this page' }).check();
  const bulk = page.getByRole('region', { name: 'Selected members' });
  await expect(bulk).toContainText('10 selected');
  await bulk.getByLabel('Role').selectOption({ label: 'manager' });
  await capture(page, 'bulk-selected');
  await bulk.getByRole('button', { name: 'Give to 10 members' }).click();

  await expect(
    page.getByRole('region', { name: 'Notifications' }).getByText('manager given to 10 members'),
  ).toBeVisible();
  await expect(bulk).toBeHidden();
  await expect(table.getByRole('button', { name: /: manager, member$/ })).toHaveCount(10);

  const onPage = lent.slice(0, 10);
  for (const user of onPage) expect(await memberRoleNames(org40, user.id)).toEqual(['manager', 'member']);
  // The two on the next page were not selected, so not touched.
  for (const user of lent.slice(10)) expect(await memberRoleNames(org40, user.id)).toEqual(['member']);
});

test('a bulk removal keeps the last people who can change roles, and says so', async ({ pageAs, capture }) => {
  // Make one lent user the only admin of Org 40 for this test.
  const [keeper] = lent;
  await setMemberRoles(org40, keeper!.id, ['admin']);
  await Promise.all(
    seeded
      .filter((member) => member.roles.includes('admin'))
      .map((member) => setMemberRoles(org40, member.id, member.roles.filter((role) => role !== 'admin'))),
  );

  const page = await pageAs('operator');
  await page.goto(`/orgs/${org40}/members?q=user11`);
  await expect(page.getByText('12 matching “user11”')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all members on this page' }).check();
  await page.getByRole('region', { name: 'Selected members' }).getByRole('button', { name: 'Remove 12 members…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Remove 12 members from Org 40?' });
  await expect(dialog).toContainText('and 7 more will lose access');
  await dialog.getByRole('button', { name: 'Remove 12 members' }).click();

  const summary = page.getByRole('region', { name: 'Notifications' }).getByRole('alert');
  await expect(summary).toContainText('11 of 12 members removed');
  await expect(summary).toContainText(
    `${keeper!.name}: kept, because the organization must keep someone who can change roles.`,
  );
  await capture(page, 'bulk-remove-summary');
  await expect(page.getByRole('table', { name: 'Members' }).locator('tbody tr')).toHaveCount(1);

  expect(await memberRoleNames(org40, keeper!.id)).toEqual(['admin']);
  for (const user of lent.slice(1)) expect(await memberRoleNames(org40, user.id)).toBeNull();
});

test('the operator removes one member after a confirmation that names them', async ({ pageAs }) => {
  const leaving = lent[11]!;
  const page = await pageAs('operator');
  await page.goto(`/orgs/${org40}/members?q=${encodeURIComponent(leaving.primaryEmail!)}`);
  await page.getByRole('button', { name: `Remove ${leaving.name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${leaving.name} from Org 40?` });
  await expect(dialog).toContainText(`${leaving.name} (${leaving.primaryEmail}) will lose access to Org 40`);
  await dialog.getByRole('button', { name: 'Remove member' }).click();

  await expect(
    page.getByRole('region', { name: 'Notifications' }).getByText(`${leaving.name} was removed from Org 40`),
  ).toBeVisible();
  await expect(page.getByText(`No members match “${leaving.primaryEmail}”`)).toBeVisible();
  expect(await memberRoleNames(org40, leaving.id)).toBeNull();
});

test('the operator adds an existing tenant user with a role; tenant admins cannot', async ({ pageAs, capture }) => {
  const acme = await organizationIdByName('Acme');
  const [newcomer] = await listMembers(acme, '&q=user1199');
  expect(newcomer?.primaryEmail).toBe('user1199@acme.example');
  addedByTest.add(newcomer!.id);

  const page = await pageAs('operator');
  await page.goto(`/orgs/${org40}/members`);
  await page.getByRole('button', { name: 'Add members' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add people to Org 40' });
  await dialog.getByRole('searchbox', { name: 'Search users' }).fill('user1199@acme');
  await dialog.getByRole('checkbox', { name: new RegExp(newcomer!.name ?? 'user1199') }).check();
  await expect(dialog.getByText('1 person to add')).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'manager' }).check();
  await capture(page, 'add-members-dialog');
  await dialog.getByRole('button', { name: 'Add 1 person' }).click();

  await expect(page.getByRole('region', { name: 'Notifications' }).getByText('1 person added to Org 40')).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(await memberRoleNames(org40, newcomer!.id)).toEqual(['manager', 'member']);

  // Tenant admins never search the tenant's users: no button, and the search itself is refused.
  const alice = await pageAs('alice');
  await alice.goto(`/orgs/${acme}/members`);
  await expect(alice.getByText('2,500 members')).toBeVisible();
  await expect(alice.getByRole('button', { name: 'Add members' })).toHaveCount(0);
  expect((await alice.request.get(`/api/orgs/${acme}/members/candidates?q=user`)).status()).toBe(403);
});

test('the operator creates an organization', async ({ pageAs, capture }) => {
  const name = `Created by e2e ${Date.now()}`;
  const page = await pageAs('operator');
  await page.goto('/orgs');
  // The table searched for it first finds nothing; once created, it shows it without a reload.
  await page.getByRole('searchbox', { name: 'Search organizations' }).fill(name);
  await expect(page.getByText(`No organizations match “${name}”`)).toBeVisible();
  await page.getByRole('button', { name: 'Create organization' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create an organization' });
  // An empty name is refused by the server with a message under the field.
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  await expect(dialog.getByText('Enter a name.')).toBeVisible();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  try {
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Description (optional)').fill('Made by the members suite.');
    await capture(page, 'create-organization');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    const toast = page.getByRole('region', { name: 'Notifications' });
    await expect(toast.getByText(`${name} was created`)).toBeVisible();
    await expect(dialog).toBeHidden();
    expect(await organizationsNamed(name)).toHaveLength(1);
    await expect(page.getByText(`1 organization matches “${name}”`)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Organizations' }).getByRole('link', { name })).toBeVisible();

    await toast.getByRole('link', { name: `Open ${name}` }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.getByText('No members yet')).toBeVisible();
    await expect(page.getByText('Add existing users of this tenant, or invite people by email.')).toBeVisible();
  } finally {
    for (const org of await organizationsNamed(name)) await logtoApi('DELETE', `/organizations/${org.id}`);
  }
});
