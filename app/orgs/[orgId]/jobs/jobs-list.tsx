'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchListPage } from '@/components/data-table/fetch-list-page';
import { JobProgress, JobStatusBadge, JobTitle } from '@/components/jobs/job-progress';
import { NavLink } from '@/components/nav-link';
import { RelativeTime } from '@/components/relative-time';
import { buttonClasses } from '@/components/ui/button';
import { useT } from '@/lib/i18n/client';
import { isJobActive, type JobSummary } from '@/lib/jobs/types';

/** How often the list asks again while a job is running. */
const POLL_MS = 2_000;

export function JobsList({
  orgId,
  initialJobs,
  renderedAt,
  canInvite,
}: {
  orgId: string;
  initialJobs: JobSummary[];
  renderedAt: number;
  canInvite: boolean;
}) {
  const t = useT();
  const query = useQuery({
    queryKey: ['jobs', orgId],
    queryFn: ({ signal }) =>
      fetchListPage<JobSummary[]>(`/api/orgs/${encodeURIComponent(orgId)}/jobs`, signal),
    initialData: initialJobs,
    initialDataUpdatedAt: renderedAt,
    refetchInterval: (current) => (current.state.data?.some(isJobActive) ? POLL_MS : false),
  });
  const jobs = query.data;

  return (
    <section className="flex flex-col gap-4" aria-labelledby="jobs-heading">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="jobs-heading" className="text-lg font-semibold">
            {t('jobs.title')}
          </h2>
          <p className="text-ink-soft mt-1 max-w-prose text-sm">{t('jobs.intro')}</p>
        </div>
        {canInvite ? (
          <NavLink href={`/orgs/${orgId}/jobs/new-invitation`} className={buttonClasses('primary')}>
            {t('jobs.newInvitation')}
          </NavLink>
        ) : null}
      </div>
      {query.isError ? (
        <p role="alert" className="text-danger-700 text-sm">
          {query.error.message}
        </p>
      ) : null}
      {jobs.length === 0 ? (
        <div className="border-line rounded-lg border border-dashed p-8 text-center">
          <p className="font-medium">{t('jobs.emptyTitle')}</p>
          <p className="text-ink-soft mt-1 text-sm">{t('jobs.emptyBody')}</p>
        </div>
      ) : (
        <ul className="divide-line border-line bg-surface divide-y rounded-lg border">
          {jobs.map((job) => (
            <li key={job.id} className="flex flex-col gap-2 p-4" data-testid="job-row">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <NavLink
                  href={`/orgs/${orgId}/jobs/${job.id}`}
                  className="text-accent-700 focus-visible:outline-accent-600 rounded font-medium hover:underline focus-visible:outline-2"
                >
                  <JobTitle job={job} />
                </NavLink>
                <JobStatusBadge job={job} />
              </div>
              <JobProgress job={job} compact />
              <p className="text-ink-muted text-xs">
                {t('jobs.startedBy', { who: job.createdByEmail ?? t('jobs.someone') })} ·{' '}
                <RelativeTime value={job.createdAt} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
