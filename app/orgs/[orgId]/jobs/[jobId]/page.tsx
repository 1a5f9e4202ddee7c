import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { Toaster } from '@/components/ui/toast';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { loadJob } from '@/lib/jobs/start';
import { requireOrgScopes } from '@/lib/permissions';
import { loadForPage } from '@/lib/portal/load-for-page';
import { getOrganizationForPage } from '@/lib/portal/page-organization';
import { OrgHeader } from '../../org-header';
import { JobDetail } from './job-detail';

type JobPageProps = {
  params: Promise<{ orgId: string; jobId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('jobs.jobTitle') };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** One bulk job: its progress (live while it runs), cancel, results, CSV, retry of failed items. */
export default async function JobPage({ params, searchParams }: JobPageProps) {
  const actor = await requirePageActor();
  const { orgId, jobId } = await params;
  const query = await searchParams;
  const load = await loadForPage(async () => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const [detail, organization] = await Promise.all([
      loadJob(access, jobId, { page: Number(first(query.page) ?? 1), state: first(query.state) }),
      getOrganizationForPage(access),
    ]);
    return { detail, organization };
  });
  if (!load.ok && load.reason === 'not_found') notFound();
  if (!load.ok) return <ServiceUnavailable failure={load} />;

  const { detail, organization } = load.value;
  const [locale, messages, t] = await Promise.all([getLocale(), getMessages(), getT()]);
  return (
    <div className="flex flex-col gap-6">
      <OrgHeader
        org={{ id: organization.id, name: organization.name, description: organization.description ?? null }}
        active="jobs"
      />
      <I18nProvider locale={locale} messages={pickMessages(messages, ['jobs'])}>
        <JobDetail orgId={orgId} initial={detail} renderedAt={detail.job.now} />
      </I18nProvider>
      <Toaster label={t('toast.region')} dismissLabel={t('toast.dismiss')} />
    </div>
  );
}
