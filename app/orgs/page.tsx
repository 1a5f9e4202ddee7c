import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listManageableOrganizations } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { buildTableHref, clampPage, parseTableState } from '@/lib/table-state';
import { CreateOrganizationButton } from './create-organization-dialog';
import { OrganizationsTable } from './organizations-table';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('orgs.title') };
}

type OrganizationsPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The organizations the actor can manage (operators: every organization, searchable). */
export default async function OrganizationsPage({ searchParams }: OrganizationsPageProps) {
  const actor = await requirePageActor();
  const state = parseTableState(await searchParams);
  const [t, locale, messages, result] = await Promise.all([
    getT(),
    getLocale(),
    getMessages(),
    loadForPage(() => listManageableOrganizations(actor, state)),
  ]);
  if (!result.ok) return <ServiceUnavailable />;

  const clamped = clampPage(state, result.value.total);
  if (clamped.page !== state.page) redirect(buildTableHref('/orgs', clamped));

  return (
    <I18nProvider locale={locale} messages={pickMessages(messages, ['orgs'])}>
      <div className="flex flex-col gap-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold">{t('orgs.title')}</h1>
            <p className="text-ink-soft mt-1 text-sm">
              {actor.isOperator ? t('orgs.introOperator') : t('orgs.intro')}
            </p>
          </div>
          {/* Operators only; the action refuses everyone else too. */}
          {actor.isOperator ? <CreateOrganizationButton /> : null}
        </div>
        <OrganizationsTable data={result.value} isOperator={actor.isOperator} />
      </div>
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </I18nProvider>
  );
}
