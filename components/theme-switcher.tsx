'use client';

import { useId, useState } from 'react';
import { MonitorIcon, MoonIcon, SunIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import { useT } from '@/lib/i18n/client';
import { THEME_CHOICES, THEME_COOKIE, type ThemeChoice, themeAttribute } from '@/lib/theme/config';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

const ICONS = { system: MonitorIcon, light: SunIcon, dark: MoonIcon } as const;

/**
 * Theme picker (system / light / dark): remembers the choice in the `theme` cookie, which the
 * root layout renders into `<html data-theme>` on the next load, and switches this page at once
 * by setting the same attribute. `choice` is what the server rendered for this request.
 */
export function ThemeSwitcher({ choice }: { choice: ThemeChoice }) {
  const t = useT();
  const selectId = useId();
  const [current, setCurrent] = useState(choice);
  const Icon = ICONS[current];

  return (
    <div className="flex items-center gap-1.5">
      <Icon className="text-ink-muted" />
      <label htmlFor={selectId} className="sr-only">
        {t('common.theme')}
      </label>
      <Select
        id={selectId}
        value={current}
        className="hover:bg-subtle h-8 border-transparent bg-transparent pl-2 shadow-none"
        onChange={(event) => {
          const next = THEME_CHOICES.find((value) => value === event.target.value);
          if (!next) return;
          setCurrent(next);
          document.cookie =
            next === 'system'
              ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`
              : `${THEME_COOKIE}=${next}; path=/; max-age=${ONE_YEAR_SECONDS}; samesite=lax`;
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
