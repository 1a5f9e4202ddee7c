// Client-safe shapes of bulk jobs, as pages and route handlers hand them to the browser.

/** Most items one job may carry (addresses to invite, members to change). */
export const MAX_JOB_ITEMS = 10_000;

export type JobKind = 'invite' | 'assign_role' | 'remove_role' | 'remove_members';
export type JobStatus = 'queued' | 'running' | 'finished' | 'cancelled';
export type JobItemState = 'pending' | 'done' | 'skipped' | 'failed' | 'cancelled';

/** How a job's items were chosen. */
export type JobSelection =
  | { kind: 'list' }
  | { kind: 'selection' }
  /** Everyone a members search matched when the job started (`roleName`: the role filter). */
  | { kind: 'filter'; q: string; roleName?: string | null };

/** A job as the jobs list and its detail page show it. Times are epoch ms. */
export type JobSummary = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  counts: Record<JobItemState, number>;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  isCancelRequested: boolean;
  createdByEmail: string | null;
  selection: JobSelection;
  /** The role(s) the job grants or takes away, by name. */
  roleNames: string | null;
  /** The server's clock when this was read, for the estimate. */
  now: number;
};

/** One item of a job. */
export type JobItemView = {
  seq: number;
  /** The address, or the member's email (their id when unknown). */
  target: string;
  state: JobItemState;
  reason: string | null;
  invitationId: string | null;
  /** A link to share by hand, when no email could be sent. */
  link: string | null;
};

export type JobItemsPage = {
  rows: JobItemView[];
  total: number;
  page: number;
  pageSize: number;
  /** Only items in this state, when filtered. */
  state: JobItemState | null;
};

/** Items settled so far (done, skipped, failed or cancelled). */
export function settledCount(job: Pick<JobSummary, 'counts'>): number {
  const { done, skipped, failed, cancelled } = job.counts;
  return done + skipped + failed + cancelled;
}

/** Whether a job may still change (its page keeps polling). */
export function isJobActive(job: Pick<JobSummary, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/**
 * Milliseconds left at the pace so far, or null before there is a pace to go by (nothing settled
 * yet) or once the job is over.
 */
export function estimateRemainingMs(job: JobSummary): number | null {
  if (!isJobActive(job) || job.startedAt === null) return null;
  const settled = settledCount(job);
  const elapsed = job.now - job.startedAt;
  if (settled === 0 || elapsed <= 0) return null;
  return Math.round(((job.total - settled) * elapsed) / settled);
}
