import { NavLink } from '@/components/nav-link';
import { buttonClasses } from '@/components/ui/button';
import { getT } from '@/lib/i18n/server';

/**
 * A missing organization and one the actor may not open look the same (permission rule 2), so
 * the text covers both without saying which.
 */
export default async function OrganizationNotFound() {
  const t = await getT();
  return (
    <section className="mx-auto my-16 flex max-w-lg flex-col items-center gap-3 text-center">
      <p className="text-accent-600 text-sm font-semibold">404</p>
      <h1 className="text-2xl font-semibold">{t('pages.orgNotFoundTitle')}</h1>
      <p className="text-ink-soft">{t('pages.orgNotFoundBody')}</p>
      <NavLink href="/orgs" className={buttonClasses('primary')}>
        {t('pages.backToOrgs')}
      </NavLink>
    </section>
  );
}
