import { expect, organizationIdByName, test, USERS } from './fixtures';
import { createInvitation, deleteInvitation, organizationRoleIds } from './support/logto-api';
import {
  axeViolations,
  canvasColour,
  isDark,
  openView,
  SCREENS,
  type ScreenName,
  THEMES,
} from './support/views';

// Every page people use, in both themes and on both screens, with axe (WCAG 2.1 A/AA, colour
// contrast included) finding nothing. The theme comes from the browser's colour scheme: the
// portal follows the system unless the person picks a theme in the header (tested below).

let acmeId: string;

test.beforeAll(async () => {
  acmeId = await organizationIdByName('Acme');
});

for (const theme of THEMES) {
  for (const screen of Object.keys(SCREENS) as ScreenName[]) {
    test.describe(`${theme} theme, ${screen}`, () => {
      test('organizations, members with a member’s details, invitations: axe finds nothing', async ({
        browser,
        baseURL,
      }) => {
        const { context, page } = await openView(browser, baseURL, { theme, screen, user: 'alice' });
        try {
          await page.goto('/orgs');
          await expect(page.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible();
          expect(isDark(await canvasColour(page))).toBe(theme === 'dark');
          expect(await axeViolations(page)).toEqual([]);

          if (screen === 'phone') {
            // The compact header: everything behind one button, Sign out within reach.
            const banner = page.getByRole('banner');
            await expect(banner.getByRole('button', { name: 'Sign out' })).toBeHidden();
            await banner.getByRole('button', { name: 'Menu' }).click();
            await expect(banner.getByRole('button', { name: 'Sign out' })).toBeVisible();
            await expect(banner.getByLabel('Theme')).toBeVisible();
            await expect(banner.getByText(USERS.alice.name)).toBeVisible();
            expect(await axeViolations(page)).toEqual([]);
            await page.keyboard.press('Escape');
            await expect(banner.getByRole('button', { name: 'Menu' })).toBeFocused();
            await expect(banner.getByRole('button', { name: 'Sign out' })).toBeHidden();
          }

          await page.goto(`/orgs/${acmeId}/members`);
          await expect(page.getByText('2,500 members')).toBeVisible();
          expect(await axeViolations(page)).toEqual([]);

          await page.goto(`/orgs/${acmeId}/members?q=carol`);
          await page.getByRole('button', { name: 'Details of Carol Member' }).click();
          const panel = page.getByRole('dialog', { name: 'Carol Member' });
          await expect(panel.getByRole('heading', { name: 'Roles and what they allow' })).toBeVisible();
          expect(await axeViolations(page)).toEqual([]);
          await panel.getByRole('button', { name: 'Close' }).click();
          await expect(panel).toBeHidden();

          await page.goto(`/orgs/${acmeId}/invitations`);
          await expect(page.getByRole('table', { name: 'Invitations' })).not.toHaveAttribute(
            'aria-busy',
            'true',
          );
          await page.getByRole('button', { name: 'Invite people' }).click();
          const dialog = page.getByRole('dialog', { name: /Invite people to/ });
          await expect(dialog).toBeVisible();
          if (screen === 'phone') {
            // Dialogs fill a phone's screen.
            const box = await dialog.boundingBox();
            expect(box?.width).toBe(SCREENS.phone.width);
            expect(box?.height).toBe(SCREENS.phone.height);
          }
          expect(await axeViolations(page)).toEqual([]);
          await dialog.getByRole('button', { name: 'Cancel' }).click();
          expect(await axeViolations(page)).toEqual([]);
        } finally {
          await context.close();
        }
      });

      test('the invitation page, sign-in and a member’s own view: axe finds nothing', async ({
        browser,
        baseURL,
      }) => {
        const roles = await organizationRoleIds();
        const invitation = await createInvitation({
          organizationId: acmeId,
          invitee: `themes-${theme}-${screen}-${Date.now()}@newcomers.example`,
          roleIds: [roles.member!],
        });
        const visitor = await openView(browser, baseURL, { theme, screen, user: null });
        const carol = await openView(browser, baseURL, { theme, screen, user: 'carol' });
        try {
          await visitor.page.goto(`/invitations/${invitation.id}`);
          await expect(visitor.page.getByRole('heading', { name: 'Join Acme' })).toBeVisible();
          expect(isDark(await canvasColour(visitor.page))).toBe(theme === 'dark');
          expect(await axeViolations(visitor.page)).toEqual([]);

          // Just signed out: the sign-in page waits for the button instead of going on to Logto.
          await visitor.context.addCookies([
            { name: 'portal-signed-out', value: '1', url: baseURL ?? '', sameSite: 'Lax' },
          ]);
          await visitor.page.goto('/sign-in');
          await expect(visitor.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
          expect(await axeViolations(visitor.page)).toEqual([]);

          await carol.page.goto('/orgs');
          await expect(carol.page.getByRole('region', { name: 'Your memberships' })).toBeVisible();
          expect(isDark(await canvasColour(carol.page))).toBe(theme === 'dark');
          expect(await axeViolations(carol.page)).toEqual([]);
        } finally {
          await visitor.context.close();
          await carol.context.close();
          await deleteInvitation(invitation.id);
        }
      });
    });
  }
}

test.describe('choosing a theme', () => {
  test('the header switch changes the page at once, is remembered per browser and rendered by the server', async ({
    browser,
    baseURL,
  }) => {
    const { context, page } = await openView(browser, baseURL, {
      theme: 'light',
      screen: 'desktop',
      user: 'alice',
    });
    try {
      await page.goto('/orgs');
      expect(isDark(await canvasColour(page))).toBe(false);
      const picker = page.getByRole('banner').getByLabel('Theme');
      await expect(picker).toHaveValue('system');

      await picker.selectOption('dark');
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      expect(isDark(await canvasColour(page))).toBe(true);
      expect((await context.cookies()).find((cookie) => cookie.name === 'theme')?.value).toBe('dark');

      // No flash: the server's HTML already carries the theme, before any script runs.
      const html = await (await page.request.get('/orgs')).text();
      expect(html).toMatch(/<html[^>]* data-theme="dark"/);
      await page.reload();
      await expect(picker).toHaveValue('dark');
      expect(isDark(await canvasColour(page))).toBe(true);

      // A picked theme wins over the system's.
      await picker.selectOption('light');
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(isDark(await canvasColour(page))).toBe(false);

      // Back to the system: the attribute and the cookie go, the system's dark applies.
      await picker.selectOption('system');
      await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
      expect(isDark(await canvasColour(page))).toBe(true);
      expect((await context.cookies()).some((cookie) => cookie.name === 'theme')).toBe(false);
      expect(await (await page.request.get('/orgs')).text()).not.toMatch(/<html[^>]* data-theme=/);
    } finally {
      await context.close();
    }
  });

  test('an unknown theme cookie is ignored, never echoed into the page', async ({ browser, baseURL }) => {
    const { context, page } = await openView(browser, baseURL, {
      theme: 'light',
      screen: 'desktop',
      user: 'alice',
    });
    try {
      await context.addCookies([{ name: 'theme', value: '"><b>x', url: baseURL ?? '', sameSite: 'Lax' }]);
      const response = await page.goto('/orgs');
      expect(response?.status()).toBe(200);
      await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
      await expect(page.getByRole('banner').getByLabel('Theme')).toHaveValue('system');
    } finally {
      await context.close();
    }
  });
});

test.describe('keyboard', () => {
  test('a skip link comes first and jumps over the header; every focused control shows it', async ({
    browser,
    baseURL,
  }) => {
    for (const theme of THEMES) {
      const { context, page } = await openView(browser, baseURL, { theme, screen: 'desktop', user: 'alice' });
      try {
        await page.goto(`/orgs/${acmeId}/members`);
        await expect(page.getByText('2,500 members')).toBeVisible();
        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: 'Skip to content' });
        await expect(skip).toBeFocused();
        await expect(skip).toBeVisible();
        await page.keyboard.press('Enter');
        await page.keyboard.press('Tab');
        // The first stop after the jump is inside <main>, not the header.
        expect(await page.evaluate(() => document.activeElement?.closest('main')?.id)).toBe('main');

        for (let step = 0; step < 20; step += 1) {
          const outline = await page.evaluate(() => {
            const element = document.activeElement as HTMLElement | null;
            if (!element || element === document.body) return 'none';
            const style = getComputedStyle(element);
            return `${element.tagName.toLowerCase()} ${element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30)}: ${style.outlineStyle} ${style.outlineWidth}`;
          });
          expect(outline, 'focus is visible').not.toMatch(/: none|: \S+ 0px$/);
          await page.keyboard.press('Tab');
        }
      } finally {
        await context.close();
      }
    }
  });
});
