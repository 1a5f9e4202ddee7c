import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, logtoUrl, organizationIdByName, storageStatePath, test, USERS } from './fixtures';
import { columnBoxes, SCREENS } from './support/views';

// ---------------------------------------------------------------------------------------------
// Helpers: the local Logto's Management API and outbox, and replaying a captured server action.
// ---------------------------------------------------------------------------------------------

type Invitation = { id: string; invitee: string; status: string; organizationId: string };
type ActionOutcome = {
  ok: boolean;
  data?: unknown;
  error?: { code: string; message: string; fieldErrors?: Record<string, string[]> };
};

let tokenLoad: Promise<string> | undefined;

function managementToken(): Promise<string> {
  tokenLoad ??= fetch(`${logtoUrl()}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'portal-m2m',
      client_secret: 'portal-m2m-secret',
      resource: 'https://default.logto.app/api',
      scope: 'all',
    }),
  }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
  return tokenLoad;
}

async function logtoApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${logtoUrl()}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${await managementToken()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

const invitationsOf = (orgId: string) =>
  logtoApi<Invitation[]>('GET', `/organization-invitations?organizationId=${orgId}`);

async function roleIdByName(name: string): Promise<string> {
  const roles = await logtoApi<{ id: string; name: string }[]>('GET', '/organization-roles?page_size=100');
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`No organization role ${name}`);
  return role.id;
}

async function outboxLinks(to: string): Promise<string[]> {
  const response = await fetch(`${logtoUrl()}/_emulator/outbox.json?${new URLSearchParams({ to })}`);
  const messages = (await response.json()) as { link: string | null }[];
  return messages.flatMap((message) => (message.link ? [message.link] : []));
}

/** Deletes what a test created: invitations by id, and users (with their memberships). */
async function cleanUp(o: { invitationIds?: string[]; userEmails?: string[] }) {
  for (const id of o.invitationIds ?? [])
    await logtoApi('DELETE', `/organization-invitations/${id}`).catch(() => undefined);
  for (const email of o.userEmails ?? []) {
    const users = await logtoApi<{ id: string }[]>(
      'GET',
      `/users?${new URLSearchParams({ 'search.primaryEmail': email, 'mode.primaryEmail': 'exact' })}`,
    );
    for (const user of users) await logtoApi('DELETE', `/users/${user.id}`);
  }
}

let unique = 0;
function newAddress(label: string): string {
  unique += 1;
  return `${label}-${Date.now().toString(36)}-${unique}@newcomers.example`;
}

/** A server action as the browser called it: enough to call it again with other arguments. */
type CapturedAction = { url: string; actionId: string };

/** Runs `trigger` and records the server action request whose body satisfies `matches`. */
async function captureAction(
  page: Page,
  matches: (body: string) => boolean,
  trigger: () => Promise<void>,
): Promise<CapturedAction> {
  const request = page.waitForRequest(
    (candidate) =>
      candidate.method() === 'POST' &&
      !!candidate.headers()['next-action'] &&
      matches(candidate.postData() ?? ''),
  );
  await trigger();
  const captured = await request;
  return { url: captured.url(), actionId: captured.headers()['next-action']! };
}

/** Calls a server action directly (as a script would), with the caller's cookies. */
async function callAction(
  request: APIRequestContext,
  action: CapturedAction,
  args: unknown[],
): Promise<ActionOutcome> {
  const response = await request.post(action.url, {
    headers: {
      'Next-Action': action.actionId,
      'Content-Type': 'text/plain;charset=UTF-8',
      Accept: 'text/x-component',
    },
    data: JSON.stringify(args),
  });
  const text = await response.text();
  // The flight stream has one row per line (`1:{…}`); the action's own value is the one with `ok`.
  for (const line of text.split('\n')) {
    const json = line.slice(line.indexOf(':') + 1);
    if (!json.startsWith('{')) continue;
    const value = JSON.parse(json) as Partial<ActionOutcome>;
    if (typeof value.ok === 'boolean') return value as ActionOutcome;
  }
  throw new Error(`No action result in the response (${response.status()}): ${text.slice(0, 300)}`);
}

async function openInvitations(page: Page, orgId: string, query = '') {
  await page.goto(`/orgs/${orgId}/invitations${query}`);
  await expect(page.getByRole('table', { name: 'Invitations' })).not.toHaveAttribute('aria-busy', 'true');
}

async function openInviteDialog(page: Page) {
  await page.getByRole('button', { name: 'Invite people' }).click();
  const dialog = page.getByRole('dialog', { name: /Invite people to/ });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function addAddresses(page: Page, text: string) {
  const field = page.getByRole('dialog').getByLabel('Email addresses');
  await field.fill(text);
  await field.press('Enter');
}

// ---------------------------------------------------------------------------------------------

let acmeId: string;
let globexId: string;

test.beforeAll(async () => {
  [acmeId, globexId] = await Promise.all([organizationIdByName('Acme'), organizationIdByName('Globex')]);
});

test.describe('tracking invitations', () => {
  for (const [screen, viewport] of Object.entries(SCREENS)) {
    test(`columns stay where they are whatever a page holds (${screen})`, async ({ pageAs }) => {
      const page = await pageAs('alice');
      await page.setViewportSize(viewport);
      await openInvitations(page, acmeId, '?status=all');
      const table = page.getByRole('table', { name: 'Invitations' });
      await expect(table.getByRole('button', { name: /^Revoke/ }).first()).toBeVisible();
      const allTab = await columnBoxes(table);

      // One accepted invitation: a shorter address and no buttons. Left to their content, the
      // columns would take other widths for it.
      await page.getByRole('searchbox', { name: 'Search invitations' }).fill('carol@acme.example');
      await expect(table.locator('tbody tr')).toHaveCount(1);
      await expect(table.getByRole('button')).toHaveCount(0);
      expect(await columnBoxes(table)).toEqual(allTab);
    });
  }

  test('tabs by status with counts, search by email, expiry in relative time', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('alice');
    await openInvitations(page, acmeId);
    const tabs = page.getByRole('navigation', { name: 'Invitation status' });
    await expect(tabs.getByRole('link', { name: /Pending/ })).toHaveAttribute('aria-current', 'page');
    // The seed: 3 pending, 1 accepted, 1 expired, 1 revoked.
    await expect(tabs.getByRole('link')).toHaveText([
      'Pending3',
      'Accepted1',
      'Expired1',
      'Revoked1',
      'All6',
    ]);
    const rows = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('Alice Admin');
    await expect(rows.first()).toContainText(/in \d+ days|next week|tomorrow/);
    await capture(page, 'invitations-pending');

    await tabs.getByRole('link', { name: /Expired/ }).click();
    await expect(page).toHaveURL(/\?status=expired$/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(/ago|yesterday/);
    // Only pending invitations can be resent or revoked.
    await expect(rows.first().getByRole('button')).toHaveCount(0);

    await tabs.getByRole('link', { name: /All/ }).click();
    await expect(rows).toHaveCount(6);
    const firstEmail = (await rows.first().locator('td').first().textContent())!.trim();
    await page
      .getByRole('searchbox', { name: 'Search invitations' })
      .fill(firstEmail.slice(0, 8).toUpperCase());
    await expect(page).toHaveURL(/[?&]q=.*status=all|status=all.*[?&]q=/);
    await expect(page.getByText(/invitations? match/)).toBeVisible();
    await expect(rows.first()).toContainText(firstEmail);

    await page.getByRole('searchbox', { name: 'Search invitations' }).fill('nobody-was-invited-like-this');
    await expect(page.getByText('No invitations match “nobody-was-invited-like-this”')).toBeVisible();
    await expect(tabs.getByRole('link')).toHaveText([
      'Pending0',
      'Accepted0',
      'Expired0',
      'Revoked0',
      'All0',
    ]);
    await page.getByRole('button', { name: 'Clear search' }).last().click();
    await expect(tabs.getByRole('link', { name: /All/ })).toHaveAttribute('aria-current', 'page');
    await expect(rows).toHaveCount(6);
  });

  test('carol (member) cannot reach the invitations, neither the page nor its data', async ({ pageAs }) => {
    const page = await pageAs('carol');
    const response = await page.goto(`/orgs/${acmeId}/invitations`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Organization not found' })).toBeVisible();
    const api = await page.request.get(`/api/orgs/${acmeId}/invitations?status=all`);
    expect(api.status()).toBe(404);
  });
});

test.describe('inviting', () => {
  test('checks each address as it is added, merges duplicates, flags members and pending invitees', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('alice');
    const seededPending = (await invitationsOf(acmeId)).find(
      (invitation) => invitation.status === 'Pending',
    )!;
    const fresh = newAddress('checked');
    const created: string[] = [];
    try {
      await openInvitations(page, acmeId);
      const dialog = await openInviteDialog(page);
      await expect(dialog.getByRole('checkbox', { name: 'member' })).toBeChecked();
      await expect(dialog.getByLabel('Link expires after')).toHaveValue('7');

      await addAddresses(
        page,
        `${fresh}, not-an-address\n${fresh.toUpperCase()} ${USERS.carol.email}; ${seededPending.invitee}`,
      );
      const chips = dialog.getByRole('list', { name: 'Addresses to invite' }).getByRole('listitem');
      await expect(chips).toHaveCount(4);
      await expect(chips.filter({ hasText: 'not-an-address' })).toContainText('not a valid email');
      await expect(chips.filter({ hasText: USERS.carol.email })).toContainText('already a member');
      await expect(chips.filter({ hasText: seededPending.invitee.toLowerCase() })).toContainText(
        'already invited',
      );
      await expect(
        dialog.getByText(
          /4 addresses · 1 not valid · 1 duplicate merged · 1 already a member · 1 already invited/,
        ),
      ).toBeVisible();
      await capture(page, 'invite-dialog-checked');

      await dialog.getByRole('button', { name: /^Send \d+ invitations?$/ }).click();
      await expect(
        dialog.getByText('Fix or remove the address that is not valid: not-an-address.'),
      ).toBeVisible();
      await dialog.getByRole('button', { name: 'Remove not-an-address' }).click();
      await dialog.getByRole('button', { name: 'Send 3 invitations' }).click();

      const results = dialog.getByRole('list', { name: 'Results' }).getByRole('listitem');
      await expect(results).toHaveCount(3);
      await expect(results.filter({ hasText: fresh })).toContainText('Email sent');
      await expect(results.filter({ hasText: USERS.carol.email })).toContainText('Skipped: already a member');
      await expect(results.filter({ hasText: seededPending.invitee.toLowerCase() })).toContainText(
        'Skipped: already invited',
      );
      await expect(dialog.getByText('1 invitation created · 2 skipped · 0 failed')).toBeVisible();
      await capture(page, 'invite-dialog-results');
      created.push(...(await invitationsOf(acmeId)).filter((i) => i.invitee === fresh).map((i) => i.id));
      expect(created).toHaveLength(1);
      expect(await outboxLinks(fresh)).toHaveLength(1);

      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(
        page.getByRole('table', { name: 'Invitations' }).getByRole('row', { name: new RegExp(fresh) }),
      ).toBeVisible();
    } finally {
      await cleanUp({ invitationIds: created });
    }
  });

  test('resend sends the same link again; copy link copies it; revoke asks first', async ({
    pageAs,
    capture,
  }) => {
    const page = await pageAs('alice');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const email = newAddress('resend');
    const memberRole = await roleIdByName('member');
    const invitation = await logtoApi<Invitation>('POST', '/organization-invitations', {
      invitee: email,
      organizationId: acmeId,
      organizationRoleIds: [memberRole],
      expiresAt: Date.now() + 3 * 86_400_000,
      messagePayload: false,
    });
    try {
      await openInvitations(page, acmeId, `?q=${encodeURIComponent(email)}`);
      const row = page.getByRole('row', { name: new RegExp(email) });
      await expect(row).toContainText('in 3 days');

      await row.getByRole('button', { name: `Resend the invitation to ${email}` }).click();
      await expect(
        page.getByRole('status').filter({ hasText: `The invitation was emailed to ${email} again.` }),
      ).toBeVisible();
      const link = `http://${new URL(page.url()).host}/invitations/${invitation.id}#${new URLSearchParams({ email })}`;
      expect(await outboxLinks(email)).toEqual([link]);

      await row.getByRole('button', { name: `Copy the invitation link for ${email}` }).click();
      await expect(page.getByText(`Invitation link for ${email} copied.`)).toBeVisible();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

      await row.getByRole('button', { name: `Revoke the invitation for ${email}` }).click();
      const confirm = page.getByRole('dialog', { name: `Revoke the invitation for ${email}?` });
      await expect(confirm).toContainText('The invitation link will stop working');
      await capture(page, 'revoke-confirm');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect((await logtoApi<Invitation>('GET', `/organization-invitations/${invitation.id}`)).status).toBe(
        'Pending',
      );

      await row.getByRole('button', { name: `Revoke the invitation for ${email}` }).click();
      await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
      await expect(page.getByText(`The invitation for ${email} was revoked.`)).toBeVisible();
      await expect(page.getByText(`No invitations match “${email}”`)).toBeVisible();
      expect((await logtoApi<Invitation>('GET', `/organization-invitations/${invitation.id}`)).status).toBe(
        'Revoked',
      );
    } finally {
      await cleanUp({ invitationIds: [invitation.id] });
    }
  });

  test('the table and the dialog follow the browser’s language (Korean)', async ({
    browser,
    baseURL,
    capture,
  }) => {
    const context = await browser.newContext({
      baseURL,
      storageState: storageStatePath('alice'),
      locale: 'ko-KR',
    });
    const page = await context.newPage();
    await page.goto(`/orgs/${acmeId}/invitations`);
    const tabs = page.getByRole('navigation', { name: '초대 상태' });
    await expect(tabs.getByRole('link', { name: /대기 중/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByText('초대 3건')).toBeVisible();
    await page.getByRole('button', { name: '사용자 초대' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acme에 사용자 초대' });
    await page.getByLabel('이메일 주소').fill(`${USERS.carol.email} ko-${Date.now()}@newcomers.example `);
    await expect(dialog.getByRole('listitem').filter({ hasText: USERS.carol.email })).toContainText(
      '이미 멤버',
    );
    await expect(dialog.getByLabel('링크 유효 기간')).toHaveValue('7');
    await expect(dialog.getByRole('button', { name: '초대 2건 보내기' })).toBeVisible();
    await capture(page, 'invite-dialog-ko');
    await context.close();
  });

  test('1,000 pasted addresses are refused with a clear message, nothing is sent', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const before = (await invitationsOf(acmeId)).length;
    await openInvitations(page, acmeId);
    const dialog = await openInviteDialog(page);
    const addresses = Array.from({ length: 1000 }, (_, index) => `bulk${index}@thousand.example`);
    await addAddresses(page, addresses.join('\n'));
    await dialog.getByRole('button', { name: 'Send 1,000 invitations' }).click();
    await expect(
      dialog.getByText(
        'You can invite up to 200 people at once; this list has 1,000. Split it into smaller batches.',
      ),
    ).toBeVisible();
    expect((await invitationsOf(acmeId)).length).toBe(before);
  });
});

test.describe('the invite action refuses, whoever calls it and however', () => {
  let inviteAction: CapturedAction;
  let sentTo: string;

  test.beforeAll(async ({ browser, baseURL }) => {
    // Capture the action once, the way alice's browser calls it.
    const context = await browser.newContext({ baseURL, storageState: storageStatePath('alice') });
    const page = await context.newPage();
    sentTo = newAddress('captured');
    await openInvitations(page, acmeId);
    await openInviteDialog(page);
    await addAddresses(page, sentTo);
    inviteAction = await captureAction(
      page,
      (body) => body.includes('expiresInDays'),
      () => page.getByRole('dialog').getByRole('button', { name: 'Send 1 invitation' }).click(),
    );
    await expect(page.getByText('Email sent')).toBeVisible();
    await context.close();
  });

  test.afterAll(async () => {
    await cleanUp({
      invitationIds: (await invitationsOf(acmeId)).filter((i) => i.invitee === sentTo).map((i) => i.id),
    });
  });

  test('bad input from alice: clear errors, nothing created', async ({ pageAs }) => {
    const page = await pageAs('alice');
    const before = await invitationsOf(acmeId);
    const memberRole = await roleIdByName('member');
    const tenantRole = (await logtoApi<{ id: string; name: string }[]>('GET', '/roles')).find(
      (role) => role.name === 'portal-operator',
    )!;
    const invite = (input: object, orgId = acmeId) => callAction(page.request, inviteAction, [orgId, input]);
    const ok = { emails: [newAddress('never')], roleIds: [memberRole], expiresInDays: 7 };

    const malformed = await invite({ ...ok, emails: ['fine@x.example', 'no-at-sign', 'two@@x.example'] });
    expect(malformed.error?.code).toBe('invalid_input');
    expect(malformed.error?.fieldErrors).toEqual({
      'emails.1': ['“no-at-sign” is not a valid email address.'],
      'emails.2': ['“two@@x.example” is not a valid email address.'],
    });

    const thousand = await invite({
      ...ok,
      emails: Array.from({ length: 1000 }, (_, index) => `p${index}@x.example`),
    });
    expect(thousand.error?.fieldErrors?.emails).toEqual([
      'You can invite up to 200 people at once; this list has 1,000. Split it into smaller batches.',
    ]);

    for (const expiresInDays of [-7, 0, 365]) {
      const past = await invite({ ...ok, expiresInDays });
      expect(past.error?.fieldErrors?.expiresInDays).toEqual(['Choose an expiry of 1, 3, 7, 14 or 30 days.']);
    }

    for (const roleIds of [['no-such-role'], [tenantRole.id]]) {
      const unknown = await invite({ ...ok, roleIds });
      expect(unknown.error?.code).toBe('invalid_input');
      expect(unknown.error?.fieldErrors?.roleIds).toEqual([
        'Choose roles from the list: some of the roles given do not exist.',
      ]);
    }

    // Another organization: alice is not a member of Globex, so it does not exist for her.
    const elsewhere = await invite(ok, globexId);
    expect(elsewhere.error?.code).toBe('not_found');

    expect((await invitationsOf(acmeId)).map(({ id }) => id).sort()).toEqual(
      before.map(({ id }) => id).sort(),
    );
    expect((await invitationsOf(globexId)).some(({ invitee }) => invitee === ok.emails[0])).toBe(false);
  });

  test('bob (manager) is offered member and manager only, and cannot invite as admin', async ({ pageAs }) => {
    const page = await pageAs('bob');
    await openInvitations(page, acmeId);
    const dialog = await openInviteDialog(page);
    await expect(dialog.getByRole('checkbox')).toHaveCount(2);
    await expect(dialog.getByRole('checkbox', { name: 'manager' })).toBeVisible();
    await expect(dialog.getByRole('checkbox', { name: 'admin' })).toHaveCount(0);

    const email = newAddress('escalation');
    const result = await callAction(page.request, inviteAction, [
      acmeId,
      { emails: [email], roleIds: [await roleIdByName('admin')], expiresInDays: 7 },
    ]);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('forbidden');
    expect(result.error?.fieldErrors?.roleIds).toEqual([
      'You cannot grant these roles, because they include permissions you do not have: admin.',
    ]);
    expect((await invitationsOf(acmeId)).some(({ invitee }) => invitee === email)).toBe(false);
  });

  test('carol (member) calling the action directly is refused', async ({ pageAs }) => {
    const page = await pageAs('carol');
    const email = newAddress('carol-direct');
    const result = await callAction(page.request, inviteAction, [
      acmeId,
      { emails: [email], roleIds: [await roleIdByName('member')], expiresInDays: 7 },
    ]);
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await invitationsOf(acmeId)).some(({ invitee }) => invitee === email)).toBe(false);
    expect(await outboxLinks(email)).toEqual([]);
  });

  test('revoking another organization’s invitation by id is "not found", and it stays pending', async ({
    pageAs,
  }) => {
    const page = await pageAs('alice');
    const email = newAddress('mine');
    const globexInvitation = await logtoApi<Invitation>('POST', '/organization-invitations', {
      invitee: newAddress('globex'),
      organizationId: globexId,
      expiresAt: Date.now() + 86_400_000,
      messagePayload: false,
    });
    const acmeInvitation = await logtoApi<Invitation>('POST', '/organization-invitations', {
      invitee: email,
      organizationId: acmeId,
      expiresAt: Date.now() + 86_400_000,
      messagePayload: false,
    });
    try {
      await openInvitations(page, acmeId, `?q=${encodeURIComponent(email)}`);
      await page.getByRole('button', { name: `Revoke the invitation for ${email}` }).click();
      const revokeAction = await captureAction(
        page,
        (body) => body.includes(acmeInvitation.id),
        () => page.getByRole('dialog').getByRole('button', { name: 'Revoke invitation' }).click(),
      );
      await expect(page.getByText(`The invitation for ${email} was revoked.`)).toBeVisible();

      const result = await callAction(page.request, revokeAction, [
        acmeId,
        { invitationId: globexInvitation.id },
      ]);
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'not_found',
          fieldErrors: { _form: ['This invitation does not exist in this organization.'] },
        },
      });
      expect(
        (await logtoApi<Invitation>('GET', `/organization-invitations/${globexInvitation.id}`)).status,
      ).toBe('Pending');
    } finally {
      await cleanUp({ invitationIds: [globexInvitation.id, acmeInvitation.id] });
    }
  });
});

test.describe('the invitee’s page', () => {
  test('an unknown invitation says so and nothing more', async ({ pageAs, capture }) => {
    const page = await pageAs('bob');
    const response = await page.goto('/invitations/nosuchinvitation0000000');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Invitation not found' })).toBeVisible();
    await capture(page, 'invitee-not-found');
  });

  test('a signed-out visitor sees only the organization’s name and the ways in', async ({
    browser,
    baseURL,
    capture,
  }) => {
    // An invitation of its own, so the page always has a pending one to show.
    const pending = await logtoApi<Invitation>('POST', '/organization-invitations', {
      organizationId: acmeId,
      invitee: newAddress('signed-out-visit'),
      organizationRoleIds: [await roleIdByName('member')],
      expiresAt: Date.now() + 86_400_000,
      messagePayload: false,
    });
    const context = await browser.newContext({ baseURL });
    try {
      const page = await context.newPage();
      const response = await page.goto(`/invitations/${pending.id}`);
      // Not sent to sign-in first: the page itself offers the ways in.
      expect(new URL(page.url()).pathname).toBe(`/invitations/${pending.id}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Sign in to accept' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
      await expect(page.locator('body')).not.toContainText(pending.invitee);
      await capture(page, 'invitee-signed-out');
    } finally {
      await context.close();
      await cleanUp({ invitationIds: [pending.id] });
    }
  });
});

/**
 * The whole journey. Last in this file on purpose: while the invitee is a member, Acme has one
 * member more than the seed, which specs counting Acme's members would notice.
 */
test.describe('alice invites, the invitee joins', () => {
  test('two new addresses as member: email, new account, accept, member; revoke; a mismatched email is refused', async ({
    pageAs,
    browser,
    baseURL,
    capture,
  }) => {
    test.setTimeout(120_000);
    const alice = await pageAs('alice');
    const joiner = newAddress('joiner');
    const other = newAddress('other');
    try {
      // alice invites both as member, from the dialog.
      await openInvitations(alice, acmeId);
      const dialog = await openInviteDialog(alice);
      await addAddresses(alice, `${joiner}\n${other}`);
      await expect(dialog.getByRole('checkbox', { name: 'member' })).toBeChecked();
      await dialog.getByRole('button', { name: 'Send 2 invitations' }).click();
      await expect(dialog.getByText('2 invitations created · 0 skipped · 0 failed')).toBeVisible();
      await dialog.getByRole('button', { name: 'Done' }).click();

      // The emails reached the local Logto's outbox, each with its invitation link.
      const [joinerLink] = await outboxLinks(joiner);
      const [otherLink] = await outboxLinks(other);
      expect(joinerLink).toMatch(new RegExp(`^${baseURL}/invitations/[0-9a-z]+#email=`));
      expect(otherLink).toMatch(new RegExp(`^${baseURL}/invitations/[0-9a-z]+#email=`));

      // A mismatched email is refused: carol opens the other invitee's link.
      const carol = await pageAs('carol');
      await carol.goto(otherLink!);
      await expect(
        carol.getByRole('heading', { name: 'This invitation is for a different email address' }),
      ).toBeVisible();
      await expect(carol.getByText(`You are signed in as ${USERS.carol.email}.`)).toBeVisible();
      await expect(carol.getByRole('button', { name: 'Accept invitation' })).toHaveCount(0);
      await expect(carol.getByRole('button', { name: 'Use another account' })).toBeVisible();
      await capture(carol, 'invitee-mismatch');

      // The invitee, in a fresh browser, follows the link and creates an account.
      const { page: invitee, close } = await freshBrowser(browser, baseURL);
      await invitee.goto(joinerLink!);
      await createAccountThroughLogto(invitee, joiner);
      await expect(invitee).toHaveURL(new RegExp(`/invitations/[0-9a-z]+$`));
      await expect(invitee.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
      await expect(invitee.locator('p', { hasText: 'You will join with the roles:' })).toContainText(
        'member',
      );
      await capture(invitee, 'invitee-accept');

      const acceptAction = await captureAction(
        invitee,
        (body) => body.includes('invitationId'),
        () => invitee.getByRole('button', { name: 'Accept invitation' }).click(),
      );
      await expect(invitee.getByRole('heading', { name: 'You joined Acme' })).toBeVisible();
      await capture(invitee, 'invitee-joined');

      // Replaying the accept as carol on her mismatched invitation is refused by the server too.
      const otherId = new URL(otherLink!).pathname.split('/').pop()!;
      const refused = await callAction(carol.request, acceptAction, [{ invitationId: otherId }]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await logtoApi<Invitation>('GET', `/organization-invitations/${otherId}`)).status).toBe(
        'Pending',
      );

      // alice sees the new member, and the invitation as accepted.
      await alice.goto(`/orgs/${acmeId}/members?q=${encodeURIComponent(joiner)}`);
      const memberRow = alice.getByRole('table', { name: 'Members' }).locator('tbody tr');
      await expect(memberRow).toHaveCount(1);
      await expect(memberRow).toContainText(joiner);
      await expect(memberRow).toContainText('member');
      await openInvitations(alice, acmeId, `?status=accepted&q=${encodeURIComponent(joiner)}`);
      await expect(alice.getByRole('row', { name: new RegExp(joiner) })).toBeVisible();

      // alice revokes the other invitation; its link then shows the revoked page.
      await openInvitations(alice, acmeId, `?q=${encodeURIComponent(other)}`);
      await alice.getByRole('button', { name: `Revoke the invitation for ${other}` }).click();
      await alice.getByRole('dialog').getByRole('button', { name: 'Revoke invitation' }).click();
      await expect(alice.getByText(`The invitation for ${other} was revoked.`)).toBeVisible();
      await invitee.goto(otherLink!);
      await expect(invitee.getByRole('heading', { name: 'This invitation was withdrawn' })).toBeVisible();
      await capture(invitee, 'invitee-revoked');
      await close();
    } finally {
      await cleanUp({
        userEmails: [joiner],
        invitationIds: (await invitationsOf(acmeId))
          .filter((i) => i.invitee === joiner || i.invitee === other)
          .map((i) => i.id),
      });
    }
  });
});

async function freshBrowser(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { page: await context.newPage(), close: () => context.close() };
}

/**
 * From the invitation link, signed out: through the portal's page when it shows one (else the
 * portal's sign-in sends the visitor straight on), to Logto's create-account form.
 */
async function createAccountThroughLogto(page: Page, email: string) {
  const atLogto = (url: URL) => url.href.startsWith(logtoUrl());
  await page.waitForURL((url) => atLogto(url) || url.pathname.startsWith('/invitations/'));
  if (!atLogto(new URL(page.url()))) {
    await expect(page.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => atLogto(url));
    // "Create account" asks Logto to open on its email sign-up (first_screen=identifier:register),
    // and the link's fragment pre-fills the address there.
    await expect(page.getByRole('heading', { name: 'Create account' })).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue(email);
  } else {
    await page.getByRole('link', { name: 'Create account' }).click();
  }
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill('Nina Newcomer');
  await page.getByLabel('Password', { exact: true }).fill('a-new-password-1');
  await page.getByLabel('Confirm password').fill('a-new-password-1');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(
    (url) => !atLogto(url) && !url.pathname.startsWith('/api/auth') && !url.pathname.startsWith('/sign-in'),
  );
}
