import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { serverPage } from '@/components/data-table/org-list-query';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { BuildingIcon } from '@/components/ui/icons';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { listManageableOrganizations } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { loadOwnView, type OwnView as OwnViewData } from '@/lib/portal/memberships';
import { buildTableHref, isFiltered, parseTableState } from '@/lib/table-state';
import { CreateOrganizationButton } from './create-organization-dialog';
import { OrganizationsTable } from './organizations-table';
import { OwnView } from './own-view';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('orgs.title') };
}

type OrganizationsPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The organizations the actor can manage (operators: every organization, searchable), and for
 * everyone else their own standing too: the organizations they belong to, with their roles and
 * a way to leave, and the invitations addressed to them. Someone who manages nothing sees only
 * the latter.
 */
export default async function OrganizationsPage({ searchParams }: OrganizationsPageProps) {
  const actor = await requirePageActor();
  const state = parseTableState(await searchParams);
  const [t, locale, messages, result] = await Promise.all([
    getT(),
    getLocale(),
    getMessages(),
    loadForPage(async () => {
      const [manageable, own] = await Promise.all([
        listManageableOrganizations(actor, state),
        actor.isOperator ? null : loadOwnView(actor),
      ]);
      return { manageable, own };
    }),
  ]);
  if (!result.ok) return <ServiceUnavailable failure={result} />;
  const { manageable, own } = result.value;

  // A page past the end was answered with the last one: let the URL say so.
  if (manageable.page !== state.page) redirect(buildTableHref('/orgs', { ...state, page: manageable.page }));

  const managesAny = actor.isOperator || manageable.total > 0 || isFiltered(state);

  return (
    <I18nProvider locale={locale} messages={pickMessages(messages, ['orgs', 'ownView'])}>
      <div className="flex flex-col gap-10">
        {managesAny ? (
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
            <OrganizationsTable serverPage={serverPage(manageable)} isOperator={actor.isOperator} />
          </div>
        ) : (
          <MemberOnlyHeading own={own} title={t('orgs.title')} intro={t('ownView.introMemberOnly')} />
        )}
        {own && (own.memberships.length > 0 || own.invitations.length > 0) ? (
          <OwnView memberships={own.memberships} invitations={own.invitations} />
        ) : null}
        {!managesAny && own && own.memberships.length === 0 && own.invitations.length === 0 ? (
          <section className="border-line bg-surface flex flex-col items-center gap-3 rounded-xl border border-dashed px-8 py-16 text-center">
            <span className="bg-subtle text-ink-muted inline-flex size-11 items-center justify-center rounded-full">
              <BuildingIcon width={22} height={22} />
            </span>
            <h2 className="text-lg font-semibold">{t('ownView.noneTitle')}</h2>
            <p className="text-ink-soft max-w-md text-sm">{t('ownView.noneBody')}</p>
          </section>
        ) : null}
      </div>
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </I18nProvider>
  );
}

function MemberOnlyHeading({ own, title, intro }: { own: OwnViewData | null; title: string; intro: string }) {
  const isEmpty = !own || (own.memberships.length === 0 && own.invitations.length === 0);
  return (
    <div>
      <h1 className="text-2xl font-semibold">{title}</h1>
      {isEmpty ? null : <p className="text-ink-soft mt-1 text-sm">{intro}</p>}
    </div>
  );
}
