import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, organizationIdByName, test, USERS } from './fixtures';
import { createInvitation, deleteInvitation, organizationRoleIds } from './support/logto-api';
import { openView, type ScreenName, THEMES, type ViewOptions } from './support/views';

// `npm run screenshots`: each page in both themes, at 1366 px and 390 px, as
// `screenshots/<page>-<theme>-<width>.png`.

const OUT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));
const WIDTHS: { screen: ScreenName; width: number }[] = [
  { screen: 'desktop', width: 1366 },
  { screen: 'phone', width: 390 },
];

let acmeId: string;
let initechId: string;

test.beforeAll(async () => {
  [acmeId, initechId] = await Promise.all([organizationIdByName('Acme'), organizationIdByName('Initech')]);
});

async function shoot(page: Page, name: string, theme: string, width: number) {
  // Relative times and the caret would differ between runs; nothing else moves.
  await page.addStyleTag({ content: '*, *::before, *::after { caret-color: transparent !important; }' });
  await page.screenshot({ path: `${OUT_DIR}${name}-${theme}-${width}.png`, fullPage: true });
}

for (const theme of THEMES) {
  for (const { screen, width } of WIDTHS) {
    test(`every page, ${theme}, ${width} px`, async ({ browser, baseURL }) => {
      test.setTimeout(120_000);
      const view = (user: ViewOptions['user']) => openView(browser, baseURL, { theme, screen, user });
      const roles = await organizationRoleIds();
      // An open invitation for carol, so her own view shows one.
      const forCarol = await createInvitation({
        organizationId: initechId,
        invitee: USERS.carol.email,
        roleIds: [roles.member!],
      });
      const alice = await view('alice');
      const carol = await view('carol');
      const visitor = await view(null);
      try {
        const { page } = alice;
        await page.goto('/orgs');
        await expect(page.getByRole('heading', { name: 'Organizations', level: 1 })).toBeVisible();
        await shoot(page, 'organizations', theme, width);
        if (screen === 'phone') {
          await page.getByRole('banner').getByRole('button', { name: 'Menu' }).click();
          await shoot(page, 'header-menu', theme, width);
          await page.keyboard.press('Escape');
        }

        await page.goto(`/orgs/${acmeId}/members`);
        await expect(page.getByText('2,500 members')).toBeVisible();
        await shoot(page, 'members', theme, width);
        await page.goto(`/orgs/${acmeId}/members?q=carol`);
        await page.getByRole('button', { name: 'Details of Carol Member' }).click();
        await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
        await shoot(page, 'member-detail', theme, width);
        await page.keyboard.press('Escape');

        for (const tab of ['roles', 'activity'] as const) {
          await page.goto(`/orgs/${acmeId}/${tab}`);
          await expect(page.getByRole('heading', { name: 'Acme', level: 1 })).toBeVisible();
          await shoot(page, tab, theme, width);
        }

        await page.goto(`/orgs/${acmeId}/invitations`);
        await expect(page.getByRole('table', { name: 'Invitations' })).not.toHaveAttribute(
          'aria-busy',
          'true',
        );
        await shoot(page, 'invitations', theme, width);
        await page.getByRole('button', { name: 'Invite people' }).click();
        await expect(page.getByRole('dialog', { name: /Invite people to/ })).toBeVisible();
        await shoot(page, 'invite-dialog', theme, width);

        await carol.page.goto('/orgs');
        await expect(carol.page.getByRole('region', { name: 'Invitations for you' })).toBeVisible();
        await shoot(carol.page, 'own-view', theme, width);

        await visitor.page.goto(`/invitations/${forCarol.id}`);
        await expect(visitor.page.getByRole('heading', { name: 'Join Initech' })).toBeVisible();
        await shoot(visitor.page, 'invitation', theme, width);

        await visitor.context.addCookies([
          { name: 'portal-signed-out', value: '1', url: baseURL ?? '', sameSite: 'Lax' },
        ]);
        await visitor.page.goto('/sign-in');
        await expect(visitor.page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        await shoot(visitor.page, 'sign-in', theme, width);
      } finally {
        await Promise.all([alice.context.close(), carol.context.close(), visitor.context.close()]);
        await deleteInvitation(forCarol.id);
      }
    });
  }
}
