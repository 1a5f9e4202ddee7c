import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { loadJobs } from '@/lib/jobs/start';
import { hasScope, requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { OrgHeader } from '../org-header';
import { JobsList } from './jobs-list';

type JobsPageProps = { params: Promise<{ orgId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('jobs.title') };
}

/**
 * The organization's bulk jobs (newest first) with live progress, for whoever may open the
 * organization. Jobs run in the background: this page only watches them.
 */
export default async function JobsPage({ params }: JobsPageProps) {
  const actor = await requirePageActor();
  const { orgId } = await params;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const [organization, jobs] = await Promise.all([getOrganizationForPage(access), loadJobs(access)]);
    return { access, organization, jobs };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { access, organization, jobs } = load.value;
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="jobs"
      />
      <I18nProvider locale={locale} messages={pickMessages(messages, ['jobs'])}>
        <JobsList
          orgId={orgId}
          initialJobs={jobs}
          renderedAt={jobs[0]?.now ?? 0}
          canInvite={hasScope(access, 'inviteMembers')}
        />
      </I18nProvider>
    </div>
  );
}
