import 'server-only';

import { randomUUID } from 'node:crypto';
import type { Actor } from '@/lib/auth/actor';
import { getConfig } from '@/lib/config';
import {
  listOrganizationMembers,
  listOrganizationRoles,
  type ManagementClient,
  MAX_PAGE_SIZE,
} from '@/lib/logto';
import { NotFoundError, type OrgAccess, requireOrgScopes, type Scope } from '@/lib/permissions';
import { assertCanGrantRoles, InvalidRoleIdsError } from '@/lib/permissions/grants';
import { csvRow } from '@/lib/portal/csv';
import {
  type BulkJobItemState,
  type BulkJobKind,
  type BulkJobRow,
  getBulkJob,
  listBulkJobItems,
  listBulkJobs,
  requestBulkJobCancel,
  retryFailedBulkJobItems,
} from '@/lib/store/jobs';
import type { InviteJobParams, RoleJobParams } from './kinds';
import {
  type JobItemsPage,
  type JobItemView,
  type JobSelection,
  type JobSummary,
  MAX_JOB_ITEMS,
} from './types';
import { enqueueBulkJob, requeueBulkJob } from './worker';

/** A job's targets cannot be used: nobody matches, or more than {@link MAX_JOB_ITEMS} do. */
export class JobTargetsError extends Error {
  override name = 'JobTargetsError';
  constructor(readonly reason: 'none' | 'too_many') {
    super(reason === 'none' ? 'Nobody matches.' : `More than ${MAX_JOB_ITEMS} match.`);
  }
}

/** The scope a kind of job needs, to start it and to act on it (cancel, retry). */
export const JOB_SCOPES: Record<BulkJobKind, Scope> = {
  invite: 'inviteMembers',
  assign_role: 'assignRoles',
  remove_role: 'assignRoles',
  remove_members: 'removeMembers',
};

/** Starts an invite job over addresses already validated, lower-cased and unique. */
export async function startInviteJob(o: {
  actor: Actor;
  access: OrgAccess;
  orgId: string;
  emails: readonly string[];
  roleIds: readonly string[];
  expiresAt: number;
  locale: string;
}): Promise<{ jobId: string; total: number }> {
  // Checked now so the person hears at once; checked again for every item as it is applied.
  assertCanGrantRoles(o.access, o.roleIds, await listOrganizationRoles());
  const jobId = randomUUID();
  const params: InviteJobParams = {
    roleIds: [...o.roleIds],
    expiresAt: o.expiresAt,
    locale: o.locale,
    portalUrl: getConfig().nextAuth.url,
  };
  await enqueueBulkJob({
    id: jobId,
    organizationId: o.orgId,
    kind: 'invite',
    createdBy: o.actor.userId,
    createdByEmail: o.actor.email,
    createdByOperator: o.actor.isOperator,
    params,
    selection: { kind: 'list' } satisfies JobSelection,
    items: o.emails.map((email) => ({ target: email })),
  });
  return { jobId, total: o.emails.length };
}

/** Everyone a members search matches (the table's `q` and role filter), in Logto's order, up to {@link MAX_JOB_ITEMS}. */
export async function resolveMemberFilter(
  orgId: string,
  filter: { q: string; roleId?: string },
  client?: ManagementClient,
): Promise<Array<{ target: string; label: string | null }>> {
  const found: Array<{ target: string; label: string | null }> = [];
  for (let page = 1; ; page += 1) {
    const { rows, total } = await listOrganizationMembers(
      orgId,
      { q: filter.q, roleId: filter.roleId, page, pageSize: MAX_PAGE_SIZE },
      client,
    );
    for (const member of rows) found.push({ target: member.id, label: member.primaryEmail ?? null });
    if (found.length > MAX_JOB_ITEMS) {
      throw new JobTargetsError('too_many');
    }
    if (rows.length === 0 || found.length >= total) return found;
  }
}

/**
 * Starts a role or removal job over chosen members or over everyone a search matches. The search
 * is resolved now, so members who match later are not swept in.
 */
export async function startMemberJob(o: {
  actor: Actor;
  access: OrgAccess;
  orgId: string;
  kind: Exclude<BulkJobKind, 'invite'>;
  roleId?: string;
  target: { userIds: readonly string[] } | { q: string; roleId?: string };
}): Promise<{ jobId: string; total: number }> {
  let params: RoleJobParams | Record<string, never> = {};
  if (o.kind !== 'remove_members') {
    const roles = await listOrganizationRoles();
    const role = roles.find((candidate) => candidate.id === o.roleId);
    if (!o.roleId || role?.type !== 'User') throw new InvalidRoleIdsError([o.roleId ?? '']);
    assertCanGrantRoles(o.access, [o.roleId], roles);
    params = { roleId: o.roleId };
  }
  const items =
    'q' in o.target
      ? await resolveMemberFilter(o.orgId, o.target)
      : [...new Set(o.target.userIds)].map((userId) => ({ target: userId, label: null }));
  if (items.length === 0) throw new JobTargetsError('none');
  const jobId = randomUUID();
  await enqueueBulkJob({
    id: jobId,
    organizationId: o.orgId,
    kind: o.kind,
    createdBy: o.actor.userId,
    createdByEmail: o.actor.email,
    createdByOperator: o.actor.isOperator,
    params,
    selection: ('q' in o.target
      ? { kind: 'filter', q: o.target.q, roleName: await filterRoleName(o.target.roleId) }
      : { kind: 'selection' }) satisfies JobSelection,
    items,
  });
  return { jobId, total: items.length };
}

async function filterRoleName(roleId: string | undefined): Promise<string | null> {
  if (!roleId) return null;
  const role = (await listOrganizationRoles()).find((candidate) => candidate.id === roleId);
  if (!role) throw new InvalidRoleIdsError([roleId]);
  return role.name;
}

async function roleNameOf(job: BulkJobRow): Promise<string | null> {
  const roleId = (job.params as Partial<RoleJobParams & InviteJobParams>).roleId;
  const roleIds = (job.params as Partial<InviteJobParams>).roleIds;
  const wanted = roleId ? [roleId] : (roleIds ?? []);
  if (wanted.length === 0) return null;
  const roles = await listOrganizationRoles();
  return wanted.map((id) => roles.find((role) => role.id === id)?.name ?? id).join(', ');
}

async function toSummary(job: BulkJobRow): Promise<JobSummary> {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    total: job.total,
    counts: job.counts,
    createdAt: job.createdAt.getTime(),
    startedAt: job.startedAt?.getTime() ?? null,
    finishedAt: job.finishedAt?.getTime() ?? null,
    isCancelRequested: job.cancelRequestedAt !== null,
    createdByEmail: job.createdByEmail,
    selection: job.selection as JobSelection,
    roleNames: await roleNameOf(job).catch(() => null),
    now: Date.now(),
  };
}

/** A job of this organization, or {@link NotFoundError} (another organization's jobs do not exist here). */
async function jobOf(orgId: string, jobId: string): Promise<BulkJobRow> {
  const job = /^[0-9a-f-]{36}$/.test(jobId) ? await getBulkJob(jobId) : null;
  if (!job || job.organizationId !== orgId) throw new NotFoundError();
  return job;
}

/** The organization's recent jobs, for whoever may open it: `access` is their page-view check's answer. */
export async function loadJobs(access: OrgAccess): Promise<JobSummary[]> {
  return Promise.all((await listBulkJobs(access.orgId)).map(toSummary));
}

const ITEM_STATES: readonly BulkJobItemState[] = ['pending', 'done', 'skipped', 'failed', 'cancelled'];

/**
 * One job with one page of its items (optionally only some states), for whoever may open the
 * organization (`access`, their page-view check's answer).
 */
export async function loadJob(
  access: OrgAccess,
  jobId: string,
  { page = 1, pageSize = 50, state }: { page?: number; pageSize?: number; state?: string } = {},
): Promise<{ job: JobSummary; items: JobItemsPage }> {
  const job = await jobOf(access.orgId, jobId);
  const states = ITEM_STATES.includes(state as BulkJobItemState) ? [state as BulkJobItemState] : undefined;
  const size = Math.min(Math.max(1, Math.floor(pageSize) || 50), 200);
  const wanted = Math.max(1, Math.floor(page) || 1);
  const { rows, total } = await listBulkJobItems(jobId, { offset: (wanted - 1) * size, limit: size, states });
  return {
    job: await toSummary(job),
    items: {
      rows: rows.map(toItemView),
      total,
      page: wanted,
      pageSize: size,
      state: states?.[0] ?? null,
    },
  };
}

function toItemView(row: {
  seq: number;
  target: string;
  label: string | null;
  state: BulkJobItemState;
  reason: string | null;
  result: unknown;
}): JobItemView {
  const result = (row.result ?? {}) as { invitationId?: string; link?: string };
  return {
    seq: row.seq,
    target: row.label ?? row.target,
    state: row.state,
    reason: row.reason,
    invitationId: result.invitationId ?? null,
    link: result.link ?? null,
  };
}

/** Stops a job (`needed` scope of its kind); items already done stay done. */
export async function cancelJob(actor: Actor, orgId: string, jobId: string): Promise<JobSummary> {
  const job = await jobOf(orgId, jobId);
  await requireOrgScopes(actor, orgId, [JOB_SCOPES[job.kind]]);
  await requestBulkJobCancel(jobId);
  return toSummary((await getBulkJob(jobId)) ?? job);
}

/** Tries a finished job's failed items again. */
export async function retryFailedItems(
  actor: Actor,
  orgId: string,
  jobId: string,
): Promise<{ retried: number }> {
  const job = await jobOf(orgId, jobId);
  await requireOrgScopes(actor, orgId, [JOB_SCOPES[job.kind]]);
  const retried = await retryFailedBulkJobItems(jobId);
  if (retried > 0) await requeueBulkJob(jobId);
  return { retried };
}

export const JOB_RESULTS_CSV_HEADER = ['#', 'target', 'state', 'reason', 'invitation_id', 'link'] as const;

/** A job's items as CSV, in order, read from the store a page at a time. */
export async function streamJobResultsCsv(
  actor: Actor,
  orgId: string,
  jobId: string,
): Promise<ReadableStream<Uint8Array>> {
  await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
  await jobOf(orgId, jobId);
  const encoder = new TextEncoder();
  let offset = 0;
  let isHeaderSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!isHeaderSent) {
        isHeaderSent = true;
        controller.enqueue(encoder.encode(csvRow(JOB_RESULTS_CSV_HEADER)));
        return;
      }
      const { rows } = await listBulkJobItems(jobId, { offset, limit: 1_000 });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      offset += rows.length;
      const text = rows
        .map(toItemView)
        .map((item) =>
          csvRow([item.seq + 1, item.target, item.state, item.reason, item.invitationId, item.link]),
        )
        .join('');
      controller.enqueue(encoder.encode(text));
    },
  });
}
