import {
  type Browser,
  type BrowserContext,
  expect,
  type Page,
  test as base,
  type TestInfo,
} from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { logtoApi } from './support/logto-api';

/** The seeded people (emulator seed; every password is the same). */
export const USERS = {
  alice: { email: 'alice@acme.example', name: 'Alice Admin' },
  bob: { email: 'bob@acme.example', name: 'Bob Manager' },
  carol: { email: 'carol@acme.example', name: 'Carol Member' },
  dave: { email: 'dave@globex.example', name: 'Dave Globex' },
  operator: { email: 'operator@example.com', name: 'Olivia Operator' },
} as const;

export type PortalUser = keyof typeof USERS;

export const SEED_PASSWORD = 'demo-password-1';

/** Where the setup project saves each user's signed-in browser state. */
export function storageStatePath(user: PortalUser): string {
  return fileURLToPath(new URL(`.auth/${user}.json`, import.meta.url));
}

/** The local Logto the harness started (its sign-in page and Management API). */
export function logtoUrl(): string {
  const url = process.env.E2E_LOGTO_URL;
  if (!url) throw new Error('E2E_LOGTO_URL is not set: run the suite through playwright.config.ts.');
  return url;
}

/**
 * Signs in through the real Logto sign-in page. Starts from `path` on the portal, which sends
 * the browser to /sign-in and on to Logto; ends back on the portal.
 */
export async function signInWithLogto(page: Page, user: PortalUser, path = '/orgs'): Promise<void> {
  await signInWithPassword(page, { email: USERS[user].email, password: SEED_PASSWORD }, path);
}

/** {@link signInWithLogto} for any Logto user with a password (e.g. one a spec created). */
export async function signInWithPassword(
  page: Page,
  credentials: { email: string; password: string },
  path = '/orgs',
): Promise<void> {
  await page.goto(path);
  await page.waitForURL((url) => url.href.startsWith(logtoUrl()));
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.href.startsWith(logtoUrl()) && !url.pathname.startsWith('/api/auth'));
}

/** The id of the seeded organization with exactly this name. */
export async function organizationIdByName(name: string): Promise<string> {
  const { data: organizations } = await logtoApi<{ id: string; name: string }[]>(
    'GET',
    `/organizations?q=${encodeURIComponent(name)}&page_size=100`,
  );
  const match = organizations.find((org) => org.name === name);
  if (!match) throw new Error(`No organization named ${name} in the seed.`);
  return match.id;
}

async function openPageAs(browser: Browser, baseURL: string | undefined, user: PortalUser) {
  const context = await browser.newContext({ baseURL, storageState: storageStatePath(user) });
  return { context, page: await context.newPage() };
}

type PortalFixtures = {
  /** A fresh page signed in as a seeded user (their own browser context, closed afterwards). */
  pageAs: (user: PortalUser) => Promise<Page>;
  /** Saves a full-page screenshot under the test's output folder when E2E_SCREENSHOTS=1. */
  capture: (page: Page, name: string) => Promise<void>;
};

export const test = base.extend<PortalFixtures>({
  pageAs: async ({ browser, baseURL }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (user) => {
      const { context, page } = await openPageAs(browser, baseURL, user);
      contexts.push(context);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  capture: async ({}, provide, testInfo: TestInfo) => {
    await provide(async (page, name) => {
      if (process.env.E2E_SCREENSHOTS !== '1') return;
      await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
    });
  },
});

export { expect };
