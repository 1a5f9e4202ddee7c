/**
 * Opening portal pages the way people see them: a theme (the browser's colour scheme, which the
 * portal follows by default), a screen size, and one of the seeded sessions or none; and axe's
 * WCAG 2.1 A/AA findings as readable lines.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { type PortalUser, storageStatePath } from '../fixtures';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** A laptop and a phone (iPhone 12–15 class: 390 × 844). */
export const SCREENS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
export type ScreenName = keyof typeof SCREENS;

export type ViewOptions = { theme: Theme; screen: ScreenName; user: PortalUser | null };

/** A browser context for one person (or a signed-out visitor) in one theme on one screen. */
export async function openView(
  browser: Browser,
  baseURL: string | undefined,
  { theme, screen, user }: ViewOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    colorScheme: theme,
    viewport: SCREENS[screen],
    ...(screen === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    ...(user ? { storageState: storageStatePath(user) } : {}),
  });
  return { context, page: await context.newPage() };
}

/** Every axe finding under WCAG 2.1 A and AA (colour contrast included), one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .slice(0, 5)
        .map(
          (node) =>
            `${node.target.join(' ')}${node.failureSummary ? ` [${node.failureSummary.split('\n').slice(1).join(' ').trim()}]` : ''}`,
        )
        .join('; ')}`,
  );
}

/** The page's canvas colour as `[r, g, b]`, to tell which palette is painted. */
export async function canvasColour(page: Page): Promise<number[]> {
  const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  // Chromium reports oklch() as written; resolve it through a canvas to sRGB.
  return page.evaluate((value) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const context = canvas.getContext('2d')!;
    context.fillStyle = value;
    context.fillRect(0, 0, 1, 1);
    return Array.from(context.getImageData(0, 0, 1, 1).data.slice(0, 3));
  }, colour);
}

/** Whether an sRGB colour is dark (the dark palette's canvas) rather than light. */
export function isDark([r = 0, g = 0, b = 0]: number[]): boolean {
  return (r + g + b) / 3 < 100;
}

/** Where each column header of `table` starts and how wide it is, in whole pixels, once it is not busy. */
export async function columnBoxes(table: Locator): Promise<Array<{ left: number; width: number }>> {
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  return table.locator('thead th').evaluateAll((headers) =>
    headers.map((header) => {
      const box = header.getBoundingClientRect();
      return { left: Math.round(box.left), width: Math.round(box.width) };
    }),
  );
}
