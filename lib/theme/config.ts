/** The colour themes a person may pick in the header; `system` follows `prefers-color-scheme`. */
export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** Cookie the theme switch writes (per browser); absent means `system`. */
export const THEME_COOKIE = 'theme';

/** Narrows a cookie value to a choice; anything unknown means `system`. */
export function parseThemeChoice(value: unknown): ThemeChoice {
  return THEME_CHOICES.find((choice) => choice === value) ?? 'system';
}

/**
 * The `data-theme` attribute of `<html>` for a choice: `light` or `dark` pin the palette,
 * `undefined` (no attribute) lets `app/globals.css` follow the system.
 */
export function themeAttribute(choice: ThemeChoice): 'light' | 'dark' | undefined {
  return choice === 'system' ? undefined : choice;
}
