import type { Database, Queryable } from './database';
import { createSeededRandom, ID_LENGTH, type SeededRandom } from './ids';
import { OUTBOX_CONNECTOR_FACTORY_ID } from './outbox';
import { hashPassword } from './passwords';
import {
  EMAIL_SIGN_UP_SETTINGS,
  LOGTO_DEFAULT_SIGN_IN_SETTINGS,
  writeSignInSettings,
} from './sign-in-experience';

/** The password of every seeded user. */
export const DEMO_PASSWORD = 'demo-password-1';

/** Seeded applications and the Management API, as the portal's defaults expect them. */
export const SEED_APPLICATIONS = {
  m2m: { id: 'portal-m2m', secret: 'portal-m2m-secret', name: 'Portal (machine-to-machine)' },
  web: {
    id: 'portal-web',
    secret: 'portal-web-secret',
    name: 'Organization admin portal',
    redirectUris: ['http://localhost:3000/api/auth/callback/logto'],
    postLogoutRedirectUris: ['http://localhost:3000'],
  },
} as const;

export const MANAGEMENT_API = {
  indicator: 'https://default.logto.app/api',
  name: 'Logto Management API',
  scope: 'all',
} as const;

export const SEED_ORGANIZATION_SCOPES = [
  'read:members',
  'invite:members',
  'remove:members',
  'assign:roles',
  'manage:organization',
] as const;

export const SEED_ORGANIZATION_ROLES = {
  admin: {
    description: 'Manages members, invitations, roles and settings.',
    scopes: SEED_ORGANIZATION_SCOPES,
  },
  manager: { description: 'Sees members and invites people.', scopes: ['read:members', 'invite:members'] },
  member: { description: 'A regular member.', scopes: [] },
} as const;

export const PORTAL_OPERATOR_ROLE = 'portal-operator';

export type SeedProfile = 'default' | 'bare';

export type SeedResult = { seeded: boolean; users: number; organizations: number; ms: number };

const SEED_KEY = 'seed';
const RANDOM_SEED = 0x1097_0001;
const DEFAULT_BIG_ORG_MEMBERS = 2500;
const SMALL_ORGANIZATION_COUNT = 40;

type OrgRoleName = keyof typeof SEED_ORGANIZATION_ROLES;

type SeedUser = { id: string; email: string; name: string; username: string | null; createdAt: Date };
type SeedOrganization = { id: string; name: string; description: string; createdAt: Date };
type SeedMembership = { organizationId: string; userId: string; role: OrgRoleName };

/**
 * Fills an empty database with the demo tenant (see emulator-shared.md). A database that was
 * already seeded is left alone (`seeded: false`). Ids and names come from a fixed-seed PRNG, so
 * every fresh seed is identical apart from timestamps, which are relative to now.
 */
export async function seedDatabase(
  db: Database,
  o: { profile: SeedProfile; bigOrgMembers?: number },
): Promise<SeedResult> {
  const startedAt = performance.now();
  const already = await db.pg.query(`select 1 from emulator_meta where key = $1`, [SEED_KEY]);
  if (already.rows.length > 0) return { seeded: false, ...(await countRows(db.pg)), ms: 0 };

  const bigOrgMembers = Math.max(4, Math.floor(o.bigOrgMembers ?? DEFAULT_BIG_ORG_MEMBERS));
  const digest = await hashPassword(DEMO_PASSWORD);
  const random = createSeededRandom(RANDOM_SEED);
  const now = Date.now();

  await db.pg.transaction(async (tx) => {
    await seedManagementApi(tx, random);
    if (o.profile === 'default') await seedDemoTenant(tx, random, { bigOrgMembers, digest, now });
    // The bare tenant is a new Logto tenant (username sign-up); the demo one is bootstrapped.
    await writeSignInSettings(
      tx,
      o.profile === 'default' ? EMAIL_SIGN_UP_SETTINGS : LOGTO_DEFAULT_SIGN_IN_SETTINGS,
    );
    await tx.query(`insert into emulator_meta (key, value) values ($1, $2)`, [
      SEED_KEY,
      JSON.stringify({ profile: o.profile, bigOrgMembers, seededAt: now }),
    ]);
  });
  // Without statistics the planner picks nested loops over sequential scans (deep pages of the
  // big organization took seconds), and without the visibility map counting its members reads
  // every heap row instead of the index alone.
  await db.pg.exec('vacuum analyze');

  return { seeded: true, ...(await countRows(db.pg)), ms: Math.round(performance.now() - startedAt) };
}

async function countRows(tx: Queryable): Promise<{ users: number; organizations: number }> {
  const result = await tx.query<{ users: number; organizations: number }>(
    `select (select count(*) from users)::int as users, (select count(*) from organizations)::int as organizations`,
  );
  return result.rows[0] ?? { users: 0, organizations: 0 };
}

async function seedManagementApi(tx: Queryable, random: SeededRandom): Promise<void> {
  const resourceId = random.id();
  const scopeId = random.id();
  const roleId = random.id();
  await tx.query(`insert into resources (id, name, indicator) values ($1, $2, $3)`, [
    resourceId,
    MANAGEMENT_API.name,
    MANAGEMENT_API.indicator,
  ]);
  await tx.query(`insert into scopes (id, resource_id, name, description) values ($1, $2, $3, $4)`, [
    scopeId,
    resourceId,
    MANAGEMENT_API.scope,
    'Default scope for Management API, allows all permissions.',
  ]);
  await tx.query(`insert into roles (id, name, description, type) values ($1, $2, $3, 'MachineToMachine')`, [
    roleId,
    'Logto Management API access',
    'This default role grants access to the Logto management API.',
  ]);
  await tx.query(`insert into roles_scopes (id, role_id, scope_id) values ($1, $2, $3)`, [
    random.id(),
    roleId,
    scopeId,
  ]);

  const { m2m, web } = SEED_APPLICATIONS;
  await tx.query(
    `insert into applications (id, name, secret, description, type, oidc_client_metadata) values
       ($1, $2, $3, 'Calls the Management API for the portal.', 'MachineToMachine', $4),
       ($5, $6, $7, 'Signs people in to the portal.', 'Traditional', $8)`,
    [
      m2m.id,
      m2m.name,
      m2m.secret,
      JSON.stringify({ redirectUris: [], postLogoutRedirectUris: [] }),
      web.id,
      web.name,
      web.secret,
      JSON.stringify({ redirectUris: web.redirectUris, postLogoutRedirectUris: web.postLogoutRedirectUris }),
    ],
  );
  await tx.query(`insert into applications_roles (id, application_id, role_id) values ($1, $2, $3)`, [
    random.id(),
    m2m.id,
    roleId,
  ]);
}

async function seedDemoTenant(
  tx: Queryable,
  random: SeededRandom,
  o: { bigOrgMembers: number; digest: string; now: number },
): Promise<void> {
  const day = 86_400_000;
  // Users and organizations get distinct, increasing creation times so that "newest first"
  // orderings are well defined, as they would be in a real tenant.
  let clock = o.now - 400 * day;
  const tick = () => new Date((clock += 60_000));

  // Scopes added after the first four draw their ids from a stream of their own, so the demo
  // tenant's other ids and sizes stay what they were (tests and docs quote them).
  const laterScopes = createSeededRandom(RANDOM_SEED + 1);
  const scopeIds = new Map(
    SEED_ORGANIZATION_SCOPES.map((name, index) => [name, index < 4 ? random.id() : laterScopes.id()]),
  );
  const roleIds = new Map(
    (Object.keys(SEED_ORGANIZATION_ROLES) as OrgRoleName[]).map((name) => [name, random.id()]),
  );
  await tx.query(
    `insert into organization_scopes (id, name, description) select * from unnest($1::text[], $2::text[], $3::text[])`,
    [
      [...scopeIds.values()],
      [...scopeIds.keys()],
      ['See members and invitations.', 'Invite people.', 'Remove members.', "Change members' roles."],
    ],
  );
  const roleEntries = Object.entries(SEED_ORGANIZATION_ROLES) as Array<
    [OrgRoleName, (typeof SEED_ORGANIZATION_ROLES)[OrgRoleName]]
  >;
  await tx.query(
    `insert into organization_roles (id, name, description) select * from unnest($1::text[], $2::text[], $3::text[])`,
    [
      roleEntries.map(([name]) => roleIds.get(name)),
      roleEntries.map(([name]) => name),
      roleEntries.map(([, r]) => r.description),
    ],
  );
  const roleScopePairs = roleEntries.flatMap(([name, role]) =>
    role.scopes.map((scope) => [roleIds.get(name), scopeIds.get(scope)] as const),
  );
  await tx.query(
    `insert into organization_role_scope_relations (organization_role_id, organization_scope_id)
     select * from unnest($1::text[], $2::text[])`,
    [roleScopePairs.map(([role]) => role), roleScopePairs.map(([, scope]) => scope)],
  );

  const operatorRoleId = random.id();
  await tx.query(`insert into roles (id, name, description) values ($1, $2, $3)`, [
    operatorRoleId,
    PORTAL_OPERATOR_ROLE,
    'Operates the organization admin portal: every organization.',
  ]);

  const users: SeedUser[] = [];
  const addUser = (email: string, name: string, username: string | null = null) => {
    const user = { id: random.id(ID_LENGTH.user), email, name, username, createdAt: tick() };
    users.push(user);
    return user;
  };
  const organizations: SeedOrganization[] = [];
  const addOrganization = (name: string, description: string) => {
    const organization = { id: random.id(ID_LENGTH.organization), name, description, createdAt: tick() };
    organizations.push(organization);
    return organization;
  };
  const memberships: SeedMembership[] = [];
  const generatedName = () => `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  // Small organizations give the first member admin, the second manager, the rest member.
  const roleByPosition = (index: number, size: number): OrgRoleName =>
    index === 0 ? 'admin' : index === 1 && size > 2 ? 'manager' : 'member';

  const operator = addUser('operator@example.com', 'Olivia Operator', 'olivia');
  const alice = addUser('alice@acme.example', 'Alice Admin', 'alice');
  const bob = addUser('bob@acme.example', 'Bob Manager', 'bob');
  const carol = addUser('carol@acme.example', 'Carol Member', 'carol');
  const dave = addUser('dave@globex.example', 'Dave Globex', 'dave');

  const acme = addOrganization('Acme', 'Acme Corporation: the big customer.');
  const globex = addOrganization('Globex', 'Globex Corporation.');
  const initech = addOrganization('Initech', 'Initech: a three-person team.');

  memberships.push(
    { organizationId: acme.id, userId: alice.id, role: 'admin' },
    { organizationId: acme.id, userId: bob.id, role: 'manager' },
    { organizationId: acme.id, userId: carol.id, role: 'member' },
    { organizationId: acme.id, userId: dave.id, role: 'member' },
    { organizationId: globex.id, userId: dave.id, role: 'admin' },
  );
  const acmeGenerated = o.bigOrgMembers - 4;
  const acmeDigits = Math.max(4, String(acmeGenerated).length);
  for (let index = 1; index <= acmeGenerated; index += 1) {
    const user = addUser(`user${String(index).padStart(acmeDigits, '0')}@acme.example`, generatedName());
    memberships.push({ organizationId: acme.id, userId: user.id, role: 'member' });
  }
  for (let index = 1; index <= 34; index += 1) {
    const user = addUser(`user${String(index).padStart(2, '0')}@globex.example`, generatedName());
    memberships.push({ organizationId: globex.id, userId: user.id, role: 'member' });
  }
  for (let index = 1; index <= 3; index += 1) {
    const user = addUser(`user${index}@initech.example`, generatedName());
    memberships.push({ organizationId: initech.id, userId: user.id, role: roleByPosition(index - 1, 3) });
  }
  for (let orgIndex = 1; orgIndex <= SMALL_ORGANIZATION_COUNT; orgIndex += 1) {
    const label = String(orgIndex).padStart(2, '0');
    const organization = addOrganization(`Org ${label}`, `Small customer number ${orgIndex}.`);
    const size = random.int(2, 5);
    for (let index = 1; index <= size; index += 1) {
      const user = addUser(`user${index}@org${label}.example`, generatedName());
      memberships.push({
        organizationId: organization.id,
        userId: user.id,
        role: roleByPosition(index - 1, size),
      });
    }
  }

  await tx.query(
    `insert into users (id, primary_email, name, username, password_encrypted, created_at, updated_at)
     select id, email, name, username, $5, created_at, created_at
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::timestamptz[]) as t(id, email, name, username, created_at)`,
    [
      users.map((user) => user.id),
      users.map((user) => user.email),
      users.map((user) => user.name),
      users.map((user) => user.username),
      o.digest,
      users.map((user) => user.createdAt.toISOString()),
    ],
  );
  await tx.query(`insert into users_roles (id, user_id, role_id) values ($1, $2, $3)`, [
    random.id(),
    operator.id,
    operatorRoleId,
  ]);
  await tx.query(
    `insert into organizations (id, name, description, created_at)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])`,
    [
      organizations.map((organization) => organization.id),
      organizations.map((organization) => organization.name),
      organizations.map((organization) => organization.description),
      organizations.map((organization) => organization.createdAt.toISOString()),
    ],
  );
  await tx.query(
    `insert into organization_user_relations (organization_id, user_id) select * from unnest($1::text[], $2::text[])`,
    [
      memberships.map((membership) => membership.organizationId),
      memberships.map((membership) => membership.userId),
    ],
  );
  await tx.query(
    `insert into organization_role_user_relations (organization_id, user_id, organization_role_id)
     select * from unnest($1::text[], $2::text[], $3::text[])`,
    [
      memberships.map((membership) => membership.organizationId),
      memberships.map((membership) => membership.userId),
      memberships.map((membership) => roleIds.get(membership.role)),
    ],
  );

  // Acme's invitations, one of each status (expired is a stored Pending past its expiry, as in Logto).
  const invitations: Array<{
    invitee: string;
    status: 'Pending' | 'Accepted' | 'Revoked';
    createdDaysAgo: number;
    expiresInDays: number;
    role: OrgRoleName;
    acceptedUserId?: string;
  }> = [
    {
      invitee: 'new.hire1@example.com',
      status: 'Pending',
      createdDaysAgo: 3,
      expiresInDays: 4,
      role: 'member',
    },
    {
      invitee: 'new.hire2@example.com',
      status: 'Pending',
      createdDaysAgo: 2,
      expiresInDays: 5,
      role: 'manager',
    },
    {
      invitee: 'new.hire3@example.com',
      status: 'Pending',
      createdDaysAgo: 1,
      expiresInDays: 6,
      role: 'member',
    },
    {
      invitee: 'late.joiner@example.com',
      status: 'Pending',
      createdDaysAgo: 10,
      expiresInDays: -3,
      role: 'member',
    },
    {
      invitee: 'changed.mind@example.com',
      status: 'Revoked',
      createdDaysAgo: 6,
      expiresInDays: 1,
      role: 'member',
    },
    {
      invitee: carol.email,
      status: 'Accepted',
      createdDaysAgo: 30,
      expiresInDays: -23,
      role: 'member',
      acceptedUserId: carol.id,
    },
  ];
  const invitationIds = invitations.map(() => random.id());
  await tx.query(
    `insert into organization_invitations
       (id, inviter_id, invitee, accepted_user_id, organization_id, status, created_at, updated_at, expires_at)
     select id, $2, invitee, accepted_user_id, $3, status::organization_invitation_status, created_at, created_at, expires_at
     from unnest($1::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
       as t(id, invitee, accepted_user_id, status, created_at, expires_at)`,
    [
      invitationIds,
      alice.id,
      acme.id,
      invitations.map((invitation) => invitation.invitee),
      invitations.map((invitation) => invitation.acceptedUserId ?? null),
      invitations.map((invitation) => invitation.status),
      invitations.map((invitation) => new Date(o.now - invitation.createdDaysAgo * day).toISOString()),
      invitations.map((invitation) => new Date(o.now + invitation.expiresInDays * day).toISOString()),
    ],
  );
  await tx.query(
    `insert into organization_invitation_role_relations (organization_invitation_id, organization_role_id)
     select * from unnest($1::text[], $2::text[])`,
    [invitationIds, invitations.map((invitation) => roleIds.get(invitation.role))],
  );

  await tx.query(`insert into connectors (id, connector_id, config, metadata) values ($1, $2, $3, $4)`, [
    random.id(),
    OUTBOX_CONNECTOR_FACTORY_ID,
    JSON.stringify({ deliverTo: '/_emulator/outbox' }),
    JSON.stringify({}),
  ]);
}

const FIRST_NAMES = [
  'Aaliyah',
  'Aarav',
  'Abigail',
  'Adrian',
  'Aiko',
  'Amara',
  'Andrés',
  'Anna',
  'Ari',
  'Beatriz',
  'Benjamin',
  'Chen',
  'Chloé',
  'Daniel',
  'Dmitri',
  'Elena',
  'Emeka',
  'Emma',
  'Farah',
  'Felix',
  'Gabriel',
  'Hana',
  'Hiroshi',
  'Ingrid',
  'Isabella',
  'Jae-won',
  'James',
  'Jin',
  'Kai',
  'Karim',
  'Laila',
  'Liam',
  'Lucía',
  'Mateo',
  'Maya',
  'Mei',
  'Mohammed',
  'Nadia',
  'Noah',
  'Olga',
  'Omar',
  'Priya',
  'Rafael',
  'Ravi',
  'Sakura',
  'Samuel',
  'Seo-yeon',
  'Sofia',
  'Tariq',
  'Thomas',
  'Valentina',
  'Wei',
  'Yara',
  'Yusuf',
  'Zoe',
  'Min-jun',
  'Haruto',
  'Ngozi',
  'Lars',
  'Camille',
] as const;

const LAST_NAMES = [
  'Abe',
  'Adeyemi',
  'Ahmed',
  'Andersen',
  'Bauer',
  'Brown',
  'Castillo',
  'Chen',
  'Choi',
  'Costa',
  'Dubois',
  'Eriksson',
  'Fernández',
  'Fischer',
  'Garcia',
  'Gupta',
  'Haddad',
  'Hansen',
  'Ito',
  'Jensen',
  'Johnson',
  'Kim',
  'Kowalski',
  'Kumar',
  'Lee',
  'Li',
  'López',
  'Martin',
  'Matsumoto',
  'Müller',
  'Nakamura',
  'Nguyen',
  'Novak',
  'Okafor',
  'Park',
  'Patel',
  'Petrov',
  'Rossi',
  'Sato',
  'Schmidt',
  'Silva',
  'Singh',
  'Smith',
  'Suzuki',
  'Tanaka',
  'Taylor',
  'Wang',
  'Watanabe',
  'Williams',
  'Yamamoto',
  'Yilmaz',
  'Zhang',
  'Zimmermann',
  'Moreau',
  'Ivanova',
  'Mensah',
  'Oliveira',
  'Cohen',
  'Murphy',
  "O'Brien",
] as const;
