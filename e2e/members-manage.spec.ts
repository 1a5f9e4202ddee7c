import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, organizationIdByName, storageStatePath, test, USERS } from './fixtures';
import { memberByEmail, memberRoleNames, organizationRoleIds, setMemberRoles } from './support/logto-api';
import { callServerAction } from './support/server-actions';

const LAST_ADMIN_MESSAGE = 'The organization must keep at least one member who can change roles';

/** Presses Tab until the focused element's name matches (keyboard-only navigation). */
async function tabTo(page: Page, name: RegExp, maxPresses = 25): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(
      () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
    );
    if (name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** Serious and critical axe findings (WCAG 2.1 A/AA), as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

test.describe('changing roles', () => {
  test('alice finds carol, gives her manager with the keyboard only, and a reload shows it', async ({
    pageAs,
    capture,
  }) => {
    const carol = await memberByEmail(acmeId, USERS.carol.email);
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members`);
    await expect(page.getByText('2,500 members')).toBeVisible();

    try {
      await page.getByRole('searchbox', { name: 'Search members' }).focus();
      await page.keyboard.type('carol');
      await expect(page).toHaveURL(/\?q=carol$/);
      await expect(page.getByText('1 matching “carol”')).toBeVisible();

      await tabTo(page, /^Roles of Carol Member/);
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu', { name: /^Roles of Carol Member/ });
      await expect(menu).toBeVisible();
      // The menu opens on the role she holds.
      await expect(menu.getByRole('menuitemcheckbox', { name: /^member/ })).toBeFocused();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      const manager = menu.getByRole('menuitemcheckbox', { name: /^manager/ });
      await expect(manager).toBeFocused();
      await expect(manager).toHaveAttribute('aria-checked', 'false');
      await page.keyboard.press('Space');
      // Shown at once, before the server answers.
      await expect(manager).toHaveAttribute('aria-checked', 'true');
      await capture(page, 'role-menu-open');
      await page.keyboard.press('Escape');
      await expect(menu).toBeHidden();
      await expect(page.getByRole('button', { name: 'Roles of Carol Member: manager, member' })).toBeFocused();
      await expect(
        page.getByRole('region', { name: 'Notifications' }).getByText('Roles of Carol Member changed'),
      ).toBeVisible();

      await page.reload();
      await expect(page.getByRole('button', { name: 'Roles of Carol Member: manager, member' })).toBeVisible();
      expect(await memberRoleNames(acmeId, carol.id)).toEqual(['manager', 'member']);
    } finally {
      // Carol is a seeded persona other specs rely on: back to `member` at once.
      await setMemberRoles(acmeId, carol.id, ['member']);
    }
  });

  test('filtering by role keeps the role in the URL and counts the holders', async ({ pageAs }) => {
    const roles = await organizationRoleIds();
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members`);
    await page.getByLabel('Filter by role').selectOption({ label: 'admin' });
    await expect(page).toHaveURL(new RegExp(`\\?role=${roles.admin}$`));
    await expect(page.getByText('1 member with the role admin')).toBeVisible();
    const rows = page.getByRole('table', { name: 'Members' }).locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Alice Admin');
    await expect(rows.first()).toContainText('You');
  });
});

test.describe('the last admin', () => {
  test('alice cannot take admin away from herself: the change is rolled back with a message', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members?q=alice%40acme.example`);
    const trigger = page.getByRole('button', { name: 'Roles of Alice Admin: admin' });
    await trigger.click();
    await page.getByRole('menuitemcheckbox', { name: /^admin/ }).click();

    const alert = page.getByRole('region', { name: 'Notifications' }).getByRole('alert');
    await expect(alert.getByText('The roles of Alice Admin were not changed')).toBeVisible();
    await expect(alert).toContainText(LAST_ADMIN_MESSAGE);
    await expect(alert).toContainText('Their roles were put back as they were.');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Roles of Alice Admin: admin' })).toBeVisible();
    await capture(page, 'last-admin-rollback');

    const alice = await memberByEmail(acmeId, USERS.alice.email);
    expect(await memberRoleNames(acmeId, alice.id)).toEqual(['admin']);
  });

  test('alice cannot remove herself; the confirmation works from the keyboard', async ({ pageAs, capture }) => {
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members?q=alice%40acme.example`);
    await expect(page.getByText('1 matching “alice@acme.example”')).toBeVisible();

    const removeButton = page.getByRole('button', { name: 'Remove Alice Admin' });
    await page.getByRole('searchbox', { name: 'Search members' }).focus();
    await tabTo(page, /^Remove Alice Admin$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Remove Alice Admin from Acme?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('You are about to remove yourself');
    // The safe choice has focus; Escape cancels and gives focus back.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(removeButton).toBeFocused();

    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: 'Remove member' })).toBeFocused();
    await capture(page, 'remove-self-dialog');
    await page.keyboard.press('Enter');

    const alert = page.getByRole('region', { name: 'Notifications' }).getByRole('alert');
    await expect(alert.getByText('Alice Admin was not removed')).toBeVisible();
    await expect(alert).toContainText(LAST_ADMIN_MESSAGE);
    await expect(dialog).toBeHidden();
    const alice = await memberByEmail(acmeId, USERS.alice.email);
    expect(await memberRoleNames(acmeId, alice.id)).toEqual(['admin']);
  });
});

test.describe('a manager', () => {
  test('bob sees the members but no role or remove controls, and direct calls are refused', async ({
    pageAs,
    request,
  }) => {
    const carol = await memberByEmail(acmeId, USERS.carol.email);
    const roles = await organizationRoleIds();
    const page = await pageAs('bob');
    await page.goto(`/orgs/${acmeId}/members?q=carol`);
    const row = page.getByRole('table', { name: 'Members' }).getByRole('row', { name: /Carol Member/ });
    await expect(row).toContainText('member');
    await expect(page.getByRole('button', { name: /^Roles of/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Add members' })).toHaveCount(0);
    // Reading is allowed, so the export is there.
    await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();

    const membersPage = `/orgs/${acmeId}/members`;
    const bob = storageStatePath('bob');
    for (const [actionName, input] of [
      ['removeMemberAction', { userId: carol.id }],
      ['changeMemberRolesAction', { userId: carol.id, roleIds: [roles.admin] }],
      ['bulkAssignRoleAction', { userIds: [carol.id], roleId: roles.manager }],
      ['bulkRemoveMembersAction', { userIds: [carol.id] }],
    ] as const) {
      const answer = await callServerAction(request, { page: membersPage, actionName, args: [acmeId, input], storageState: bob });
      expect(answer.result, actionName).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'You do not have permission to do that in this organization.' },
      });
    }
    expect(await memberRoleNames(acmeId, carol.id)).toEqual(['member']);
  });
});

test.describe('accessibility', () => {
  test('the members page, its role menu and its dialog have no serious axe violations', async ({ pageAs }) => {
    const page = await pageAs('alice');
    await page.goto(`/orgs/${acmeId}/members`);
    await expect(page.getByText('2,500 members')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: 'Select all members on this page' }).check();
    await expect(page.getByRole('region', { name: 'Selected members' })).toBeVisible();
    await page.getByRole('button', { name: /^Roles of/ }).first().click();
    await expect(page.getByRole('menu')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: /^Remove/ }).first().click();
    await expect(page.getByRole('dialog')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('bob’s read-only view has no serious axe violations', async ({ pageAs }) => {
    const page = await pageAs('bob');
    await page.goto(`/orgs/${acmeId}/members`);
    await expect(page.getByText('2,500 members')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
