'use client';

import { useRouter } from 'next/navigation';
import { useId, useTransition } from 'react';
import { GlobeIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import { isLocale, LOCALE_COOKIE, LOCALE_NAMES, LOCALES } from '@/lib/i18n/config';
import { useLocale, useT } from '@/lib/i18n/client';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Language picker: remembers the choice in the `locale` cookie and re-renders the page in it. */
export function LanguageSwitcher() {
  const t = useT();
  const locale = useLocale();
  const router = useRouter();
  const selectId = useId();
  const [isPending, startTransition] = useTransition();

  return (
    <div className="flex items-center gap-1.5">
      <GlobeIcon className="text-ink-muted" />
      <label htmlFor={selectId} className="sr-only">
        {t('common.language')}
      </label>
      <Select
        id={selectId}
        value={locale}
        disabled={isPending}
        className="hover:bg-subtle h-8 border-transparent bg-transparent pl-2 shadow-none"
        onChange={(event) => {
          const next = event.target.value;
          if (!isLocale(next)) return;
          document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${ONE_YEAR_SECONDS}; samesite=lax`;
          startTransition(() => router.refresh());
        }}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </Select>
    </div>
  );
}
