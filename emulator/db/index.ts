/**
 * The emulator's storage: a PGlite database with Logto's tables, the demo seed, and the queries
 * the OIDC side (sign-in pages, claims, clients) and the control routes need. The Management API
 * routes in `emulator/api` run their own SQL against `db.pg`.
 */
export { closeDatabase, openDatabase, resetDatabase, type Database, type Queryable } from './database';
export {
  seedDatabase,
  DEMO_PASSWORD,
  SEED_APPLICATIONS,
  MANAGEMENT_API,
  PORTAL_OPERATOR_ROLE,
  type SeedProfile,
  type SeedResult,
} from './seed';
export {
  createUserWithPassword,
  EmailAlreadyInUseError,
  findApplication,
  findApplicationResourceScopes,
  findResourceByIndicator,
  findUserByEmail,
  findUserByUsername,
  getTenantStats,
  UsernameAlreadyInUseError,
  getUserClaims,
  markUserSignedIn,
  verifyUserPassword,
  type ApplicationRecord,
  type ResourceRecord,
  type UserClaims,
  type UserRecord,
} from './accounts';
export { listOutboxMessages, type OutboxMessage } from './outbox';
export {
  readSignInSettings,
  writeSignInSettings,
  LOGTO_DEFAULT_SIGN_IN_SETTINGS,
  EMAIL_SIGN_UP_SETTINGS,
  type SignInSettings,
} from './sign-in-experience';
