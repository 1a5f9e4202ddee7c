import { expect, organizationIdByName, storageStatePath, test, USERS } from './fixtures';
import { memberByEmail, memberRoleNames, setMemberRoles } from './support/logto-api';

// A member's details: what the panel shows and who may read them.

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

test('alice opens carol’s details, changes her roles there, and sees the change and its log entry', async ({
  pageAs,
}) => {
  const carol = await memberByEmail(acmeId, USERS.carol.email);
  const page = await pageAs('alice');
  try {
    await page.goto(`/orgs/${acmeId}/members?q=carol`);
    await page.getByRole('button', { name: 'Details of Carol Member' }).click();
    const panel = page.getByRole('dialog', { name: 'Carol Member' });
    await expect(panel).toContainText(USERS.carol.email);
    await expect(panel).toContainText('Allows nothing in this portal.');
    // The seed's accepted invitation brought her: alice invited her.
    await expect(panel.getByText('Invited by')).toBeVisible();
    await expect(panel).toContainText(USERS.alice.name);

    await panel.getByRole('button', { name: /^Roles of Carol Member/ }).click();
    await page.getByRole('menuitemcheckbox', { name: /^manager/ }).click();
    await page.keyboard.press('Escape');
    await expect(panel.getByText('Invite people and manage invitations')).toBeVisible();
    await expect(panel.getByText('View members and invitations')).toBeVisible();
    await expect(
      panel.getByRole('listitem').filter({ hasText: 'changed carol@acme.example' }).first(),
    ).toContainText('member → manager, member');
    expect(await memberRoleNames(acmeId, carol.id)).toEqual(['manager', 'member']);

    // Remove from the panel hands over to the usual confirmation.
    await panel.getByRole('button', { name: 'Remove from Acme' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Carol Member from Acme?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await memberRoleNames(acmeId, carol.id)).toEqual(['manager', 'member']);
  } finally {
    await setMemberRoles(acmeId, carol.id, ['member']);
  }
});

test('bob reads details but is offered no changes; the route refuses what it should', async ({
  pageAs,
  playwright,
  baseURL,
}) => {
  const carol = await memberByEmail(acmeId, USERS.carol.email);
  const page = await pageAs('bob');
  await page.goto(`/orgs/${acmeId}/members?q=carol`);
  await page.getByRole('button', { name: 'Details of Carol Member' }).click();
  const panel = page.getByRole('dialog', { name: 'Carol Member' });
  await expect(
    panel.getByText('You can see this member, but not change their roles or remove them.'),
  ).toBeVisible();
  await expect(panel.getByRole('button', { name: /^Roles of/ })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: /^Remove/ })).toHaveCount(0);

  const route = (userId: string) => `/api/orgs/${acmeId}/members/${encodeURIComponent(userId)}`;
  const asBob = await page.request.get(route(carol.id));
  expect(asBob.status()).toBe(200);
  expect(await asBob.json()).toMatchObject({
    id: carol.id,
    email: USERS.carol.email,
    roles: [{ name: 'member' }],
  });

  // Not a member, not an id, far too long: "not found", as JSON, never a 500.
  const stranger = await page.request.get(route('no-such-user'));
  expect(stranger.status()).toBe(404);
  expect(await stranger.json()).toMatchObject({ error: { code: 'not_found' } });
  for (const userId of ['not an id!', 'x'.repeat(300)]) {
    const answer = await page.request.get(route(userId));
    expect(answer.status(), userId).toBe(404);
  }

  // carol cannot read Acme at all; nobody signed out can.
  const asCarol = await playwright.request.newContext({ baseURL, storageState: storageStatePath('carol') });
  const signedOut = await playwright.request.newContext({
    baseURL,
    storageState: { cookies: [], origins: [] },
  });
  try {
    const refused = await asCarol.get(route(carol.id));
    expect(refused.status()).toBe(404);
    expect(await refused.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await signedOut.get(route(carol.id))).status()).toBe(401);
  } finally {
    await asCarol.dispose();
    await signedOut.dispose();
  }
});
