import { readFile } from 'node:fs/promises';
import { expect, organizationIdByName, test } from './fixtures';
import { createUser, deleteUser, logtoApi } from './support/logto-api';
import { ACME_MEMBERS_LOCK, exclusively } from './support/exclusive';

const HEADER = 'user_id,name,username,email,roles,last_sign_in_at';

test('alice exports every Acme member with their roles: 2,501 lines', async ({ pageAs, capture }) => {
  const acmeId = await organizationIdByName('Acme');
  const page = await pageAs('alice');
  await page.goto(`/orgs/${acmeId}/members`);
  await expect(page.getByText('2,500 members')).toBeVisible();
  await capture(page, 'members-export');

  const text = await exclusively(ACME_MEMBERS_LOCK, async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^acme-members-\d{4}-\d{2}-\d{2}\.csv$/);
    return readFile((await download.path())!, 'utf8');
  });

  // A byte-order mark for spreadsheet apps, then RFC 4180 records ending in CRLF.
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).split('\r\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(2501);
  expect(lines[0]).toBe(HEADER);
  const ids = new Set(lines.slice(1).map((line) => line.split(',')[0]));
  expect(ids.size).toBe(2500);
  expect(lines.find((line) => line.includes('alice@acme.example'))).toMatch(/,Alice Admin,.*,alice@acme\.example,admin,/);
  expect(lines.find((line) => line.includes('bob@acme.example'))).toContain(',manager,');
});

test.describe('a hostile name in the export', () => {
  let orgId: string;
  let userId: string | undefined;

  test.beforeAll(async () => {
    orgId = await organizationIdByName('Org 39');
  });

  test.afterAll(async () => {
    if (userId) await deleteUser(userId);
  });

  test('is defused and quoted, and the file is streamed', async ({ pageAs }) => {
    const email = `export-${Date.now()}@example.com`;
    const user = await createUser({ name: '=HYPERLINK("http://evil.example","Click, me")', primaryEmail: email });
    userId = user.id;
    await logtoApi('POST', `/organizations/${orgId}/users`, { userIds: [user.id] });

    const page = await pageAs('operator');
    const response = await page.request.get(`/api/orgs/${orgId}/members/export`);
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="org-39-members-[\d-]+\.csv"/);
    // Streamed page by page: no length known up front.
    expect(headers['content-length']).toBeUndefined();
    expect(headers['transfer-encoding']).toBe('chunked');

    const row = (await response.text()).split('\r\n').find((line) => line.startsWith(user.id));
    expect(row).toBe(`${user.id},"'=HYPERLINK(""http://evil.example"",""Click, me"")",,${email},,`);
  });
});
