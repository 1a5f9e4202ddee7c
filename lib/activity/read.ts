import 'server-only';

import type { Actor } from '@/lib/auth/actor';
import { type OrgAccess, requireOrgScopes } from '@/lib/permissions';
import { csvRow } from '@/lib/portal/csv';
import {
  type ActivityQuery,
  type ActivityRow,
  MAX_ACTIVITY_PAGE_SIZE,
  queryActivity,
  type Store,
} from '@/lib/store';
import { pageCount } from '@/lib/table-state';
import { type ActivityListRow, type ActivityPage, readActivityState } from './kinds';
import { activityTimeRange, type ActivityTableState } from './query-state';

/** The store's query for a table state (the days turned into moments in the state's zone). */
export function toActivityQuery(orgId: string, state: ActivityTableState): ActivityQuery {
  return {
    organizationId: orgId,
    ...(state.who && { actorUserId: state.who }),
    ...(state.action && { action: state.action }),
    ...(state.q && { targetQuery: state.q }),
    ...activityTimeRange(state),
    page: state.page,
    pageSize: state.pageSize,
  };
}

/** An entry as the browser gets it. */
export function toActivityListRow(row: ActivityRow): ActivityListRow {
  return {
    id: row.id,
    occurredAt: row.occurredAt.getTime(),
    actor: { id: row.actorUserId, email: row.actorEmail, isOperator: row.actorIsOperator },
    action: row.action,
    target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
    before: readActivityState(row.before),
    after: readActivityState(row.after),
    outcome: row.outcome,
    reason: row.reason,
    jobId: row.jobId,
  };
}

/**
 * One page of an organization's activity for a table state, newest first. A page past the end is
 * moved to the last page (one more query) and the answer says which page it is.
 */
export async function queryActivityPage(
  orgId: string,
  state: ActivityTableState,
  store?: Store,
): Promise<ActivityPage> {
  let { rows, total } = await queryActivity(toActivityQuery(orgId, state), store);
  let page = state.page;
  const last = pageCount(total, state.pageSize);
  if (page > last) {
    page = last;
    ({ rows, total } = await queryActivity(toActivityQuery(orgId, { ...state, page }), store));
  }
  return { rows: rows.map(toActivityListRow), total, page, pageSize: state.pageSize };
}

/**
 * One page of the activity table for the actor (`read:members` in the organization; operators
 * everywhere), shared by the page and its GET route handler. The permission check and the
 * store's query run in parallel; the rows are discarded unless the check passes.
 */
export async function loadActivityPage(
  actor: Actor,
  orgId: string,
  state: ActivityTableState,
): Promise<{ access: OrgAccess; activity: ActivityPage }> {
  const accessLoad = requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
  const activityLoad = queryActivityPage(orgId, state);
  // The query may settle (or fail) after a failed check; nobody reads it then.
  activityLoad.catch(() => undefined);
  const access = await accessLoad;
  return { access, activity: await activityLoad };
}

/** Header row of the activity CSV; English column names, so scripts can rely on them. */
export const ACTIVITY_CSV_HEADER = [
  'occurred_at',
  'actor_user_id',
  'actor_email',
  'actor_is_operator',
  'action',
  'target_type',
  'target_id',
  'target_label',
  'before',
  'after',
  'outcome',
  'reason',
  'job_id',
] as const;

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** One entry as a CSV record. */
export function activityCsvRow(row: ActivityRow): string {
  return csvRow([
    row.occurredAt.toISOString(),
    row.actorUserId,
    row.actorEmail,
    row.actorIsOperator ? 'true' : 'false',
    row.action,
    row.targetType,
    row.targetId,
    row.targetLabel,
    json(row.before),
    json(row.after),
    row.outcome,
    row.reason,
    row.jobId,
  ]);
}

/**
 * The organization's activity matching a table state's filters (its page ignored) as CSV, newest
 * first, UTF-8 with a byte-order mark, streamed one store page at a time so memory stays flat.
 * The first page is read before the stream is handed back, so a store that cannot answer is an
 * ordinary error response rather than a broken download; a failure further on errors the stream,
 * so the download fails visibly rather than ending short. The end of the range is pinned when the
 * download starts: entries recorded meanwhile do not shift the pages (no entry appears twice).
 */
export async function streamActivityCsv(
  orgId: string,
  state: ActivityTableState,
  {
    pageSize = MAX_ACTIVITY_PAGE_SIZE,
    now = new Date(),
    store,
  }: { pageSize?: number; now?: Date; store?: Store } = {},
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const base = toActivityQuery(orgId, state);
  const query: ActivityQuery = { ...base, to: base.to && base.to < now ? base.to : now, pageSize };
  const first = await queryActivity({ ...query, page: 1 }, store);
  let page = 1;
  let rows = first.rows;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(ACTIVITY_CSV_HEADER)}`));
      },
      async pull(controller) {
        if (page > 1) rows = (await queryActivity({ ...query, page }, store)).rows;
        page += 1;
        if (rows.length > 0) controller.enqueue(encoder.encode(rows.map(activityCsvRow).join('')));
        if (rows.length < pageSize) controller.close();
      },
    },
    { highWaterMark: 2 },
  );
}
