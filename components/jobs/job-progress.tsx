'use client';

import { Fragment } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { useFormat, useT } from '@/lib/i18n/client';
import type { MessageKey } from '@/lib/i18n/messages';
import { estimateRemainingMs, type JobSummary, settledCount } from '@/lib/jobs/types';

const KIND_LABELS: Record<JobSummary['kind'], MessageKey> = {
  invite: 'jobs.kind.invite',
  assign_role: 'jobs.kind.assignRole',
  remove_role: 'jobs.kind.removeRole',
  remove_members: 'jobs.kind.removeMembers',
};

const STATUS: Record<JobSummary['status'], { label: MessageKey; tone: BadgeTone }> = {
  queued: { label: 'jobs.status.queued', tone: 'neutral' },
  running: { label: 'jobs.status.running', tone: 'accent' },
  finished: { label: 'jobs.status.finished', tone: 'success' },
  cancelled: { label: 'jobs.status.cancelled', tone: 'warning' },
};

/** What a job does, in a sentence ("Invite 300 people as member", "Remove 1,240 members matching “sales”"). */
export function JobTitle({ job }: { job: JobSummary }) {
  const t = useT();
  const format = useFormat();
  const title = t(KIND_LABELS[job.kind], {
    count: job.total,
    total: format.number(job.total),
    roles: job.roleNames ?? '',
  });
  const { selection } = job;
  const scope =
    selection.kind !== 'filter'
      ? null
      : [
          selection.q === '' ? t('jobs.selection.everyone') : t('jobs.selection.filter', { q: selection.q }),
          selection.roleName ? t('jobs.selection.withRole', { role: selection.roleName }) : null,
        ]
          .filter(Boolean)
          .join(' ');
  return (
    <span>
      {title}
      {scope ? <span className="text-ink-soft"> · {scope}</span> : null}
    </span>
  );
}

export function JobStatusBadge({ job }: { job: JobSummary }) {
  const t = useT();
  const status = STATUS[job.status];
  const label =
    job.isCancelRequested && job.status === 'running' ? t('jobs.status.cancelling') : t(status.label);
  return <Badge tone={status.tone}>{label}</Badge>;
}

function formatDuration(ms: number, t: ReturnType<typeof useT>): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return t('jobs.eta.seconds', { count: seconds });
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return t('jobs.eta.minutes', { count: minutes });
  return t('jobs.eta.hours', { count: Math.round(minutes / 60) });
}

/**
 * The bar and the counts: settled of total, with done / skipped / failed (and cancelled) apart,
 * and an estimate of the time left at the pace so far.
 */
export function JobProgress({ job, compact = false }: { job: JobSummary; compact?: boolean }) {
  const t = useT();
  const format = useFormat();
  const settled = settledCount(job);
  const percent = job.total === 0 ? 100 : Math.floor((settled / job.total) * 100);
  const remaining = estimateRemainingMs(job);
  const { done, skipped, failed, cancelled } = job.counts;
  const parts: Array<{ key: string; text: string; className?: string }> = [
    {
      key: 'settled',
      text: t('jobs.progressText', { settled: format.number(settled), total: format.number(job.total) }),
    },
    { key: 'done', text: t('jobs.counts.done', { count: done }), className: 'text-success-700' },
  ];
  if (skipped > 0 || !compact)
    parts.push({ key: 'skipped', text: t('jobs.counts.skipped', { count: skipped }) });
  if (failed > 0 || !compact)
    parts.push({
      key: 'failed',
      text: t('jobs.counts.failed', { count: failed }),
      className: failed > 0 ? 'text-danger-700' : undefined,
    });
  if (cancelled > 0) parts.push({ key: 'cancelled', text: t('jobs.counts.cancelled', { count: cancelled }) });
  if (remaining !== null)
    parts.push({ key: 'eta', text: t('jobs.eta.left', { time: formatDuration(remaining, t) }) });
  return (
    <div className="flex flex-col gap-1.5">
      <div
        role="progressbar"
        aria-label={t('jobs.progressLabel')}
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={settled}
        aria-valuetext={t('jobs.progressText', {
          settled: format.number(settled),
          total: format.number(job.total),
        })}
        className="bg-subtle ring-line h-2 w-full overflow-hidden rounded-full ring-1 ring-inset"
      >
        <div
          className="bg-accent-600 h-full rounded-full transition-[width] duration-500"
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-ink-soft flex flex-wrap gap-x-3 gap-y-1 text-xs" data-testid="job-counts">
        {/* Spaces between the parts, so the line reads as words (screen readers, copy, search). */}
        {parts.map((part, index) => (
          <Fragment key={part.key}>
            {index > 0 ? ' ' : null}
            <span className={part.className}>{part.text}</span>
          </Fragment>
        ))}
      </p>
    </div>
  );
}
