// Small things a customer notices (issue 16): the icons, what the invite dialog promises on a
// tenant without an email connector, how long addresses wrap, and the order of members.
import type { Page } from '@playwright/test';
import { expect, organizationIdByName, test } from './fixtures';
import { logtoApi } from './support/logto-api';

test('serves the favicon, the icons and the web manifest the pages link to', async ({ page, request }) => {
  const favicon = await request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  // An ICO file: reserved 0, type 1 (icon), then how many images it holds.
  const ico = await favicon.body();
  expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
  expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(2);

  await page.goto('/sign-in?error=SessionRequired');
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifestHref).toBe('/manifest.webmanifest');
  const manifest = await request.get(manifestHref ?? '');
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { icons: { src: string; type: string }[] };
  const iconLinks = await page
    .locator('link[rel="icon"], link[rel="apple-touch-icon"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  expect(iconLinks).toEqual(expect.arrayContaining(['/favicon.ico', '/icon.svg', '/apple-touch-icon.png']));
  for (const src of new Set([...body.icons.map((icon) => icon.src), ...iconLinks])) {
    const icon = await request.get(src);
    expect(icon.status(), src).toBe(200);
    expect(icon.headers()['content-type'], src).toMatch(/^image\//);
  }
});

/** The local Logto's email connector (its outbox), removed for a moment and put back. */
async function withoutEmailConnector(task: () => Promise<void>) {
  const { data: connectors } = await logtoApi<{ id: string; connectorId: string; config: object }[]>(
    'GET',
    '/connectors',
  );
  const email = connectors.find((connector) => connector.connectorId === 'emulator-outbox-email');
  if (!email) throw new Error('The local Logto has no email connector to remove.');
  await logtoApi('DELETE', `/connectors/${email.id}`);
  try {
    await task();
  } finally {
    await logtoApi('POST', '/connectors', {
      connectorId: email.connectorId,
      id: email.id,
      config: email.config,
    });
  }
}

async function openInviteDialog(page: Page, orgId: string) {
  await page.goto(`/orgs/${orgId}/invitations`);
  await page.getByRole('button', { name: 'Invite people' }).click();
  const dialog = page.getByRole('dialog', { name: /Invite people to/ });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('without an email connector the invite dialog promises links, not emails; long addresses wrap between their parts', async ({
  pageAs,
}) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  const stamp = Date.now().toString(36);
  const long = `firstname.middlename.lastname.${stamp}@regional-subsidiary-department.international-holdings.very-long-company-name.example`;
  await withoutEmailConnector(async () => {
    // The page reads the tenant's settings at most 5 s old: reopen until it shows the change.
    let dialog = await openInviteDialog(page, acmeId);
    await expect(async () => {
      dialog = await openInviteDialog(page, acmeId);
      await expect(dialog.getByText('Logto cannot send email yet', { exact: false })).toBeVisible({
        timeout: 1_000,
      });
    }).toPass({ timeout: 30_000 });
    await expect(dialog.getByText('They receive an email')).toHaveCount(0);

    await dialog.getByLabel('Email addresses').fill(long);
    await dialog.getByLabel('Email addresses').press('Enter');
    await dialog.getByRole('button', { name: 'Create 1 invitation' }).click();
    await expect(dialog.getByText('1 invitation created · 0 skipped · 0 failed')).toBeVisible();

    // The address wraps only between its parts ("firstname", ".middlename", "…@", …) or after a
    // hyphen inside one: never in the middle of a word.
    const results = dialog.getByRole('list', { name: 'Results' });
    // The first match is the address itself; the copy button repeats it for screen readers.
    const address = results.getByText(long).first();
    await expect(address).toBeVisible();
    const { text, breaksAfter } = await address.evaluate((element) => {
      let all = '';
      const breaks: string[] = [];
      for (const node of element.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        const value = node.textContent ?? '';
        let previousTop: number | undefined;
        for (let index = 0; index < value.length; index += 1) {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const top = Math.round(range.getClientRects()[0]?.top ?? 0);
          if (previousTop !== undefined && top !== previousTop) breaks.push(value.slice(0, index));
          previousTop = top;
        }
        all += value;
      }
      return { text: all, breaksAfter: breaks };
    });
    expect(text).toBe(long);
    for (const before of breaksAfter) expect(before, `a line break after "${before}"`).toMatch(/-$/);
    // …and the address is long enough to need more than one line.
    const lineCount = await address.evaluate((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    });
    expect(lineCount).toBeGreaterThan(1);
  });
  const { data: invitations } = await logtoApi<{ id: string; invitee: string }[]>(
    'GET',
    `/organization-invitations?organizationId=${acmeId}`,
  );
  for (const invitation of invitations.filter((candidate) => candidate.invitee === long))
    await logtoApi('DELETE', `/organization-invitations/${invitation.id}`);
});

test("members come in Logto's order (user ID), the table says so, and offers no sort of its own", async ({
  pageAs,
}) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/members?page=2`);
  const table = page.getByRole('table', { name: /^Members\. Listed in Logto's order, by user ID/ });
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  await expect(
    page.getByText(
      "Listed in Logto's order, by user ID: Logto cannot sort members by name, email or date, so search or filter by role to find someone.",
      { exact: true },
    ),
  ).toBeVisible();

  const emails = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[1]?.textContent?.trim() ?? ''));
  const { data: logtoPage } = await logtoApi<{ id: string; primaryEmail: string | null }[]>(
    'GET',
    `/organizations/${acmeId}/users?page=2&page_size=20`,
  );
  expect(emails).toEqual(logtoPage.map((member) => member.primaryEmail ?? ''));
  const ids = logtoPage.map((member) => member.id);
  expect(ids).toEqual([...ids].sort());

  await expect(table.getByRole('columnheader').getByRole('button')).toHaveCount(0);
  await expect(table.locator('[aria-sort]')).toHaveCount(0);
});
