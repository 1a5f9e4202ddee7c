import 'server-only';

import { and, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import { getStore, runSql, type Store } from './client';
import { activityLog } from './schema';

/** What was done. The known actions; others may be added as features land. */
export type ActivityAction =
  | 'member.role_change'
  | 'member.remove'
  | 'member.add'
  | 'invitation.create'
  | 'invitation.revoke'
  | 'invitation.resend'
  | 'organization.create'
  | 'member.leave'
  | 'invitation.decline'
  | (string & {});

/** What the action was done to. */
export type ActivityTargetType = 'member' | 'invitation' | 'organization' | 'role' | 'application';

/** Whether it happened: done, refused by the portal's rules (say why), or failed upstream. */
export type ActivityOutcome = 'done' | 'refused' | 'failed';

/** One entry to record with {@link appendActivity}. */
export type ActivityEntry = {
  organizationId: string;
  actorUserId: string;
  actorEmail?: string | null;
  actorIsOperator?: boolean;
  action: ActivityAction;
  targetType: ActivityTargetType;
  targetId?: string | null;
  /** What people recognise the target by, e.g. the member's or invitee's email. */
  targetLabel?: string | null;
  /** State before and after the change where known (e.g. `{ roles: ['member'] }`); any JSON. */
  before?: unknown;
  after?: unknown;
  outcome: ActivityOutcome;
  /** Why it was refused or failed (an error code is best: the page translates it). */
  reason?: string | null;
  /** The bulk job this entry is one item of. */
  jobId?: string | null;
};

/** A recorded entry. */
export type ActivityRow = {
  id: number;
  occurredAt: Date;
  organizationId: string;
  actorUserId: string;
  actorEmail: string | null;
  actorIsOperator: boolean;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  before: unknown;
  after: unknown;
  outcome: ActivityOutcome;
  reason: string | null;
  jobId: string | null;
};

/** Filters and page of {@link queryActivity}. */
export type ActivityQuery = {
  organizationId: string;
  actorUserId?: string;
  /** Entries this user made or was the target of (a member's own history). */
  involvingUserId?: string;
  action?: string;
  /** Only the items of one bulk job. */
  jobId?: string;
  /** Case-insensitive part of the target's label (e.g. email), or its exact id. */
  targetQuery?: string;
  /** Entries at or after this moment. */
  from?: Date;
  /** Entries before this moment. */
  to?: Date;
  /** From 1. */
  page: number;
  /** At most {@link MAX_ACTIVITY_PAGE_SIZE}. */
  pageSize: number;
};

/** The largest page {@link queryActivity} returns (CSV export pages through with it). */
export const MAX_ACTIVITY_PAGE_SIZE = 1000;

/** Default retention of the activity log, in days. */
export const DEFAULT_ACTIVITY_RETENTION_DAYS = 365;

/**
 * Records one entry, stamped with the database's clock. The log is append-only for the portal:
 * nothing edits or deletes entries except the retention sweep. Record in the same step as the
 * change (right after Logto answers, whatever it answered), one entry per item of bulk work.
 */
function toActivityValues(entry: ActivityEntry) {
  return {
    organizationId: entry.organizationId,
    actorUserId: entry.actorUserId,
    actorEmail: entry.actorEmail ?? null,
    actorIsOperator: entry.actorIsOperator ?? false,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    outcome: entry.outcome,
    reason: entry.reason ?? null,
    jobId: entry.jobId ?? null,
  };
}

export async function appendActivity(entry: ActivityEntry, store?: Store): Promise<ActivityRow> {
  const { db } = store ?? (await getStore());
  const [row] = await db.insert(activityLog).values(toActivityValues(entry)).returning();
  return toActivityRow(row!);
}

const APPEND_BATCH = 500;

/** Records several entries in one statement per 500 (a bulk job's batch of items), in order. */
export async function appendActivities(entries: readonly ActivityEntry[], store?: Store): Promise<void> {
  const { db } = store ?? (await getStore());
  for (let start = 0; start < entries.length; start += APPEND_BATCH) {
    await db.insert(activityLog).values(entries.slice(start, start + APPEND_BATCH).map(toActivityValues));
  }
}

/**
 * One page of an organization's activity, newest first, with the number of entries matching
 * the filters. `page` and `pageSize` are clamped to sensible values, never an error.
 */
export async function queryActivity(
  query: ActivityQuery,
  store?: Store,
): Promise<{ rows: ActivityRow[]; total: number }> {
  const { db } = store ?? (await getStore());
  const pageSize = clampInteger(query.pageSize, 1, MAX_ACTIVITY_PAGE_SIZE);
  const page = clampInteger(query.page, 1, Number.MAX_SAFE_INTEGER);

  const conditions: SQL[] = [eq(activityLog.organizationId, query.organizationId)];
  if (query.actorUserId) conditions.push(eq(activityLog.actorUserId, query.actorUserId));
  if (query.involvingUserId) {
    conditions.push(
      or(
        eq(activityLog.actorUserId, query.involvingUserId),
        and(eq(activityLog.targetType, 'member'), eq(activityLog.targetId, query.involvingUserId)),
      )!,
    );
  }
  if (query.action) conditions.push(eq(activityLog.action, query.action));
  if (query.jobId) conditions.push(eq(activityLog.jobId, query.jobId));
  const targetQuery = query.targetQuery?.trim();
  if (targetQuery) {
    conditions.push(
      or(
        ilike(activityLog.targetLabel, `%${escapeLike(targetQuery)}%`),
        eq(activityLog.targetId, targetQuery),
      )!,
    );
  }
  if (query.from) conditions.push(gte(activityLog.occurredAt, query.from));
  if (query.to) conditions.push(lt(activityLog.occurredAt, query.to));
  const where = and(...conditions);

  // Sequential: PGlite runs one query at a time anyway, and Postgres answers both quickly.
  const rows = await db
    .select()
    .from(activityLog)
    .where(where)
    .orderBy(desc(activityLog.occurredAt), desc(activityLog.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const [counted] = await db.select({ total: count() }).from(activityLog).where(where);
  return { rows: rows.map(toActivityRow), total: Number(counted?.total ?? 0) };
}

/**
 * The retention sweep: deletes entries older than `days` (the portal passes
 * `PORTAL_ACTIVITY_RETENTION_DAYS`, default {@link DEFAULT_ACTIVITY_RETENTION_DAYS}) in every
 * organization, including deleted ones, in batches so it never holds long locks. Resolves with
 * the number of entries deleted.
 */
export async function deleteActivityOlderThan(days: number, store?: Store): Promise<number> {
  const retentionDays = days;
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) {
    throw new RangeError(`The activity retention must be a positive number of days, got ${retentionDays}`);
  }
  const { db } = store ?? (await getStore());
  const batchSize = 5_000;
  let deleted = 0;
  for (;;) {
    const [row] = await runSql<{ deleted: number }>(
      sql`with doomed as (
            select id from activity_log
            where occurred_at < now() - make_interval(secs => ${retentionDays * 86_400}::float8)
            limit ${batchSize}
          ), gone as (
            delete from activity_log where id in (select id from doomed) returning 1
          )
          select count(*)::integer as deleted from gone`,
      db,
    );
    const batch = Number(row?.deleted ?? 0);
    deleted += batch;
    if (batch < batchSize) return deleted;
  }
}

function toActivityRow(row: typeof activityLog.$inferSelect): ActivityRow {
  return { ...row, outcome: row.outcome as ActivityOutcome };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
