import { expect, test as setup } from '@playwright/test';
import { type PortalUser, signInWithLogto, storageStatePath, USERS } from './fixtures';

// Each seeded user signs in once through the real Logto page; specs reuse the saved sessions.
for (const user of Object.keys(USERS) as PortalUser[]) {
  setup(`sign in as ${user}`, async ({ page }) => {
    await signInWithLogto(page, user);
    await expect(page).toHaveURL(/\/orgs$/);
    await expect(page.getByRole('banner')).toContainText(USERS[user].name);
    await page.context().storageState({ path: storageStatePath(user) });
  });
}
