import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * The portal's own tables. drizzle-kit reads this file to generate the SQL migrations in
 * `drizzle/` (`npx drizzle-kit generate`), so it imports nothing but Drizzle.
 */

/** Blocks of the shared Management API request budget, one row per grant (see `budget.ts`). */
export const budgetLeases = pgTable(
  'budget_leases',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instanceId: text('instance_id').notNull(),
    permits: integer('permits').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('budget_leases_granted_at_idx').on(table.grantedAt)],
);

/**
 * The pace of the shared budget: one token bucket for every instance (see `budget.ts`), one row.
 * `tokens` is what the bucket held at `updatedAt`; it refills at the pace's rate from then on.
 */
export const budgetPace = pgTable('budget_pace', {
  id: integer('id').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Heartbeats: which portal instances are alive, so each knows how many siblings share the work. */
export const instances = pgTable('instances', {
  instanceId: text('instance_id').primaryKey(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Version counters: a cached answer remembers the version it was read at (see `cache-versions.ts`). */
export const cacheVersions = pgTable('cache_versions', {
  scope: text('scope').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * Answers from Logto that every instance may serve for a few seconds (see `shared-answers.ts`):
 * each carries the cache version it was read at, and is served only while that version is current.
 */
export const sharedAnswers = pgTable(
  'shared_answers',
  {
    key: text('key').primaryKey(),
    version: bigint('version', { mode: 'number' }).notNull(),
    value: jsonb('value').notNull(),
    /** When Logto was asked (the database's clock), not when the row was written. */
    readAt: timestamp('read_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  // The sweep deletes by age.
  (table) => [index('shared_answers_read_at_idx').on(table.readAt)],
);

/** Every change the portal made, refused or failed to make. Append-only for the portal. */
export const activityLog = pgTable(
  'activity_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    organizationId: text('organization_id').notNull(),
    actorUserId: text('actor_user_id').notNull(),
    actorEmail: text('actor_email'),
    actorIsOperator: boolean('actor_is_operator').notNull().default(false),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    targetLabel: text('target_label'),
    before: jsonb('before'),
    after: jsonb('after'),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    jobId: text('job_id'),
  },
  (table) => [
    index('activity_log_org_time_idx').on(
      table.organizationId,
      // NULLS FIRST is what a plain `order by … desc` asks for, so the planner can use the index.
      table.occurredAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index('activity_log_org_actor_idx').on(table.organizationId, table.actorUserId),
    index('activity_log_org_action_idx').on(table.organizationId, table.action),
    // The retention sweep deletes by age across organizations.
    index('activity_log_occurred_at_idx').on(table.occurredAt),
    check('activity_log_outcome_check', sql`${table.outcome} in ('done', 'refused', 'failed')`),
  ],
);

/**
 * Bulk jobs: one row per job (invite many, assign or remove a role, remove members). Its items
 * are decided when it starts (`bulk_job_items`), so later changes in Logto do not widen it.
 */
export const bulkJobs = pgTable(
  'bulk_jobs',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('queued'),
    createdBy: text('created_by').notNull(),
    createdByEmail: text('created_by_email'),
    createdByOperator: boolean('created_by_operator').notNull().default(false),
    /** What every item applies: role ids, expiry, language, the portal's URL. */
    params: jsonb('params').notNull(),
    /** How the items were chosen: `{ kind: 'selection' }` or `{ kind: 'filter', q }`, for the jobs list. */
    selection: jsonb('selection').notNull(),
    total: integer('total').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
  },
  (table) => [
    index('bulk_jobs_org_created_idx').on(table.organizationId, table.createdAt.desc().nullsFirst()),
    index('bulk_jobs_status_idx').on(table.status),
    check('bulk_jobs_status_check', sql`${table.status} in ('queued', 'running', 'finished', 'cancelled')`),
  ],
);

/**
 * One item of a bulk job: an address to invite or a member to change. A worker claims items with
 * a short lease; `outcome_unknown` is set by the claim (the holder may write from then on) and
 * cleared once the outcome is known, so whoever picks the item up later reads Logto back before
 * writing again.
 */
export const bulkJobItems = pgTable(
  'bulk_job_items',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => bulkJobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** An email address (invite) or a Logto user id. */
    target: text('target').notNull(),
    /** What a person reads for the target (the member's email), when known. */
    label: text('label'),
    state: text('state').notNull().default('pending'),
    reason: text('reason'),
    /** What the item produced (the invitation id). */
    result: jsonb('result'),
    attempts: integer('attempts').notNull().default(0),
    transientFailures: integer('transient_failures').notNull().default(0),
    outcomeUnknown: boolean('outcome_unknown').notNull().default(false),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    notBefore: timestamp('not_before', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.jobId, table.seq] }),
    index('bulk_job_items_job_state_idx').on(table.jobId, table.state, table.seq),
    check(
      'bulk_job_items_state_check',
      sql`${table.state} in ('pending', 'done', 'skipped', 'failed', 'cancelled')`,
    ),
  ],
);
