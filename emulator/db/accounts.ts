import type { Database } from './database';
import { generateId, ID_LENGTH } from './ids';
import { hashPassword, verifyPassword } from './passwords';
import { type UserRow, userColumns } from './records';

/** A user as the sign-in pages and the OIDC provider see it. */
export type UserRecord = UserRow;

/** The OIDC claims of a user (profile, email, organizations, organization roles scopes). */
export type UserClaims = {
  sub: string;
  email: string | null;
  email_verified: boolean;
  name: string | null;
  username: string | null;
  picture: string | null;
  organizations: string[];
  /** `"<organizationId>:<roleName>"`, one per role held, as Logto puts them in ID tokens. */
  organization_roles: string[];
};

/** The fields of an application the OIDC provider needs to register it as a client. */
export type ApplicationRecord = {
  id: string;
  name: string;
  secret: string;
  type: 'MachineToMachine' | 'Traditional';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
};

/** Thrown by {@link createUserWithPassword} when the email already belongs to a user. */
export class EmailAlreadyInUseError extends Error {
  constructor(email: string) {
    super(`The email ${email} is already in use.`);
    this.name = 'EmailAlreadyInUseError';
  }
}

/** Logto's prefix of an application's internal secret, which no answer shows. */
export const INTERNAL_SECRET_PREFIX = 'internal_';

/**
 * The value of the "Default secret" in the secret list of an app created through the API, whose
 * stored secret is internal; `undefined` for a legacy secret (the seeded apps), which Logto still
 * shows as `secret`.
 */
export function defaultSecretOf(storedSecret: string): string | undefined {
  return storedSecret.startsWith(INTERNAL_SECRET_PREFIX)
    ? storedSecret.slice(INTERNAL_SECRET_PREFIX.length)
    : undefined;
}

/** Thrown by {@link createUserWithPassword} when the username already belongs to a user. */
export class UsernameAlreadyInUseError extends Error {
  constructor(username: string) {
    super(`The username ${username} is already in use.`);
    this.name = 'UsernameAlreadyInUseError';
  }
}

/** Finds a user by username (case-sensitive, Logto's default username policy). */
export async function findUserByUsername(db: Database, username: string): Promise<UserRecord | undefined> {
  const result = await db.pg.query<UserRecord>(`select ${userColumns()} from users u where u.username = $1`, [
    username.trim(),
  ]);
  return result.rows[0];
}

/** Finds a user by primary email, case-insensitively (as Logto's sign-in identifier lookup). */
export async function findUserByEmail(db: Database, email: string): Promise<UserRecord | undefined> {
  const result = await db.pg.query<UserRecord>(
    `select ${userColumns()} from users u where lower(u.primary_email) = lower($1) order by u.created_at limit 1`,
    [email.trim()],
  );
  return result.rows[0];
}

/** True when the user exists, has a password, and `password` matches it. */
export async function verifyUserPassword(db: Database, userId: string, password: string): Promise<boolean> {
  const result = await db.pg.query<{ digest: string | null }>(
    `select password_encrypted as digest from users where id = $1`,
    [userId],
  );
  const digest = result.rows[0]?.digest;
  return digest ? verifyPassword(password, digest) : false;
}

/**
 * Creates a user who signs up on the create-account page with a password and the identifiers the
 * sign-up asks for: an email, a username, or both (at least one).
 * @throws {EmailAlreadyInUseError} when any user already has that email, in any letter case.
 * @throws {UsernameAlreadyInUseError} when any user already has that username.
 */
export async function createUserWithPassword(
  db: Database,
  o: { email?: string; username?: string; password: string; name?: string },
): Promise<UserRecord> {
  const email = o.email?.trim() || null;
  const username = o.username?.trim() || null;
  if (!email && !username) throw new Error('A new account needs an email or a username.');
  const digest = await hashPassword(o.password);
  return db.pg.transaction(async (tx) => {
    if (email) {
      const existing = await tx.query(`select 1 from users where lower(primary_email) = lower($1)`, [email]);
      if (existing.rows.length > 0) throw new EmailAlreadyInUseError(email);
    }
    if (username) {
      const existing = await tx.query(`select 1 from users where username = $1`, [username]);
      if (existing.rows.length > 0) throw new UsernameAlreadyInUseError(username);
    }
    const inserted = await tx.query<UserRecord>(
      `insert into users (id, primary_email, username, name, password_encrypted) values ($1, $2, $3, $4, $5)
       returning ${userColumns('users')}`,
      [generateId(ID_LENGTH.user), email, username, o.name?.trim() || null, digest],
    );
    const user = inserted.rows[0];
    if (!user) throw new Error('Inserting the user returned no row.');
    return user;
  });
}

/** The claims for ID tokens and userinfo; undefined for an unknown user. */
export async function getUserClaims(db: Database, userId: string): Promise<UserClaims | undefined> {
  const result = await db.pg.query<{
    id: string;
    primaryEmail: string | null;
    name: string | null;
    username: string | null;
    avatar: string | null;
    organizations: string[];
    organizationRoles: string[];
  }>(
    `select u.id, u.primary_email as "primaryEmail", u.name, u.username, u.avatar,
       coalesce((select array_agg(our.organization_id order by our.organization_id)
                 from organization_user_relations our where our.user_id = u.id), '{}') as organizations,
       coalesce((select array_agg(rur.organization_id || ':' || r.name order by rur.organization_id, r.name)
                 from organization_role_user_relations rur
                 join organization_roles r on r.id = rur.organization_role_id
                 where rur.user_id = u.id), '{}') as "organizationRoles"
     from users u where u.id = $1`,
    [userId],
  );
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    sub: row.id,
    email: row.primaryEmail,
    email_verified: row.primaryEmail !== null,
    name: row.name,
    username: row.username,
    picture: row.avatar,
    organizations: row.organizations,
    organization_roles: row.organizationRoles,
  };
}

/** Records a successful sign-in (`lastSignInAt`). */
export async function markUserSignedIn(db: Database, userId: string): Promise<void> {
  await db.pg.query(`update users set last_sign_in_at = now() where id = $1`, [userId]);
}

/**
 * An application registered as an OIDC client. Only the two kinds the emulator's provider
 * serves (machine-to-machine and traditional web) are returned.
 */
export async function findApplication(db: Database, id: string): Promise<ApplicationRecord | undefined> {
  const result = await db.pg.query<{
    id: string;
    name: string;
    secret: string;
    type: string;
    metadata: { redirectUris?: string[]; postLogoutRedirectUris?: string[] };
  }>(
    `select id, name, secret, type::text as type, oidc_client_metadata as metadata from applications where id = $1`,
    [id],
  );
  const row = result.rows[0];
  if (!row || (row.type !== 'MachineToMachine' && row.type !== 'Traditional')) return undefined;
  return {
    id: row.id,
    name: row.name,
    // An app created through the API keeps an internal secret; its client authenticates with the
    // "Default secret" of its secret list (Logto maps that one onto the internal secret).
    secret: defaultSecretOf(row.secret) ?? row.secret,
    type: row.type,
    redirectUris: row.metadata.redirectUris ?? [],
    postLogoutRedirectUris: row.metadata.postLogoutRedirectUris ?? [],
  };
}

/** An API resource as the token endpoint needs it. */
export type ResourceRecord = { id: string; indicator: string; accessTokenTtl: number };

/** The API resource registered with this indicator, if any. */
export async function findResourceByIndicator(
  db: Database,
  indicator: string,
): Promise<ResourceRecord | undefined> {
  const result = await db.pg.query<ResourceRecord>(
    `select id, indicator, access_token_ttl::int as "accessTokenTtl" from resources where indicator = $1`,
    [indicator],
  );
  return result.rows[0];
}

/**
 * The permissions (scope names) of one API resource that an application holds through its
 * roles (`applications_roles` → `roles_scopes` → `scopes`), as Logto's
 * `findApplicationScopesForResourceIndicator` finds them for the client-credentials grant.
 */
export async function findApplicationResourceScopes(
  db: Database,
  applicationId: string,
  indicator: string,
): Promise<string[]> {
  const result = await db.pg.query<{ name: string }>(
    `select distinct s.name
     from applications_roles ar
     join roles_scopes rs on rs.role_id = ar.role_id
     join scopes s on s.id = rs.scope_id
     join resources res on res.id = s.resource_id
     where ar.application_id = $1 and res.indicator = $2
     order by s.name`,
    [applicationId, indicator],
  );
  return result.rows.map((row) => row.name);
}

/** Counts for the control routes and the CLI banner. */
export async function getTenantStats(
  db: Database,
): Promise<{ users: number; organizations: number; invitations: number }> {
  const result = await db.pg.query<{ users: number; organizations: number; invitations: number }>(
    `select (select count(*) from users)::int as users,
            (select count(*) from organizations)::int as organizations,
            (select count(*) from organization_invitations)::int as invitations`,
  );
  return result.rows[0] ?? { users: 0, organizations: 0, invitations: 0 };
}
