import type { Page } from '@playwright/test';
import { expect, organizationIdByName, signInWithPassword, storageStatePath, test, USERS } from './fixtures';
import {
  createInvitation,
  createUser,
  deleteInvitation,
  deleteUser,
  invitationById,
  logtoApi,
  memberByEmail,
  memberRoleNames,
  organizationRoleIds,
  setMemberRoles,
} from './support/logto-api';
import { callServerAction } from './support/server-actions';
import { axeViolations, SCREENS } from './support/views';

// A member's own view, on a phone (390 × 844): the organizations they belong to with their roles,
// the invitations addressed to them (accept, decline), and leaving. Never the last admin.

const PASSWORD = 'own-view-password-1';

let ids: { acme: string; globex: string; initech: string };

test.beforeAll(async () => {
  const [acme, globex, initech] = await Promise.all(
    ['Acme', 'Globex', 'Initech'].map((name) => organizationIdByName(name)),
  );
  ids = { acme: acme!, globex: globex!, initech: initech! };
});

test.use({ viewport: SCREENS.phone, isMobile: true, hasTouch: true });

/** Toasts live in the notifications region; errors interrupt (role="alert"). */
function notifications(page: Page) {
  return page.getByRole('region', { name: 'Notifications' });
}

test('someone who manages nothing sees where they belong, accepts one invitation, declines another and leaves', async ({
  page,
}) => {
  const roles = await organizationRoleIds();
  const email = `own-view-${Date.now()}@members.example`;
  const user = await createUser({ name: 'Mia Member', primaryEmail: email, password: PASSWORD });
  const invitationIds: string[] = [];
  try {
    await logtoApi('POST', `/organizations/${ids.acme}/users`, { userIds: [user.id] });
    await setMemberRoles(ids.acme, user.id, ['member']);
    const toGlobex = await createInvitation({
      organizationId: ids.globex,
      invitee: email,
      roleIds: [roles.manager!],
    });
    const toInitech = await createInvitation({
      organizationId: ids.initech,
      invitee: email,
      roleIds: [roles.member!],
    });
    invitationIds.push(toGlobex.id, toInitech.id);

    await signInWithPassword(page, { email, password: PASSWORD });
    await page.goto('/orgs');
    const memberships = page.getByRole('region', { name: 'Your memberships' });
    const invitations = page.getByRole('region', { name: 'Invitations for you' });
    await expect(page.getByText('No organizations yet')).toHaveCount(0);
    await expect(memberships.getByRole('heading', { name: 'Acme' })).toBeVisible();
    await expect(memberships.getByRole('listitem').filter({ hasText: 'Acme' })).toContainText('member');
    await expect(invitations.getByRole('heading', { name: 'Globex' })).toBeVisible();
    await expect(invitations.getByRole('listitem').filter({ hasText: 'Globex' })).toContainText('manager');
    await expect(invitations.getByRole('heading', { name: 'Initech' })).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    // Accept Globex: a member there at once, with the invitation's role.
    await invitations.getByRole('button', { name: 'Accept the invitation to Globex' }).click();
    await expect(notifications(page).getByText('You joined Globex')).toBeVisible();
    await expect(memberships.getByRole('heading', { name: 'Globex' })).toBeVisible();
    await expect(invitations.getByRole('heading', { name: 'Globex' })).toHaveCount(0);
    expect(await memberRoleNames(ids.globex, user.id)).toEqual(['manager']);
    // A manager may open Globex's pages from here.
    await expect(memberships.getByRole('link', { name: 'Manage Globex' })).toBeVisible();

    // Decline Initech: it asks first, then the invitation is withdrawn.
    await invitations.getByRole('button', { name: 'Decline the invitation to Initech' }).click();
    const decline = page.getByRole('dialog', { name: 'Decline the invitation to Initech?' });
    await expect(decline).toBeVisible();
    await decline.getByRole('button', { name: 'Decline invitation' }).click();
    await expect(notifications(page).getByText('You declined the invitation to Initech')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Invitations for you' })).toHaveCount(0);
    expect((await invitationById(toInitech.id)).status).toBe('Revoked');
    expect(await memberRoleNames(ids.initech, user.id)).toBeNull();

    // Leave Acme: it names what is lost, then she is gone from Acme in Logto too.
    await memberships.getByRole('button', { name: 'Leave Acme' }).click();
    const leave = page.getByRole('dialog', { name: 'Leave Acme?' });
    await expect(leave).toContainText('To come back you need a new invitation.');
    const box = await leave.boundingBox();
    expect(box?.width).toBe(SCREENS.phone.width);
    await leave.getByRole('button', { name: 'Leave organization' }).click();
    await expect(notifications(page).getByText('You left Acme')).toBeVisible();
    await expect(memberships.getByRole('heading', { name: 'Acme' })).toHaveCount(0);
    expect(await memberRoleNames(ids.acme, user.id)).toBeNull();

    // Each organization's activity log says what she did there: Globex's that she accepted, with
    // the role she got, Initech's that she declined, Acme's that she left, with the roles she held.
    const operator = await page
      .context()
      .browser()!
      .newContext({ storageState: storageStatePath('operator') });
    type Entry = { outcome: string; before: Record<string, unknown>; after: Record<string, unknown> };
    const logOf = async (orgId: string, action: string): Promise<Entry[]> => {
      const query = `action=${action}&q=${encodeURIComponent(email)}`;
      const response = await operator.request.get(
        new URL(`/api/orgs/${orgId}/activity?${query}`, page.url()).href,
      );
      expect(response.status()).toBe(200);
      return ((await response.json()) as { rows: Entry[] }).rows;
    };
    try {
      const accepted = await logOf(ids.globex, 'invitation.accept');
      expect(accepted.map((entry) => [entry.outcome, entry.before, entry.after])).toEqual([
        ['done', { status: 'Pending' }, { status: 'Accepted', roles: ['manager'] }],
      ]);
      const declined = await logOf(ids.initech, 'invitation.decline');
      expect(declined.map((entry) => [entry.outcome, entry.before, entry.after])).toEqual([
        ['done', { status: 'Pending', roles: ['member'] }, { status: 'Revoked' }],
      ]);
      const left = await logOf(ids.acme, 'member.leave');
      expect(left.map((entry) => [entry.outcome, entry.before.roles])).toEqual([['done', ['member']]]);
    } finally {
      await operator.close();
    }
  } finally {
    await Promise.all(invitationIds.map((id) => deleteInvitation(id)));
    await deleteUser(user.id);
  }
});

test('the last person who can change roles cannot leave: a clear refusal, nothing changes', async ({
  browser,
}) => {
  const context = await browser.newContext({
    storageState: storageStatePath('alice'),
    viewport: SCREENS.phone,
    isMobile: true,
    hasTouch: true,
  });
  try {
    const page = await context.newPage();
    await page.goto('/orgs');
    const memberships = page.getByRole('region', { name: 'Your memberships' });
    await memberships.getByRole('button', { name: 'Leave Acme' }).click();
    await page
      .getByRole('dialog', { name: 'Leave Acme?' })
      .getByRole('button', { name: 'Leave organization' })
      .click();
    const alert = notifications(page).getByRole('alert');
    await expect(alert).toContainText('You are still a member of Acme');
    await expect(alert).toContainText('You are the last person in this organization who can change roles');
    await expect(memberships.getByRole('heading', { name: 'Acme' })).toBeVisible();
    const alice = await memberByEmail(ids.acme, USERS.alice.email);
    expect(await memberRoleNames(ids.acme, alice.id)).toEqual(['admin']);
  } finally {
    await context.close();
  }
});

test('leaving or declining by hand-made calls: bad input and other people’s things change nothing', async ({
  request,
}) => {
  const roles = await organizationRoleIds();
  const carol = await memberByEmail(ids.acme, USERS.carol.email);
  const forDave = await createInvitation({
    organizationId: ids.initech,
    invitee: USERS.dave.email,
    roleIds: [roles.member!],
  });
  try {
    const call = (actionName: string, args: unknown[]) =>
      callServerAction(request, { page: '/orgs', actionName, args, storageState: storageStatePath('carol') });

    // Not an organization id at all, an array, nothing: refused before anything else runs.
    for (const args of [[{ orgId: ['x'] }], [{}], [{ orgId: '' }]]) {
      const answer = await call('leaveOrganizationAction', args);
      expect(answer.result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // An organization she does not belong to is "not found", like one that does not exist.
    for (const orgId of [ids.globex, 'doesnotexist']) {
      const answer = await call('leaveOrganizationAction', [{ orgId }]);
      expect(answer.result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(await memberRoleNames(ids.acme, carol.id)).toEqual(['member']);

    // Someone else's invitation cannot be declined by her.
    const decline = await call('declineInvitationAction', [{ invitationId: forDave.id }]);
    expect(decline.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await invitationById(forDave.id)).status).toBe('Pending');
    const unknown = await call('declineInvitationAction', [{ invitationId: 'doesnotexist' }]);
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const signedOut = await callServerAction(request, {
      page: '/orgs',
      actionName: 'leaveOrganizationAction',
      args: [{ orgId: ids.acme }],
      storageState: null,
    });
    expect(signedOut.result === undefined || (signedOut.result as { ok: boolean }).ok === false).toBe(true);
    expect(await memberRoleNames(ids.acme, carol.id)).toEqual(['member']);
  } finally {
    await deleteInvitation(forDave.id);
  }
});
