import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { expect, organizationIdByName, test, USERS } from './fixtures';
import { ACME_MEMBERS_LOCK, exclusively } from './support/exclusive';
import { memberByEmail, memberRoleNames, setMemberRoles } from './support/logto-api';

const CAROL_CHANGE = "alice@acme.example changed carol@acme.example's roles: member → manager, member";

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

test('alice’s changes show up in the Activity tab: newest first, filterable, exportable', async ({
  pageAs,
  capture,
}) => {
  const carol = await memberByEmail(acmeId, USERS.carol.email);
  const page = await pageAs('alice');
  const notifications = page.getByRole('region', { name: 'Notifications' });

  await exclusively(ACME_MEMBERS_LOCK, async () => {
    try {
      // A change the rules refuse is recorded too: alice may not take admin away from herself.
      await page.goto(`/orgs/${acmeId}/members?q=alice%40acme.example`);
      await page.getByRole('button', { name: 'Roles of Alice Admin: admin' }).click();
      await page.getByRole('menuitemcheckbox', { name: /^admin/ }).click();
      await expect(notifications.getByText('The roles of Alice Admin were not changed')).toBeVisible();
      await page.keyboard.press('Escape');

      // Then she gives carol the manager role through the members page.
      await page.getByRole('searchbox', { name: 'Search members' }).fill('carol');
      await expect(page.getByText('1 matching “carol”')).toBeVisible();
      await page.getByRole('button', { name: 'Roles of Carol Member: member' }).click();
      await page.getByRole('menuitemcheckbox', { name: /^manager/ }).click();
      await expect(notifications.getByText('Roles of Carol Member changed')).toBeVisible();
      await page.keyboard.press('Escape');
      expect(await memberRoleNames(acmeId, carol.id)).toEqual(['manager', 'member']);

      await page
        .getByRole('navigation', { name: 'Organization sections' })
        .getByRole('link', { name: 'Activity' })
        .click();
      await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/activity$`));
      const table = page.getByRole('table', { name: 'Activity' });
      const rows = table.getByRole('row');
      // Row 0 holds the column headers.
      await expect(rows.nth(1)).toContainText(CAROL_CHANGE);
      await expect(rows.nth(1)).toContainText('Done');
      await expect(rows.nth(2)).toContainText(
        "alice@acme.example tried to change alice@acme.example's roles to no roles",
      );
      await expect(rows.nth(2)).toContainText('Refused');
      await expect(rows.nth(2)).toContainText('it would leave nobody who can change roles');
      await capture(page, 'activity');

      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        axe.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => violation.id),
      ).toEqual([]);

      // What: only role changes; the refused attempt was a role change too, a removal is not.
      await page.getByLabel('Filter by kind of change').selectOption({ label: 'Members removed' });
      await expect(page).toHaveURL(/\?action=member\.remove$/);
      await expect(table).not.toContainText(CAROL_CHANGE);
      await page.getByLabel('Filter by kind of change').selectOption({ label: 'Role changes' });
      await expect(page).toHaveURL(/\?action=member\.role_change$/);
      await expect(rows.nth(1)).toContainText(CAROL_CHANGE);

      // Target: the refused attempt on alice herself drops out.
      await page.getByRole('searchbox', { name: 'Search by member or invitee' }).fill('carol@acme');
      await expect(page).toHaveURL(/\?action=member\.role_change&q=carol%40acme$/);
      await expect(rows.nth(1)).toContainText(CAROL_CHANGE);
      await expect(table).not.toContainText('tried to change alice@acme.example');

      // Who: clicking the actor keeps only their changes; the chip takes the filter away again.
      await rows.nth(1).getByRole('button', { name: 'Show only changes by alice@acme.example' }).click();
      await expect(page).toHaveURL(/[?&]who=[^&]+/);
      await expect(page.getByText('By alice@acme.example')).toBeVisible();
      await expect(rows.nth(1)).toContainText(CAROL_CHANGE);

      // The export takes the same filters.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^acme-activity-\d{4}-\d{2}-\d{2}\.csv$/);
      const text = await readFile((await download.path())!, 'utf8');
      const lines = text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean);
      expect(lines[0]).toBe(
        'occurred_at,actor_user_id,actor_email,actor_is_operator,action,target_type,target_id,target_label,before,after,outcome,reason,job_id',
      );
      expect(lines[1]).toContain(
        `,alice@acme.example,false,member.role_change,member,${carol.id},carol@acme.example,"{""roles"":[""member""]}","{""roles"":[""manager"",""member""]}",done,,`,
      );
      expect(lines.every((line, index) => index === 0 || line.includes(',member.role_change,'))).toBe(true);

      await page.getByRole('button', { name: "Show everyone's changes" }).click();
      await expect(page).not.toHaveURL(/who=/);

      // The URL holds the view: a reload shows the same filtered log.
      await page.reload();
      await expect(page.getByLabel('Filter by kind of change')).toHaveValue('member.role_change');
      await expect(rows.nth(1)).toContainText(CAROL_CHANGE);
    } finally {
      // Carol is a seeded persona other specs rely on: back to `member` at once.
      await setMemberRoles(acmeId, carol.id, ['member']);
    }
  });
});

test('bob, a manager, reads the log too; carol, a plain member, does not see it', async ({ pageAs }) => {
  const bob = await pageAs('bob');
  await bob.goto(`/orgs/${acmeId}/activity`);
  await expect(bob.getByRole('table', { name: 'Activity' })).toBeVisible();
  await expect(bob.getByRole('link', { name: 'Export CSV' })).toBeVisible();

  const carol = await pageAs('carol');
  const page = await carol.goto(`/orgs/${acmeId}/activity`);
  expect(page?.status()).toBe(404);
  const response = await carol.request.get(`/api/orgs/${acmeId}/activity/export`);
  expect(response.status()).toBe(404);
});
