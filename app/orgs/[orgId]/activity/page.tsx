import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { serverPage } from '@/components/data-table/org-list-query';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { buildActivityHref, parseActivityState } from '@/lib/activity/query-state';
import { queryActivityPage } from '@/lib/activity/read';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { OrgHeader } from '../org-header';
import { ActivityTable } from './activity-table';

type ActivityPageProps = {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('activity.title') };
}

/**
 * The organization's activity log, for whoever may open the organization (`read:members`;
 * operators everywhere). The permission check, the organization and the first page of the log
 * load in parallel; that page seeds the table's TanStack Query, which loads later pages from
 * `/api/orgs/[orgId]/activity`. The log lives in the portal's store, not in Logto: if the store
 * does not answer, the page still renders and the table shows the error with a retry.
 */
export default async function ActivityLogPage({ params, searchParams }: ActivityPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const state = parseActivityState(await searchParams);

  const activityLoad = queryActivityPage(orgId, state).catch((error: unknown) => {
    console.error('[page /orgs/[orgId]/activity] the activity log could not be read:', error);
    return null;
  });
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    return getOrganizationForPage(access);
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const organization = load.value;
  const activity = await activityLoad;
  if (activity && activity.page !== state.page) {
    redirect(buildActivityHref(`/orgs/${orgId}/activity`, { ...state, page: activity.page }));
  }

  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);

  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="activity"
      />
      <I18nProvider locale={locale} messages={pickMessages(messages, ['activity'])}>
        <ActivityTable orgId={orgId} serverPage={activity ? serverPage(activity) : null} />
      </I18nProvider>
    </div>
  );
}
