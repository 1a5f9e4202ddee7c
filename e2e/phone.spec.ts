import type { Page } from '@playwright/test';
import { expect, organizationIdByName, signInWithPassword, storageStatePath, test, USERS } from './fixtures';
import {
  createInvitation,
  createUser,
  deleteInvitation,
  deleteUser,
  invitationsOf,
  logtoApi,
  memberByEmail,
  memberRoleNames,
  organizationRoleIds,
  setMemberRoles,
} from './support/logto-api';
import { SCREENS } from './support/views';

// The main flows on a phone (390 × 844): change a role, remove someone, invite, accept an
// invitation; with the pager and every column of a table within reach.

test.use({
  viewport: SCREENS.phone,
  isMobile: true,
  hasTouch: true,
  storageState: storageStatePath('alice'),
});

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

function notifications(page: Page) {
  return page.getByRole('region', { name: 'Notifications' });
}

/** Nothing on the page is wider than the screen, except inside a table's own scroller. */
async function expectNoPageOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('members: the table scrolls with the name fixed, the pager shows page numbers, a role changes', async ({
  page,
}) => {
  const carol = await memberByEmail(acmeId, USERS.carol.email);
  await page.goto(`/orgs/${acmeId}/members`);
  await expect(page.getByText('2,500 members')).toBeVisible();
  await expectNoPageOverflow(page);

  // Every column is there (email, last sign-in, actions), reachable by scrolling the table.
  const table = page.getByRole('table', { name: 'Members' });
  await expect(table.getByRole('columnheader', { name: 'Email' })).toBeAttached();
  await expect(table.getByRole('columnheader', { name: 'Last sign-in' })).toBeAttached();
  const firstRemove = table.getByRole('button', { name: /^Remove / }).first();
  await firstRemove.scrollIntoViewIfNeeded();
  await expect(firstRemove).toBeInViewport();
  // The name column stays put while the row scrolls under it.
  const nameCell = table.locator('tbody tr').first().locator('td').first();
  const box = await nameCell.boundingBox();
  expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  await expect(nameCell).toBeInViewport();

  // The pager keeps its numbers on a phone, and they work.
  const pager = page.getByRole('navigation', { name: 'Pagination' });
  await expect(pager.getByRole('link', { name: 'Page 2', exact: true })).toBeVisible();
  await expect(pager.getByRole('link', { name: 'Page 125', exact: true })).toBeVisible();
  await pager.getByRole('link', { name: 'Page 2', exact: true }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(pager.getByRole('link', { name: 'Page 2', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );

  try {
    await page.goto(`/orgs/${acmeId}/members?q=carol`);
    await page.getByRole('button', { name: /^Roles of Carol Member/ }).click();
    await page.getByRole('menuitemcheckbox', { name: /^manager/ }).click();
    await expect(notifications(page).getByText('Roles of Carol Member changed')).toBeVisible();
    await page.keyboard.press('Escape');
    expect(await memberRoleNames(acmeId, carol.id)).toEqual(['manager', 'member']);

    // The member's details: a full-screen panel with what each role allows.
    await page.getByRole('button', { name: 'Details of Carol Member' }).click();
    const panel = page.getByRole('dialog', { name: 'Carol Member' });
    await expect(panel.getByText('Invite people and manage invitations')).toBeVisible();
    const panelBox = await panel.boundingBox();
    expect(panelBox?.width).toBe(SCREENS.phone.width);
    await panel.getByRole('button', { name: 'Close' }).click();
  } finally {
    await setMemberRoles(acmeId, carol.id, ['member']);
  }
});

test('remove: the confirmation fills the screen and the member is gone', async ({ page }) => {
  const email = `phone-remove-${Date.now()}@members.example`;
  const user = await createUser({ name: 'Rita Removable', primaryEmail: email });
  try {
    await logtoApi('POST', `/organizations/${acmeId}/users`, { userIds: [user.id] });
    await setMemberRoles(acmeId, user.id, ['member']);
    await page.goto(`/orgs/${acmeId}/members?q=${encodeURIComponent(email)}`);
    await page.getByRole('button', { name: 'Remove Rita Removable' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Rita Removable from Acme?' });
    await expect(dialog).toBeVisible();
    const box = await dialog.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: SCREENS.phone.width, height: SCREENS.phone.height });
    await expect(dialog.getByRole('button', { name: 'Remove member' })).toBeInViewport();
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await expect(notifications(page).getByText(/Rita Removable was removed/)).toBeVisible();
    expect(await memberRoleNames(acmeId, user.id)).toBeNull();
  } finally {
    await deleteUser(user.id);
  }
});

test('invite: the dialog fills the screen, the invitation is created', async ({ page }) => {
  const email = `phone-invite-${Date.now()}@newcomers.example`;
  try {
    await page.goto(`/orgs/${acmeId}/invitations`);
    await expectNoPageOverflow(page);
    await page.getByRole('button', { name: 'Invite people' }).click();
    const dialog = page.getByRole('dialog', { name: /Invite people to/ });
    const box = await dialog.boundingBox();
    expect(box).toMatchObject({ width: SCREENS.phone.width, height: SCREENS.phone.height });
    const field = dialog.getByLabel('Email addresses');
    await field.fill(email);
    await field.press('Enter');
    const send = dialog.getByRole('button', { name: /^(Send|Invite)/ });
    await expect(send).toBeInViewport();
    await send.click();
    await expect(dialog.getByText(/1 invitation created/)).toBeVisible();
    await expect(dialog.getByRole('button', { name: `Copy link ${email}` })).toBeInViewport();
    const created = await invitationsOf(acmeId, email);
    expect(created.map((invitation) => invitation.status)).toEqual(['Pending']);
  } finally {
    for (const invitation of await invitationsOf(acmeId, email)) await deleteInvitation(invitation.id);
  }
});

test.describe('accept', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('an invitee signs in on a phone and accepts on the invitation page', async ({ page }) => {
    const roles = await organizationRoleIds();
    const email = `phone-accept-${Date.now()}@newcomers.example`;
    const password = 'phone-accept-password-1';
    const user = await createUser({ name: 'Pia Phone', primaryEmail: email, password });
    const invitation = await createInvitation({
      organizationId: acmeId,
      invitee: email,
      roleIds: [roles.member!],
    });
    try {
      // A person with no organization lands on their own view first.
      await signInWithPassword(page, { email, password });
      await page.goto(`/invitations/${invitation.id}`);
      await expect(page.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
      await expectNoPageOverflow(page);
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await expect(page.getByRole('heading', { name: 'You joined Acme' })).toBeVisible();
      expect(await memberRoleNames(acmeId, user.id)).toEqual(['member']);
    } finally {
      await deleteInvitation(invitation.id);
      await deleteUser(user.id);
    }
  });
});
