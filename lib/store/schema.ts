import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
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
