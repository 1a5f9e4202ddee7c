'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { fetchListPage } from '@/components/data-table/fetch-list-page';
import { JobProgress, JobStatusBadge, JobTitle } from '@/components/jobs/job-progress';
import { NavLink } from '@/components/nav-link';
import { RelativeTime } from '@/components/relative-time';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ArrowLeftIcon } from '@/components/ui/icons';
import { showToast } from '@/components/ui/toast';
import { useFormat, useT } from '@/lib/i18n/client';
import type { MessageKey } from '@/lib/i18n/messages';
import { isJobActive, type JobItemState, type JobItemsPage, type JobSummary } from '@/lib/jobs/types';
import { failureText, unwrapAction } from '../../members/action-client';
import { cancelJobAction, retryFailedJobItemsAction } from '../actions';

const POLL_MS = 1_500;

type JobPage = { job: JobSummary; items: JobItemsPage };

const FILTERS: Array<{ state: JobItemState | null; label: MessageKey }> = [
  { state: null, label: 'jobs.filter.all' },
  { state: 'failed', label: 'jobs.filter.failed' },
  { state: 'skipped', label: 'jobs.filter.skipped' },
  { state: 'done', label: 'jobs.filter.done' },
  { state: 'pending', label: 'jobs.filter.pending' },
];

const ITEM_TONES: Record<JobItemState, BadgeTone> = {
  pending: 'neutral',
  done: 'success',
  skipped: 'neutral',
  failed: 'danger',
  cancelled: 'warning',
};

const REASONS: Record<string, MessageKey> = {
  already_member: 'jobs.reason.alreadyMember',
  already_invited: 'jobs.reason.alreadyInvited',
  not_a_member: 'jobs.reason.notAMember',
  role_not_held: 'jobs.reason.roleNotHeld',
  role_not_grantable: 'jobs.reason.roleNotGrantable',
  member_above_actor: 'jobs.reason.memberAboveActor',
  last_role_assigner: 'jobs.reason.lastRoleAssigner',
  email_unavailable: 'jobs.reason.emailUnavailable',
  invalid_email: 'jobs.reason.invalidEmail',
  rate_limited: 'jobs.reason.rateLimited',
  upstream_unavailable: 'jobs.reason.upstreamUnavailable',
  forbidden: 'jobs.reason.forbidden',
  not_found: 'jobs.reason.forbidden',
  unauthenticated: 'jobs.reason.forbidden',
  cancelled: 'jobs.reason.cancelled',
};

/** One job: live progress while it runs, then its per-item results (filter and page in the URL). */
export function JobDetail({
  orgId,
  initial,
  renderedAt,
}: {
  orgId: string;
  initial: JobPage;
  renderedAt: number;
}) {
  const t = useT();
  const format = useFormat();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const queryClient = useQueryClient();
  const [isConfirmingCancel, setConfirmingCancel] = useState(false);

  const page = Math.max(1, Number(searchParams.get('page') ?? 1) || 1);
  const stateFilter = (searchParams.get('state') as JobItemState | null) ?? null;
  const jobId = initial.job.id;
  const key = ['job', orgId, jobId, page, stateFilter] as const;
  const isInitialView = page === initial.items.page && stateFilter === initial.items.state;

  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ page: String(page) });
      if (stateFilter) params.set('state', stateFilter);
      return fetchListPage<JobPage>(
        `/api/orgs/${encodeURIComponent(orgId)}/jobs/${encodeURIComponent(jobId)}?${params}`,
        signal,
      );
    },
    initialData: isInitialView ? initial : undefined,
    initialDataUpdatedAt: renderedAt,
    placeholderData: keepPreviousData,
    refetchInterval: (current) =>
      current.state.data && isJobActive(current.state.data.job) ? POLL_MS : false,
  });
  const data = query.data ?? initial;
  const { job, items } = data;

  const navigate = (patch: { page?: number; state?: JobItemState | null }) => {
    const next = new URLSearchParams(searchParams.toString());
    const nextPage = patch.page ?? 1;
    if (nextPage > 1) next.set('page', String(nextPage));
    else next.delete('page');
    const nextState = 'state' in patch ? patch.state : stateFilter;
    if (nextState) next.set('state', nextState);
    else next.delete('state');
    const search = next.toString();
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['job', orgId, jobId] });
  const networkText = t('jobs.errors.network');
  const cancel = useMutation({
    mutationFn: () => unwrapAction(cancelJobAction(orgId, { jobId })),
    onSuccess: () => {
      setConfirmingCancel(false);
      showToast({ tone: 'info', title: t('jobs.cancelled') });
      void refresh();
    },
    onError: (error) => {
      setConfirmingCancel(false);
      showToast({ tone: 'error', title: t('jobs.cancelFailed'), body: failureText(error, networkText) });
    },
  });
  const retry = useMutation({
    mutationFn: () => unwrapAction(retryFailedJobItemsAction(orgId, { jobId })),
    onSuccess: ({ retried }) => {
      showToast({ tone: 'success', title: t('jobs.retrying', { count: retried }) });
      navigate({ state: null });
      void refresh();
    },
    onError: (error) =>
      showToast({ tone: 'error', title: t('jobs.retryFailed'), body: failureText(error, networkText) }),
  });

  const pages = Math.max(1, Math.ceil(items.total / items.pageSize));
  const canRetry = !isJobActive(job) && job.counts.failed > 0;

  return (
    <div className="flex flex-col gap-6">
      <NavLink
        href={`/orgs/${orgId}/jobs`}
        className="text-ink-muted hover:text-ink focus-visible:outline-accent-600 inline-flex w-fit items-center gap-1.5 rounded text-sm focus-visible:outline-2"
      >
        <ArrowLeftIcon />
        {t('jobs.backToJobs')}
      </NavLink>
      <section
        className="border-line bg-surface flex flex-col gap-4 rounded-lg border p-5"
        aria-labelledby="job-heading"
      >
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="job-heading" className="text-lg font-semibold">
              <JobTitle job={job} />
            </h2>
            <p className="text-ink-muted mt-1 text-xs">
              {t('jobs.startedBy', { who: job.createdByEmail ?? t('jobs.someone') })} ·{' '}
              <RelativeTime value={job.createdAt} />
              {job.finishedAt ? (
                <>
                  {' · '}
                  {t('jobs.endedAt', { time: format.dateTime(job.finishedAt) })}
                </>
              ) : null}
            </p>
          </div>
          <JobStatusBadge job={job} />
        </div>
        <JobProgress job={job} />
        {isJobActive(job) ? <p className="text-ink-soft text-sm">{t('jobs.closeHint')}</p> : null}
        <div className="flex flex-wrap gap-2">
          {isJobActive(job) && !job.isCancelRequested ? (
            <Button variant="secondary" onClick={() => setConfirmingCancel(true)}>
              {t('jobs.cancel')}
            </Button>
          ) : null}
          {canRetry ? (
            <Button variant="primary" disabled={retry.isPending} onClick={() => retry.mutate()}>
              {t('jobs.retry', { count: job.counts.failed })}
            </Button>
          ) : null}
          <a
            href={`/api/orgs/${encodeURIComponent(orgId)}/jobs/${encodeURIComponent(jobId)}/results`}
            className={buttonClasses('secondary')}
            download
          >
            {t('jobs.download')}
          </a>
        </div>
      </section>

      <section className="flex flex-col gap-3" aria-labelledby="results-heading">
        <h3 id="results-heading" className="font-semibold">
          {t('jobs.results')}
        </h3>
        <div role="group" aria-label={t('jobs.filter.label')} className="flex flex-wrap gap-1.5">
          {FILTERS.map((filter) => (
            <Button
              key={filter.label}
              size="sm"
              variant={stateFilter === filter.state ? 'primary' : 'ghost'}
              aria-pressed={stateFilter === filter.state}
              onClick={() => navigate({ state: filter.state })}
            >
              {t(filter.label)}
            </Button>
          ))}
        </div>
        <div className="border-line overflow-x-auto rounded-lg border">
          <table className="w-full text-left text-sm">
            <thead className="bg-subtle text-ink-soft text-xs">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  #
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('jobs.columnTarget')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('jobs.columnResult')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('jobs.columnDetail')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-line bg-surface divide-y">
              {items.rows.length === 0 ? (
                <tr>
                  <td colSpan={4} className="text-ink-soft px-3 py-6 text-center">
                    {t('jobs.noItems')}
                  </td>
                </tr>
              ) : (
                items.rows.map((item) => (
                  <tr key={item.seq} data-testid="job-item">
                    <td className="text-ink-muted px-3 py-2 tabular-nums">{item.seq + 1}</td>
                    <td className="px-3 py-2 break-all">{item.target}</td>
                    <td className="px-3 py-2">
                      <Badge tone={ITEM_TONES[item.state]}>
                        {t(`jobs.itemState.${item.state}` as MessageKey)}
                      </Badge>
                    </td>
                    <td className="text-ink-soft px-3 py-2">
                      {item.reason
                        ? t(REASONS[item.reason] ?? 'jobs.reason.other', { code: item.reason })
                        : null}
                      {item.link ? <span className="block text-xs break-all">{item.link}</span> : null}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <nav aria-label={t('jobs.pagesLabel')} className="flex items-center justify-between gap-2 text-sm">
          <span className="text-ink-soft">
            {t('jobs.pageOf', { page: format.number(items.page), pages: format.number(pages) })}
          </span>
          <span className="flex gap-2">
            <Button size="sm" disabled={items.page <= 1} onClick={() => navigate({ page: items.page - 1 })}>
              {t('jobs.previous')}
            </Button>
            <Button
              size="sm"
              disabled={items.page >= pages}
              onClick={() => navigate({ page: items.page + 1 })}
            >
              {t('jobs.next')}
            </Button>
          </span>
        </nav>
      </section>

      <ConfirmDialog
        open={isConfirmingCancel}
        title={t('jobs.cancelTitle')}
        description={t('jobs.cancelBody')}
        confirmLabel={t('jobs.cancelConfirm')}
        pendingLabel={t('jobs.cancelling')}
        cancelLabel={t('jobs.keepRunning')}
        isPending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setConfirmingCancel(false)}
      />
    </div>
  );
}
