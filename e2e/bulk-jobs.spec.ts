import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, logtoUrl, organizationIdByName, test } from './fixtures';
import { ACME_MEMBERS_LOCK, exclusively } from './support/exclusive';
import {
  createUser,
  deleteInvitation,
  deleteUser,
  invitationsOf,
  logtoApi,
  organizationRoleIds,
} from './support/logto-api';

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

// Other specs count Acme's invitations: the hundreds these jobs create go once each test is done.
test.afterEach(async () => {
  const ours = (await invitationsOf(acmeId)).filter((invitation) =>
    /^(paste|csv)-\d+-\d+@bulk\.example$/.test(invitation.invitee),
  );
  for (let start = 0; start < ours.length; start += 50) {
    await Promise.all(ours.slice(start, start + 50).map((invitation) => deleteInvitation(invitation.id)));
  }
});

/** The progress bar's settled count, as it announces it. */
async function settledOf(page: Page): Promise<number> {
  return Number(await page.getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow'));
}

async function outboxLinks(to: string): Promise<string[]> {
  const response = await fetch(`${logtoUrl()}/_emulator/outbox.json?${new URLSearchParams({ to })}`);
  return ((await response.json()) as Array<{ link: string | null }>).flatMap((mail) =>
    mail.link ? [mail.link] : [],
  );
}

test('paste 300 addresses, watch the job move, close the page, come back to it done, download the results', async ({
  pageAs,
  capture,
}) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const emails = Array.from({ length: 300 }, (_, index) => `paste-${run}-${index}@bulk.example`);
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/jobs`);
  await page.getByRole('link', { name: 'Invite many people' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/jobs/new-invitation$`));

  // One address twice (in another case) and one that is not an address: the preview says so.
  const pasted = [...emails, emails[0]!.toUpperCase(), 'not-an-address'].join('\n');
  await page.getByRole('textbox', { name: 'Email addresses' }).fill(pasted);
  await expect(page.getByTestId('bulk-invite-summary')).toHaveText(
    '300 addresses to invite · 1 not valid (left out) · 1 duplicate merged',
  );
  await expect(page.getByText('line 302: not-an-address')).toBeVisible();
  await capture(page, 'bulk-invite-form');
  await page.getByRole('button', { name: 'Invite 300 people' }).click();

  await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/jobs/[0-9a-f-]{36}$`));
  const jobUrl = page.url();
  await expect(page.getByRole('heading', { name: 'Invite 300 people' })).toBeVisible();
  // The bar moves while the page is open (polling): first some done, then more.
  await expect.poll(() => settledOf(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const seen = await settledOf(page);
  expect(seen).toBeLessThan(300);
  await expect.poll(() => settledOf(page), { timeout: 60_000 }).toBeGreaterThan(seen);
  await capture(page, 'bulk-job-running');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations).toEqual([]);

  // Close the tab: the job does not need it.
  await page.close();

  const later = await pageAs('alice');
  await later.goto(`/orgs/${acmeId}/jobs`);
  const row = later.getByTestId('job-row').filter({ hasText: 'Invite 300 people' }).first();
  await expect(row).toBeVisible();
  await expect(row.getByText('Finished')).toBeVisible({ timeout: 120_000 });
  await row.getByRole('link', { name: /Invite 300 people/ }).click();
  await expect(later).toHaveURL(jobUrl);
  await expect(later.getByTestId('job-counts')).toContainText('300 of 300');
  await expect(later.getByTestId('job-counts')).toContainText('300 done');
  await expect(later.getByTestId('job-item')).toHaveCount(50);
  await capture(later, 'bulk-job-finished');

  const downloadPromise = later.waitForEvent('download');
  await later.getByRole('link', { name: 'Download results (CSV)' }).click();
  const download = await downloadPromise;
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('#,target,state,reason,invitation_id,link');
  expect(lines).toHaveLength(301);
  expect(lines.slice(1).every((line) => line.includes(',done,'))).toBe(true);
  expect(lines[1]).toContain(emails[0]);

  // In Logto: one pending invitation per address, one email each, whose link opens the invitation.
  for (const email of [emails[0]!, emails[150]!, emails[299]!]) {
    const invitations = await invitationsOf(acmeId, email);
    expect(invitations.map((invitation) => invitation.status)).toEqual(['Pending']);
    expect(await outboxLinks(email)).toHaveLength(1);
  }
  const [link] = await outboxLinks(emails[0]!);
  const invitee = await pageAs('bob');
  await invitee.goto(new URL(link!).pathname);
  await expect(invitee.getByText(/Acme/).first()).toBeVisible();
  await expect(invitee.getByText('This page could not be found')).toHaveCount(0);
});

test('a forged or altered invitation link opens nothing', async ({ pageAs }) => {
  const page = await pageAs('bob');
  const forged = `${Buffer.from(JSON.stringify({ o: acmeId, e: 'x@bulk.example', x: Date.now() + 1e9 })).toString('base64url')}.${'A'.repeat(43)}`;
  const response = await page.goto(`/invitations/${forged}`);
  expect(response?.status()).toBe(404);
});

test('give everyone a search matches a role in one job, from the members page', async ({ pageAs }) => {
  test.setTimeout(120_000);
  const run = Date.now();
  const roleIds = await organizationRoleIds();
  const people = await Promise.all(
    Array.from({ length: 12 }, (_, index) =>
      createUser({ name: `Sales ${index}`, primaryEmail: `rep-${run}-${index}@sales-${run}.example` }),
    ),
  );
  try {
    await logtoApi('POST', `/organizations/${acmeId}/users`, { userIds: people.map((person) => person.id) });
    await logtoApi('POST', `/organizations/${acmeId}/users/roles`, {
      userIds: people.map((person) => person.id),
      organizationRoleIds: [roleIds.member],
    });
    await exclusively(ACME_MEMBERS_LOCK, async () => {
      const page = await pageAs('alice');
      await page.goto(`/orgs/${acmeId}/members?q=sales-${run}&page_size=10`);
      await expect(page.getByText(`12 matching “sales-${run}”`)).toBeVisible();
      await page.getByRole('checkbox', { name: /Select all/ }).check();
      await page.getByRole('button', { name: 'Apply to all 12 matching…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('combobox', { name: 'What to do' }).selectOption('assign_role');
      await dialog.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'manager' });
      await dialog.getByRole('button', { name: 'Start for 12 members' }).click();
      await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/jobs/[0-9a-f-]{36}$`));
      await expect(page.getByRole('heading', { name: /Give manager to 12 members/ })).toBeVisible();
      await expect(page.getByText('Finished')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('job-counts')).toContainText('12 done');
    });
    for (const person of people) {
      const { data } = await logtoApi<Array<{ name: string }>>(
        'GET',
        `/organizations/${acmeId}/users/${person.id}/roles`,
      );
      expect(data.map((role) => role.name).sort()).toEqual(['manager', 'member']);
    }
  } finally {
    await Promise.all(people.map((person) => deleteUser(person.id)));
  }
});

test('upload a CSV, pick its column, then stop the job: what was done stays, the rest never starts', async ({
  pageAs,
}) => {
  test.setTimeout(120_000);
  const run = Date.now();
  const emails = Array.from({ length: 600 }, (_, index) => `csv-${run}-${index}@bulk.example`);
  const csv = [
    'Name,Team,Work email',
    ...emails.map((email, index) => `"Person, ${index}",sales,${email}`),
  ].join('\r\n');
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/jobs/new-invitation`);
  await page.getByRole('radio', { name: 'Upload a CSV file' }).check();
  await page
    .getByLabel('CSV file', { exact: true })
    .setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // The column with the addresses is found, and the header row noticed.
  await expect(page.getByRole('combobox', { name: 'Column with the email addresses' })).toHaveValue('2');
  await expect(page.getByRole('checkbox', { name: 'The first row holds column names' })).toBeChecked();
  await expect(page.getByTestId('bulk-invite-summary')).toHaveText('600 addresses to invite');
  // Another column: nothing usable in it, so nothing to send.
  await page
    .getByRole('combobox', { name: 'Column with the email addresses' })
    .selectOption({ label: 'Team' });
  await expect(page.getByTestId('bulk-invite-summary')).toHaveText(
    'No addresses yet · 600 not valid (left out)',
  );
  await expect(page.getByRole('button', { name: 'Start inviting' })).toBeDisabled();
  await page
    .getByRole('combobox', { name: 'Column with the email addresses' })
    .selectOption({ label: 'Work email' });
  await page.getByRole('button', { name: 'Invite 600 people' }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acmeId}/jobs/[0-9a-f-]{36}$`));

  await page.getByRole('button', { name: 'Stop job' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop job' }).click();
  await expect(page.getByText('Stopped', { exact: true })).toBeVisible({ timeout: 60_000 });

  const counts = page.getByTestId('job-counts');
  const text = (await counts.textContent()) ?? '';
  const done = Number(/(\d+) done/.exec(text)?.[1]);
  const notStarted = Number(/(\d+) not started/.exec(text)?.[1] ?? 0);
  expect(done + notStarted).toBe(600);
  // Logto holds exactly the invitations the job reports done (however early the stop came).
  const invited = (await invitationsOf(acmeId)).filter((invitation) =>
    invitation.invitee.startsWith(`csv-${run}-`),
  );
  expect(invited).toHaveLength(done);
});
