// An invitee without an account (issue 16): on a tenant set up like Logto's default (sign-up by
// username only) the invitation page says why a new account would not help instead of looping
// back to "Create account"; once sign-up asks for an email, "Create account" opens Logto's email
// sign-up with the invited address, in the portal's language (ui_locales), and the invitee joins.
import type { Page } from '@playwright/test';
import { expect, logtoUrl, organizationIdByName, test } from './fixtures';
import { logtoApi, organizationRoleIds } from './support/logto-api';

type SignInExperience = { signInMode: string; signUp: unknown; signIn: unknown };

const LOGTO_DEFAULT_SIGN_UP = {
  signUp: { identifiers: ['username'], password: true, verify: false, secondaryIdentifiers: [] },
  signIn: {
    methods: [{ identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true }],
  },
};

const PASSWORD = 'a-new-password-1';

/** Reloads until the page shows what the tenant's current settings say (the portal caches them 5 s). */
async function reloadUntil(page: Page, visible: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await visible();
  }).toPass({ timeout: 30_000 });
}

test('an invitee without an account: the dead end explained on a username-only tenant, then email sign-up in Korean', async ({
  browser,
  baseURL,
}) => {
  const acmeId = await organizationIdByName('Acme');
  const stamp = Date.now().toString(36);
  const email = `signup-${stamp}@newcomers.example`;
  const username = `newcomer_${stamp}`;
  const { data: invitation } = await logtoApi<{ id: string }>('POST', '/organization-invitations', {
    invitee: email,
    organizationId: acmeId,
    organizationRoleIds: [(await organizationRoleIds()).member],
    expiresAt: Date.now() + 86_400_000,
    messagePayload: false,
  });
  const link = `${baseURL}/invitations/${invitation.id}#email=${encodeURIComponent(email)}`;
  const { data: before } = await logtoApi<SignInExperience>('GET', '/sign-in-exp');
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const atLogto = (url: URL) => url.href.startsWith(logtoUrl());
  try {
    await logtoApi('PATCH', '/sign-in-exp', LOGTO_DEFAULT_SIGN_UP);

    // Signed out, on Logto's default: no "Create account" that could only loop; words instead.
    await page.goto(link);
    await expect(page.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
    await reloadUntil(page, () =>
      expect(page.getByRole('note')).toContainText(
        'Accounts created here get a username but no email address',
        {
          timeout: 1_000,
        },
      ),
    );
    await expect(page.getByRole('button', { name: 'Create account' })).toHaveCount(0);

    // The dead end itself: an account made on Logto's username-only sign-up has no email.
    await page.getByRole('button', { name: 'Sign in to accept' }).click();
    await page.waitForURL(atLogto);
    await page.getByRole('link', { name: 'Create account' }).click();
    await expect(page.getByLabel('Email')).toHaveCount(0);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === `/invitations/${invitation.id}`);
    await expect(
      page.getByRole('heading', { name: 'This invitation is for a different email address' }),
    ).toBeVisible();
    await expect(page.getByText('You are signed in with an account that has no email address')).toBeVisible();
    await expect(page.getByRole('note')).toContainText('turn on sign-up with email in Logto');
    await expect(page.getByRole('button', { name: 'Create an account with the invited email' })).toHaveCount(
      0,
    );
    await expect(page.getByRole('button', { name: 'Use another account' })).toBeVisible();

    // The tenant now lets invitees sign up with their email (what bootstrap --configure-sign-up sets).
    await logtoApi('PATCH', '/sign-in-exp', { signUp: before.signUp, signIn: before.signIn });
    await context.addCookies([{ name: 'locale', value: 'ko', url: baseURL ?? '' }]);
    const createWithEmail = page.getByRole('button', { name: '초대받은 이메일로 계정 만들기' });
    await reloadUntil(page, () => expect(createWithEmail).toBeVisible({ timeout: 1_000 }));
    await createWithEmail.click();

    // Logto's email sign-up, in the portal's language, with the invited address filled in.
    await page.waitForURL(atLogto);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { name: '계정 만들기' })).toBeVisible();
    await expect(page.getByLabel('이메일')).toHaveValue(email);
    await page.getByLabel('이름').fill('Nina Newcomer');
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByLabel('비밀번호 확인').fill(PASSWORD);
    await page.getByRole('button', { name: '계정 만들기' }).click();

    await page.waitForURL((url) => url.pathname === `/invitations/${invitation.id}` && !atLogto(url));
    await page.getByRole('button', { name: '초대 수락' }).click();
    await expect(page.getByRole('heading', { name: 'Acme에 참여했습니다' })).toBeVisible();
  } finally {
    await context.close();
    await logtoApi('PATCH', '/sign-in-exp', { signUp: before.signUp, signIn: before.signIn });
    await logtoApi('DELETE', `/organization-invitations/${invitation.id}`).catch(() => undefined);
    const { data: users } = await logtoApi<
      { id: string; username: string | null; primaryEmail: string | null }[]
    >('GET', `/users?${new URLSearchParams({ search: `%${stamp}%` })}`);
    for (const user of users) await logtoApi('DELETE', `/users/${user.id}`);
  }
});
