import { buttonClasses } from '@/components/ui/button';
import { getT } from '@/lib/i18n/server';

/** Unknown URLs anywhere in the portal. */
export default async function NotFoundPage() {
  const t = await getT();
  return (
    <main id="main" className="mx-auto my-24 flex max-w-lg flex-col items-center gap-3 px-6 text-center">
      <p className="text-accent-600 text-sm font-semibold">404</p>
      <h1 className="text-2xl font-semibold">{t('pages.notFoundTitle')}</h1>
      <p className="text-ink-soft">{t('pages.notFoundBody')}</p>
      {/* A plain link: this boundary ships with every page's first load, a client link would too. */}
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages */}
      <a href="/orgs" className={buttonClasses('primary')}>
        {t('pages.backToOrgs')}
      </a>
    </main>
  );
}
