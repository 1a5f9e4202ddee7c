'use client';

import { useId } from 'react';
import { ContrastIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import { useT } from '@/lib/i18n/client';
import { parseThemeChoice, THEME_COOKIE, type ThemeChoice, themeAttribute } from '@/lib/theme/config';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Theme picker (system / light / dark): remembers the choice in the `theme` cookie, which the
 * root layout renders into `<html data-theme>` on the next load, and switches this page at once
 * by setting the same attribute. `choice` is what the server rendered for this request. Kept
 * small on purpose: it ships with every signed-in page.
 */
export function ThemeSwitcher({ choice }: { choice: ThemeChoice }) {
  const t = useT();
  const selectId = useId();

  return (
    <div className="flex items-center gap-1.5">
      <ContrastIcon className="text-ink-muted" />
      <label htmlFor={selectId} className="sr-only">
        {t('common.theme')}
      </label>
      <Select
        id={selectId}
        defaultValue={choice}
        className="hover:bg-subtle h-8 border-transparent bg-transparent pl-2 shadow-none"
        onChange={(event) => {
          const next = parseThemeChoice(event.target.value);
          document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=${next === 'system' ? 0 : ONE_YEAR_SECONDS}; samesite=lax`;
          const attribute = themeAttribute(next);
          if (attribute) document.documentElement.dataset.theme = attribute;
          else delete document.documentElement.dataset.theme;
        }}
      >
        <option value="system">{t('common.themeSystem')}</option>
        <option value="light">{t('common.themeLight')}</option>
        <option value="dark">{t('common.themeDark')}</option>
      </Select>
    </div>
  );
}
