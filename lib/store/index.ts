import 'server-only';

/**
 * The portal's own store (Postgres via `DATABASE_URL`, else embedded PGlite) and the state shared
 * by every instance: request budget, organization locks, cache invalidation, short-lived Logto answers, activity log.
 * Nothing outside `lib/store` talks SQL.
 */
export {
  appendActivities,
  appendActivity,
  type ActivityAction,
  type ActivityEntry,
  type ActivityOutcome,
  type ActivityQuery,
  type ActivityRow,
  type ActivityTargetType,
  DEFAULT_ACTIVITY_RETENTION_DAYS,
  deleteActivityOlderThan,
  MAX_ACTIVITY_PAGE_SIZE,
  queryActivity,
} from './activity';
export {
  countLiveInstances,
  heartbeat,
  type LeaseGrant,
  type LeaseRequest,
  leasePermits,
  retireInstance,
  tryLeasePermits,
} from './budget';
export { bumpCacheVersion, bumpCacheVersions, readCacheVersions } from './cache-versions';
export {
  type AnswerToShare,
  readSharedAnswer,
  readSharedAnswers,
  settleSharedAnswers,
  type SharedAnswer,
  shareAnswer,
  shareAnswers,
} from './shared-answers';
export {
  closeStore,
  getStore,
  inStoreTransaction,
  isSharedStore,
  migrateStore,
  openStore,
  type OpenStoreOptions,
  type PgliteStore,
  type PostgresStore,
  readStoreConfig,
  runSql,
  type SqlTarget,
  type Store,
  type StoreConfig,
  StoreConfigError,
  type StoreDatabase,
  type StoreTransaction,
  warmStore,
} from './client';
export {
  type OrganizationLockContext,
  OrganizationLockLostError,
  type OrganizationLockOptions,
  OrganizationLockTimeoutError,
  withOrganizationLock,
} from './org-lock';
