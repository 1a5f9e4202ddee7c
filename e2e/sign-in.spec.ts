import { expect, organizationIdByName, signInWithLogto, test } from './fixtures';

test.describe('signing in and out', () => {
  test('an unauthenticated visit goes through sign-in and returns to the page it wanted', async ({
    page,
  }) => {
    const acmeId = await organizationIdByName('Acme');
    const wanted = `/orgs/${acmeId}/members?page=3`;
    const visitedSignIn: string[] = [];
    page.on('framenavigated', (frame) => {
      const url = new URL(frame.url());
      if (frame === page.mainFrame() && url.pathname === '/sign-in') visitedSignIn.push(url.search);
    });

    await signInWithLogto(page, 'alice', wanted);

    expect(visitedSignIn[0]).toBe(`?${new URLSearchParams({ callbackUrl: wanted })}`);
    await expect(page).toHaveURL(new RegExp(`${wanted.replace('?', '\\?')}$`));
    await expect(page.getByText('Page 3 of 125')).toBeVisible();
  });

  test('every data route refuses visitors without a session, or with a forged one', async ({ request }) => {
    const acmeId = await organizationIdByName('Acme');
    const routes = ['members', 'members?page=2', 'members/export', 'members/candidates?q=a', 'invitations'];
    const cookies = [
      undefined,
      'next-auth.session-token=forged',
      `next-auth.session-token.0=${'e'.repeat(100)}; next-auth.session-token.1=forged`,
    ];
    for (const route of routes) {
      for (const cookie of cookies) {
        const response = await request.get(`/api/orgs/${acmeId}/${route}`, {
          headers: cookie ? { cookie } : {},
        });
        expect(response.status(), `${route} with ${cookie ?? 'no cookie'}`).toBe(401);
        expect((await response.json()).error.code).toBe('unauthenticated');
      }
    }
  });

  test('signing out ends the Logto session too', async ({ page, capture }) => {
    await signInWithLogto(page, 'bob');
    await expect(page.getByRole('banner')).toContainText('Bob Manager');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByText('You have signed out.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign in with Logto' })).toBeEnabled();
    await capture(page, 'signed-out');

    // Signing in again needs the password: the Logto session is gone as well.
    await page.getByRole('button', { name: 'Sign in with Logto' }).click();
    await expect(page.getByLabel('Password')).toBeVisible();
  });
});
