/**
 * Every server action and data route of the members, invitations and organization settings features × every kind of
 * caller, called directly over HTTP (not through the UI), with the answer and Logto's state
 * checked after each call: a refused call must change nothing, an allowed one exactly what it says.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIRequestContext, type Browser, request as playwrightRequest } from '@playwright/test';
import {
  expect,
  organizationIdByName,
  type PortalUser,
  signInWithPassword,
  storageStatePath,
  test,
} from './fixtures';
import {
  createInvitation,
  createOrganizationRole,
  createUser,
  deleteInvitation,
  deleteOrganizationRole,
  deleteUser,
  type Invitation,
  invitationById,
  invitationsOf,
  logtoApi,
  memberByEmail,
  memberRoleNames,
  organizationRoleIds,
  organizationsNamed,
  outboxCount,
  setMemberRoles,
} from './support/logto-api';
import { ACME_MEMBERS_LOCK, exclusively } from './support/exclusive';
import { callServerAction, type ServerActionAnswer } from './support/server-actions';

type Outcome = 'ok' | 'forbidden' | 'not_found' | 'signed_out' | 'invalid_input';

/**
 * Callers this spec creates: a user holding a tenant-defined organization role in Globex, signed
 * in once through Logto. The role is created for the run and deleted with the user at the end.
 * (Globex, not Acme: other specs count Acme's members.)
 */
type CustomUser = 'remover' | 'removeOnly';

const CUSTOM_ROLES: Record<CustomUser, string[]> = {
  // The custom position of the matrix: may open Globex and remove members, nothing else. Rule 3
  // makes it able to act only on members whose roles carry no scope beyond these two (`member`,
  // or this role itself): removing someone holding `manager` or `admin` is acting above it.
  remover: ['read:members', 'remove:members'],
  // `remove:members` alone: without `read:members` rule 2 hides the organization, so every call
  // is answered as if Globex did not exist, removals included.
  removeOnly: ['remove:members'],
};

type Persona = { label: string; user: PortalUser | CustomUser | null; org: 'acme' | 'globex' };

/** The callers of the matrix, and the organization each one acts on. */
const PERSONAS = {
  operator: { label: 'operator', user: 'operator', org: 'acme' },
  admin: { label: 'admin (alice)', user: 'alice', org: 'acme' },
  manager: { label: 'manager (bob)', user: 'bob', org: 'acme' },
  // dave holds only `member` in Acme (and is admin of Globex, which must not leak into Acme).
  member: { label: 'member (dave)', user: 'dave', org: 'acme' },
  // alice holds every scope in Acme but is not a member of Globex.
  otherOrg: { label: 'member of another organization (alice → Globex)', user: 'alice', org: 'globex' },
  signedOut: { label: 'signed out', user: null, org: 'acme' },
  remover: { label: 'custom role read:members + remove:members (Globex)', user: 'remover', org: 'globex' },
  removeOnly: { label: 'custom role remove:members only (Globex)', user: 'removeOnly', org: 'globex' },
} as const satisfies Record<string, Persona>;

type PersonaKey = keyof typeof PERSONAS;

const isCustomUser = (user: Persona['user']): user is CustomUser =>
  user !== null && Object.hasOwn(CUSTOM_ROLES, user);

/** Ids the matrix works with, looked up once. */
type World = {
  orgs: { acme: string; globex: string };
  roles: Record<string, string>;
  /**
   * A generated member of each organization, changed or removed by allowed calls and put back at
   * once (member role), so counts other specs read are off only for a moment.
   */
  target: { acme: string; globex: string };
  /** A throw-away user in no organization, for adding (and removing again). */
  scratchUserId: string;
  /** The users holding a custom role, with their role and saved session. */
  custom: Partial<Record<CustomUser, { userId: string; roleId: string; storageState: string }>>;
  /** The suite's portal. */
  baseURL: string;
};

let world: World;

/** The saved session of a caller (`null`: signed out). */
function sessionOf(user: Persona['user']): string | null {
  if (user === null) return null;
  if (!isCustomUser(user)) return storageStatePath(user);
  const custom = world.custom[user];
  if (!custom) throw new Error(`${user} was not set up`);
  return custom.storageState;
}

/** Creates a custom role and a user holding it in the organization, and signs that user in once. */
async function setUpCustomUser(
  user: CustomUser,
  o: { orgId: string; stamp: string; browser: Browser; baseURL: string },
) {
  const role = await createOrganizationRole(`matrix-${user}-${o.stamp}`, CUSTOM_ROLES[user]);
  const email = `matrix-${user}-${o.stamp}@example.com`;
  const password = 'matrix-password-1';
  const { id: userId } = await createUser({ name: `Matrix ${user}`, primaryEmail: email, password });
  const storageState = join(tmpdir(), `portal-e2e-matrix-${user}-${o.stamp}.json`);
  world.custom[user] = { userId, roleId: role.id, storageState };
  await logtoApi('POST', `/organizations/${o.orgId}/users`, { userIds: [userId] });
  await setMemberRoles(o.orgId, userId, [role.name]);
  const context = await o.browser.newContext({ baseURL: o.baseURL });
  try {
    await signInWithPassword(await context.newPage(), { email, password });
    await context.storageState({ path: storageState });
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const [acme, globex, roles] = await Promise.all([
    organizationIdByName('Acme'),
    organizationIdByName('Globex'),
    organizationRoleIds(),
  ]);
  const [acmeTarget, globexTarget] = await Promise.all([
    memberByEmail(acme, 'user2400@acme.example'),
    logtoApi<{ id: string; primaryEmail: string | null }[]>(
      'GET',
      `/organizations/${globex}/users?q=user&page_size=5`,
    ),
  ]);
  const globexMember = globexTarget.data.find((user) => user.primaryEmail !== 'dave@globex.example');
  if (!globexMember) throw new Error('Globex has no generated member');
  const scratch = await createUser({
    name: 'Matrix Scratch',
    primaryEmail: `matrix-${Date.now()}-${test.info().workerIndex}@example.com`,
  });
  world = {
    orgs: { acme, globex },
    roles,
    target: { acme: acmeTarget.id, globex: globexMember.id },
    scratchUserId: scratch.id,
    custom: {},
    baseURL: test.info().project.use.baseURL ?? '',
  };
  const baseURL = world.baseURL;
  if (!baseURL) throw new Error('playwright.config.ts sets no baseURL');
  const stamp = `${Date.now().toString(36)}-${test.info().workerIndex}`;
  for (const user of Object.keys(CUSTOM_ROLES) as CustomUser[]) {
    await setUpCustomUser(user, { orgId: world.orgs[PERSONAS[user].org], stamp, browser, baseURL });
  }
});

test.afterAll(async () => {
  if (!world) return;
  await deleteUser(world.scratchUserId);
  for (const custom of Object.values(world.custom)) {
    await deleteUser(custom.userId);
    await deleteOrganizationRole(custom.roleId);
    rmSync(custom.storageState, { force: true });
  }
  await Promise.all([
    setMemberRoles(world.orgs.acme, world.target.acme, ['member']),
    setMemberRoles(world.orgs.globex, world.target.globex, ['member']),
  ]);
});

type BulkData = { succeeded: unknown[]; failed: { reason: string }[] };

function isBulkData(data: unknown): data is BulkData {
  return (
    typeof data === 'object' &&
    data !== null &&
    Array.isArray((data as BulkData).succeeded) &&
    Array.isArray((data as BulkData).failed)
  );
}

/**
 * The call's outcome. A bulk action answers `ok` with a report per item; when it refused every
 * item for one reason, that reason is the outcome (a batch of one refused member is a refusal).
 */
function outcomeOf(answer: ServerActionAnswer): Outcome | string {
  if (answer.redirectedTo?.includes('/sign-in')) return 'signed_out';
  const result = answer.result as { ok: boolean; data?: unknown; error?: { code: string } } | undefined;
  if (!result) return `no result (HTTP ${answer.status}): ${answer.body.slice(0, 200)}`;
  if (!result.ok) return result.error?.code ?? 'unknown';
  if (isBulkData(result.data) && result.data.succeeded.length === 0) {
    const reasons = new Set(result.data.failed.map((failure) => failure.reason));
    if (reasons.size === 1) return [...reasons][0]!;
  }
  return 'ok';
}

async function isMember(orgId: string, userId: string): Promise<boolean> {
  return (await memberRoleNames(orgId, userId)) !== null;
}

async function ensureMembership(orgId: string, userId: string, isWanted: boolean): Promise<void> {
  if (isWanted) {
    await logtoApi('POST', `/organizations/${orgId}/users`, { userIds: [userId] });
    await setMemberRoles(orgId, userId, ['member']);
  } else if (await isMember(orgId, userId)) {
    await logtoApi('DELETE', `/organizations/${orgId}/users/${userId}`);
  }
}

type ActionCase = {
  action: string;
  /** What the case is about, when one action has several cases (default: the action's name). */
  title?: string;
  /** The page the client posts the action to. */
  page: (orgId: string) => string;
  args: (orgId: string, persona: PersonaKey) => unknown[];
  expected: Record<PersonaKey, Outcome>;
  /** Brings Logto into the state the call starts from. */
  arrange?: (orgId: string) => Promise<void>;
  /** What the call may change, read from Logto before and after. */
  observe: (orgId: string) => Promise<unknown>;
  /** What `observe` reads after an allowed call. */
  changedTo: unknown;
  /** Puts things back after the call. */
  restore: (orgId: string) => Promise<void>;
  /** An allowed call changes how many members the organization has (until `restore`). */
  changesMemberCount?: boolean;
};

const targetOf = (orgId: string) => (orgId === world.orgs.acme ? world.target.acme : world.target.globex);

const ORG_ADMIN_ONLY: Record<PersonaKey, Outcome> = {
  operator: 'ok',
  admin: 'ok',
  manager: 'forbidden',
  member: 'not_found',
  otherOrg: 'not_found',
  signedOut: 'signed_out',
  remover: 'forbidden',
  removeOnly: 'not_found',
};

/** Holders of `remove:members`, acting on a member who holds `member` only. */
const REMOVERS: Record<PersonaKey, Outcome> = { ...ORG_ADMIN_ONLY, remover: 'ok' };

/** Holders of `invite:members`, acting on invitations that carry `member` only. */
const INVITERS: Record<PersonaKey, Outcome> = { ...ORG_ADMIN_ONLY, manager: 'ok' };

/** A fresh address per test, for invitations. */
let unique = 0;
function newAddress(label: string): string {
  unique += 1;
  return `matrix-${label}-${Date.now().toString(36)}-${unique}@newcomers.example`;
}

/** The invitation (or the address to invite) of the running case, set by its `arrange`. */
let invitee = '';
let invitation: Invitation | undefined;

function arrangedInvitation(): Invitation {
  if (!invitation) throw new Error('the case arranged no invitation');
  return invitation;
}

async function arrangeInvitation(orgId: string, roleName: string): Promise<void> {
  invitee = newAddress(roleName);
  invitation = await createInvitation({ organizationId: orgId, invitee, roleIds: [world.roles[roleName]!] });
}

async function removeInvitations(orgId: string): Promise<void> {
  for (const { id } of await invitationsOf(orgId, invitee)) await deleteInvitation(id);
  invitation = undefined;
}

/** Resend and revoke of an invitation carrying `roleName`. */
function invitationIdCases(roleName: string, expected: Record<PersonaKey, Outcome>): ActionCase[] {
  const about = `an invitation granting ${roleName}`;
  return [
    {
      action: 'resendInvitationAction',
      title: `resendInvitationAction on ${about}`,
      page: (orgId) => `/orgs/${orgId}/invitations`,
      args: (orgId) => [orgId, { invitationId: arrangedInvitation().id }],
      expected,
      arrange: (orgId) => arrangeInvitation(orgId, roleName),
      observe: async () => ({
        status: (await invitationById(arrangedInvitation().id)).status,
        emails: await outboxCount(invitee),
      }),
      // Made without an email: a resend is the first one.
      changedTo: { status: 'Pending', emails: 1 },
      restore: removeInvitations,
    },
    {
      action: 'revokeInvitationAction',
      title: `revokeInvitationAction on ${about}`,
      page: (orgId) => `/orgs/${orgId}/invitations`,
      args: (orgId) => [orgId, { invitationId: arrangedInvitation().id }],
      expected,
      arrange: (orgId) => arrangeInvitation(orgId, roleName),
      observe: async () => (await invitationById(arrangedInvitation().id)).status,
      changedTo: 'Revoked',
      restore: removeInvitations,
    },
  ];
}

/** Inviting a fresh address as `roleName`. */
function inviteCase(roleName: string, expected: Record<PersonaKey, Outcome>): ActionCase {
  return {
    action: 'inviteMembersAction',
    title: `inviteMembersAction granting ${roleName}`,
    page: (orgId) => `/orgs/${orgId}/invitations`,
    args: (orgId) => [orgId, { emails: [invitee], roleIds: [world.roles[roleName]], expiresInDays: 7 }],
    expected,
    arrange: async () => {
      invitee = newAddress(`invite-${roleName}`);
    },
    observe: async (orgId) =>
      (await invitationsOf(orgId, invitee)).map((created) => ({
        status: created.status,
        roles: created.organizationRoles.map((role) => role.name),
      })),
    changedTo: [{ status: 'Pending', roles: [roleName] }],
    restore: removeInvitations,
  };
}

/** Waits until every bulk job of the organization has settled (read as the operator). */
async function jobsSettled(orgId: string): Promise<void> {
  const context = await playwrightRequest.newContext({
    baseURL: world.baseURL,
    storageState: storageStatePath('operator'),
  });
  try {
    await expect
      .poll(
        async () => {
          const jobs = (await (await context.get(`/api/orgs/${orgId}/jobs`)).json()) as { status: string }[];
          return jobs.every((job) => job.status === 'finished' || job.status === 'cancelled');
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  } finally {
    await context.dispose();
  }
}

/** Inviting a fresh address as `roleName` through a bulk job. */
function inviteJobCase(roleName: string, expected: Record<PersonaKey, Outcome>): ActionCase {
  const single = inviteCase(roleName, expected);
  return {
    ...single,
    action: 'startInviteJobAction',
    title: `startInviteJobAction granting ${roleName}`,
    page: (orgId) => `/orgs/${orgId}/jobs/new-invitation`,
    observe: async (orgId) => {
      await jobsSettled(orgId);
      return single.observe(orgId);
    },
  };
}
// Settings, auto-join and machine-to-machine apps (`manage:organization`, held by admin).

/** A machine-to-machine app and organization role for the app cases, made for this run. */
let machine: { appId: string; roleId: string; roleName: string } | undefined;

function machineWorld() {
  if (!machine) throw new Error('the machine-to-machine app was not set up');
  return machine;
}

test.beforeAll(async () => {
  const stamp = `${Date.now().toString(36)}-${test.info().workerIndex}`;
  const { data: app } = await logtoApi<{ id: string }>('POST', '/applications', {
    name: `Matrix app ${stamp}`,
    type: 'MachineToMachine',
  });
  const { data: role } = await logtoApi<{ id: string; name: string }>('POST', '/organization-roles', {
    name: `matrix-machine-${stamp}`,
    type: 'MachineToMachine',
  });
  machine = { appId: app.id, roleId: role.id, roleName: role.name };
});

test.afterAll(async () => {
  if (!machine) return;
  await logtoApi('DELETE', `/applications/${machine.appId}`);
  await deleteOrganizationRole(machine.roleId);
});

type OrganizationSettings = {
  name: string;
  description: string | null;
  isMfaRequired: boolean;
  color: Record<string, unknown>;
  branding: { logoUrl?: string; darkLogoUrl?: string };
};

/** The organization's settings as the running case found them (set by its `arrange`). */
let settingsBefore: OrganizationSettings | undefined;

async function readSettings(orgId: string): Promise<OrganizationSettings> {
  return (await logtoApi<OrganizationSettings>('GET', `/organizations/${orgId}`)).data;
}

const MATRIX_DOMAIN = 'matrix-auto-join.example';

async function jitDomains(orgId: string): Promise<string[]> {
  const { data } = await logtoApi<{ emailDomain: string }[]>(
    'GET',
    `/organizations/${orgId}/jit/email-domains`,
  );
  return data.map((row) => row.emailDomain);
}

/** The organization's apps as `{ isMatrixApp, roles }`, the matrix's own role read as `machine`. */
async function organizationApps(orgId: string) {
  const { appId, roleName } = machineWorld();
  const { data } = await logtoApi<{ id: string; organizationRoles: { name: string }[] }[]>(
    'GET',
    `/organizations/${orgId}/applications`,
  );
  return data.map((app) => ({
    isMatrixApp: app.id === appId,
    roles: app.organizationRoles.map((role) => (role.name === roleName ? 'machine' : role.name)),
  }));
}

async function ensureApp(orgId: string, isWanted: boolean): Promise<void> {
  const { appId } = machineWorld();
  const isThere = (await organizationApps(orgId)).some((app) => app.isMatrixApp);
  if (isWanted && !isThere)
    await logtoApi('POST', `/organizations/${orgId}/applications`, { applicationIds: [appId] });
  if (!isWanted && isThere) await logtoApi('DELETE', `/organizations/${orgId}/applications/${appId}`);
}

/** Holders of `manage:organization` (admin) and operators. */
const MANAGERS_OF_ORGANIZATION = ORG_ADMIN_ONLY;

const MANAGE_CASES: ActionCase[] = [
  {
    action: 'updateOrganizationSettingsAction',
    page: (orgId) => `/orgs/${orgId}/settings`,
    arrange: async (orgId) => {
      settingsBefore = await readSettings(orgId);
    },
    args: (orgId) => {
      const before = settingsBefore!;
      return [
        orgId,
        {
          name: before.name,
          description: before.description ?? '',
          logoUrl: before.branding.logoUrl ?? '',
          darkLogoUrl: before.branding.darkLogoUrl ?? '',
          primaryColor: '#123456',
          isMfaRequired: true,
        },
      ];
    },
    expected: MANAGERS_OF_ORGANIZATION,
    observe: async (orgId) => {
      const settings = await readSettings(orgId);
      return { isMfaRequired: settings.isMfaRequired, primaryColor: settings.color.primaryColor ?? null };
    },
    changedTo: { isMfaRequired: true, primaryColor: '#123456' },
    restore: async (orgId) => {
      const before = settingsBefore!;
      await logtoApi('PATCH', `/organizations/${orgId}`, {
        isMfaRequired: before.isMfaRequired,
        color: before.color,
      });
    },
  },
  {
    action: 'deleteOrganizationAction',
    title: 'deleteOrganizationAction with a name that does not match',
    page: (orgId) => `/orgs/${orgId}/settings`,
    args: (orgId) => [orgId, { confirmName: 'not the organization name' }],
    // Only operators may delete, and even they only after typing the exact name.
    expected: { ...ORG_ADMIN_ONLY, operator: 'invalid_input', admin: 'forbidden' },
    observe: async (orgId) => (await readSettings(orgId)).name,
    changedTo: null,
    restore: async () => undefined,
  },
  {
    action: 'addAutoJoinDomainAction',
    page: (orgId) => `/orgs/${orgId}/auto-join`,
    args: (orgId) => [orgId, { domain: MATRIX_DOMAIN }],
    expected: MANAGERS_OF_ORGANIZATION,
    observe: jitDomains,
    changedTo: [MATRIX_DOMAIN],
    restore: (orgId) =>
      logtoApi('PUT', `/organizations/${orgId}/jit/email-domains`, { emailDomains: [] }).then(
        () => undefined,
      ),
  },
  {
    action: 'removeAutoJoinDomainAction',
    page: (orgId) => `/orgs/${orgId}/auto-join`,
    args: (orgId) => [orgId, { domain: MATRIX_DOMAIN }],
    expected: MANAGERS_OF_ORGANIZATION,
    arrange: (orgId) =>
      logtoApi('PUT', `/organizations/${orgId}/jit/email-domains`, { emailDomains: [MATRIX_DOMAIN] }).then(
        () => undefined,
      ),
    observe: jitDomains,
    changedTo: [],
    restore: (orgId) =>
      logtoApi('PUT', `/organizations/${orgId}/jit/email-domains`, { emailDomains: [] }).then(
        () => undefined,
      ),
  },
  {
    action: 'setAutoJoinRolesAction',
    page: (orgId) => `/orgs/${orgId}/auto-join`,
    args: (orgId) => [orgId, { roleIds: [world.roles.member] }],
    expected: MANAGERS_OF_ORGANIZATION,
    observe: async (orgId) =>
      (await logtoApi<{ name: string }[]>('GET', `/organizations/${orgId}/jit/roles`)).data.map(
        (role) => role.name,
      ),
    changedTo: ['member'],
    restore: (orgId) =>
      logtoApi('PUT', `/organizations/${orgId}/jit/roles`, { organizationRoleIds: [] }).then(() => undefined),
  },
  {
    action: 'addOrganizationAppAction',
    page: (orgId) => `/orgs/${orgId}/apps`,
    args: (orgId) => [orgId, { applicationId: machineWorld().appId, roleIds: [machineWorld().roleId] }],
    // Adding an app means looking through the tenant's apps: operators only, like adding users.
    expected: { ...MANAGERS_OF_ORGANIZATION, admin: 'forbidden' },
    arrange: (orgId) => ensureApp(orgId, false),
    observe: organizationApps,
    changedTo: [{ isMatrixApp: true, roles: ['machine'] }],
    restore: (orgId) => ensureApp(orgId, false),
  },
  {
    action: 'setOrganizationAppRolesAction',
    page: (orgId) => `/orgs/${orgId}/apps`,
    args: (orgId) => [orgId, { applicationId: machineWorld().appId, roleIds: [machineWorld().roleId] }],
    expected: MANAGERS_OF_ORGANIZATION,
    arrange: (orgId) => ensureApp(orgId, true),
    observe: organizationApps,
    changedTo: [{ isMatrixApp: true, roles: ['machine'] }],
    restore: (orgId) => ensureApp(orgId, false),
  },
  {
    action: 'removeOrganizationAppAction',
    page: (orgId) => `/orgs/${orgId}/apps`,
    args: (orgId) => [orgId, { applicationId: machineWorld().appId }],
    expected: MANAGERS_OF_ORGANIZATION,
    arrange: (orgId) => ensureApp(orgId, true),
    observe: organizationApps,
    changedTo: [],
    restore: (orgId) => ensureApp(orgId, false),
  },
];

const ACTION_CASES: ActionCase[] = [
  {
    action: 'changeMemberRolesAction',
    page: (orgId) => `/orgs/${orgId}/members`,
    args: (orgId) => [orgId, { userId: targetOf(orgId), roleIds: [world.roles.manager, world.roles.member] }],
    expected: ORG_ADMIN_ONLY,
    observe: (orgId) => memberRoleNames(orgId, targetOf(orgId)),
    changedTo: ['manager', 'member'],
    restore: (orgId) => setMemberRoles(orgId, targetOf(orgId), ['member']),
  },
  {
    action: 'bulkAssignRoleAction',
    page: (orgId) => `/orgs/${orgId}/members`,
    args: (orgId) => [orgId, { userIds: [targetOf(orgId)], roleId: world.roles.manager }],
    expected: ORG_ADMIN_ONLY,
    observe: (orgId) => memberRoleNames(orgId, targetOf(orgId)),
    changedTo: ['manager', 'member'],
    restore: (orgId) => setMemberRoles(orgId, targetOf(orgId), ['member']),
  },
  ...(['removeMemberAction', 'bulkRemoveMembersAction'] as const).flatMap((action): ActionCase[] => {
    const args = (orgId: string) =>
      action === 'removeMemberAction'
        ? [orgId, { userId: targetOf(orgId) }]
        : [orgId, { userIds: [targetOf(orgId)] }];
    const removal = {
      action,
      page: (orgId: string) => `/orgs/${orgId}/members`,
      args,
      observe: (orgId: string) => isMember(orgId, targetOf(orgId)),
      changedTo: false,
      restore: (orgId: string) => ensureMembership(orgId, targetOf(orgId), true),
      changesMemberCount: true,
    };
    return [
      { ...removal, title: `${action} on a member`, expected: REMOVERS },
      {
        ...removal,
        title: `${action} on a manager`,
        // Rule 3 for removal: the custom role could not grant `manager`, so it may not remove
        // its holder (nobody acts above their own role).
        expected: ORG_ADMIN_ONLY,
        arrange: (orgId: string) => setMemberRoles(orgId, targetOf(orgId), ['manager']),
      },
    ];
  }),
  {
    action: 'addMembersAction',
    page: (orgId) => `/orgs/${orgId}/members`,
    args: (orgId) => [orgId, { userIds: [world.scratchUserId], roleIds: [world.roles.member] }],
    // Rule 5: only operators add existing users, even admins holding every scope are refused.
    expected: { ...ORG_ADMIN_ONLY, admin: 'forbidden' },
    arrange: (orgId) => ensureMembership(orgId, world.scratchUserId, false),
    observe: (orgId) => memberRoleNames(orgId, world.scratchUserId),
    changedTo: ['member'],
    restore: (orgId) => ensureMembership(orgId, world.scratchUserId, false),
    changesMemberCount: true,
  },
  inviteCase('member', INVITERS),
  // Rule 3: a manager may not invite as admin.
  inviteCase('admin', ORG_ADMIN_ONLY),
  // Bulk jobs: the start is checked like the single action; what the job then does is read back
  // once it has settled.
  inviteJobCase('member', INVITERS),
  inviteJobCase('admin', ORG_ADMIN_ONLY),
  {
    action: 'startMemberJobAction',
    title: 'startMemberJobAction giving manager to a member',
    page: (orgId) => `/orgs/${orgId}/members`,
    args: (orgId) => [
      orgId,
      { kind: 'assign_role', roleId: world.roles.manager, userIds: [targetOf(orgId)] },
    ],
    expected: ORG_ADMIN_ONLY,
    observe: async (orgId) => {
      await jobsSettled(orgId);
      return memberRoleNames(orgId, targetOf(orgId));
    },
    changedTo: ['manager', 'member'],
    restore: (orgId) => setMemberRoles(orgId, targetOf(orgId), ['member']),
  },
  {
    action: 'startMemberJobAction',
    title: 'startMemberJobAction removing a member',
    page: (orgId) => `/orgs/${orgId}/members`,
    args: (orgId) => [orgId, { kind: 'remove_members', userIds: [targetOf(orgId)] }],
    expected: REMOVERS,
    observe: async (orgId) => {
      await jobsSettled(orgId);
      return isMember(orgId, targetOf(orgId));
    },
    changedTo: false,
    restore: (orgId) => ensureMembership(orgId, targetOf(orgId), true),
    changesMemberCount: true,
  },
  ...invitationIdCases('member', INVITERS),
  // Rule 3 for resending and revoking: a manager may not act on an invitation carrying a role
  // they could not grant.
  ...invitationIdCases('admin', ORG_ADMIN_ONLY),
  ...MANAGE_CASES,
];

async function call(
  request: APIRequestContext,
  persona: PersonaKey,
  page: string,
  action: string,
  args: unknown[],
) {
  return callServerAction(request, {
    page,
    actionName: action,
    args,
    storageState: sessionOf(PERSONAS[persona].user),
  });
}

test.describe('server actions × callers', () => {
  for (const testCase of ACTION_CASES) {
    for (const [persona, { label, org }] of Object.entries(PERSONAS) as [PersonaKey, Persona][]) {
      const expected = testCase.expected[persona];
      test(`${testCase.title ?? testCase.action} as ${label} → ${expected}`, async ({ request }) => {
        const orgId = world.orgs[org];
        const run = async () => {
          await testCase.arrange?.(orgId);
          try {
            const before = await testCase.observe(orgId);
            const args = testCase.args(orgId, persona);
            const answer = await call(request, persona, testCase.page(orgId), testCase.action, args);
            expect(outcomeOf(answer)).toBe(expected);
            const after = await testCase.observe(orgId);
            if (expected === 'ok') expect(after).toEqual(testCase.changedTo);
            else expect(after, 'a refused call changes nothing in Logto').toEqual(before);
          } finally {
            await testCase.restore(orgId);
          }
        };
        // The CSV export spec counts Acme's members: never while Acme is one short or one over.
        if (testCase.changesMemberCount && org === 'acme') await exclusively(ACME_MEMBERS_LOCK, run);
        else await run();
      });
    }
  }

  for (const [persona, { label }] of Object.entries(PERSONAS) as [PersonaKey, Persona][]) {
    const expected: Outcome =
      persona === 'operator' ? 'ok' : persona === 'signedOut' ? 'signed_out' : 'forbidden';
    test(`createOrganizationAction as ${label} → ${expected}`, async ({ request }) => {
      const name = `Matrix org ${Date.now()} ${persona}`;
      try {
        const answer = await call(request, persona, '/orgs', 'createOrganizationAction', [{ name }]);
        expect(outcomeOf(answer)).toBe(expected);
        expect((await organizationsNamed(name)).length).toBe(expected === 'ok' ? 1 : 0);
      } finally {
        // Deleted at once: other specs count the seeded organizations.
        for (const org of await organizationsNamed(name))
          await logtoApi('DELETE', `/organizations/${org.id}`);
      }
    });
  }
});

test.describe('data routes × callers', () => {
  /** Everyone who may open the organization (`read:members`, or an operator) reads its lists. */
  const READERS: Record<PersonaKey, number> = {
    operator: 200,
    admin: 200,
    manager: 200,
    member: 404,
    otherOrg: 404,
    signedOut: 401,
    remover: 200,
    removeOnly: 404,
  };
  const ROUTES: { name: string; path: (orgId: string) => string; expected: Record<PersonaKey, number> }[] = [
    {
      name: 'members list',
      path: (orgId) => `/api/orgs/${orgId}/members?q=user24`,
      expected: READERS,
    },
    {
      name: 'CSV export',
      path: (orgId) => `/api/orgs/${orgId}/members/export?q=user24`,
      expected: READERS,
    },
    {
      name: 'invitations list',
      path: (orgId) => `/api/orgs/${orgId}/invitations?status=all`,
      expected: READERS,
    },
    {
      name: 'bulk jobs list',
      path: (orgId) => `/api/orgs/${orgId}/jobs`,
      expected: READERS,
    },
    {
      // Rule 5: the tenant's user directory is for operators only.
      name: 'tenant user search',
      path: (orgId) => `/api/orgs/${orgId}/members/candidates?q=user`,
      expected: { ...READERS, admin: 403, manager: 403, remover: 403 },
    },
  ];

  for (const route of ROUTES) {
    for (const [persona, { label, user, org }] of Object.entries(PERSONAS) as [PersonaKey, Persona][]) {
      test(`GET ${route.name} as ${label} → ${route.expected[persona]}`, async ({ playwright, baseURL }) => {
        const context = await playwright.request.newContext({
          baseURL,
          storageState: sessionOf(user) ?? { cookies: [], origins: [] },
        });
        try {
          const response = await context.get(route.path(world.orgs[org]), { maxRedirects: 0 });
          expect(response.status()).toBe(route.expected[persona]);
          if (response.status() !== 200) {
            const body = (await response.json()) as { error: { code: string; message: string } };
            // Words for people, never Logto's own text or a stack.
            expect(body.error.message).not.toMatch(/Error|at \w+ \(|organizations\//);
          }
        } finally {
          await context.dispose();
        }
      });
    }
  }
});

test.describe('inputs are checked against the organization', () => {
  const acmeMembersPage = () => `/orgs/${world.orgs.acme}/members`;

  test('a user of another organization cannot be changed or removed through Acme', async ({ request }) => {
    const outsider = world.target.globex;
    const before = await memberRoleNames(world.orgs.globex, outsider);
    for (const [action, input] of [
      ['changeMemberRolesAction', { userId: outsider, roleIds: [world.roles.admin] }],
      ['removeMemberAction', { userId: outsider }],
    ] as const) {
      const answer = await call(request, 'admin', acmeMembersPage(), action, [world.orgs.acme, input]);
      expect(outcomeOf(answer), action).toBe('not_a_member');
    }
    const bulk = await call(request, 'admin', acmeMembersPage(), 'bulkRemoveMembersAction', [
      world.orgs.acme,
      { userIds: [outsider] },
    ]);
    expect(bulk.result).toEqual({
      ok: true,
      data: { succeeded: [], failed: [{ userId: outsider, reason: 'not_a_member' }] },
    });
    const assign = await call(request, 'admin', acmeMembersPage(), 'bulkAssignRoleAction', [
      world.orgs.acme,
      { userIds: [outsider], roleId: world.roles.admin },
    ]);
    expect(assign.result).toEqual({
      ok: true,
      data: { succeeded: [], failed: [{ userId: outsider, reason: 'not_a_member' }] },
    });
    expect(await memberRoleNames(world.orgs.globex, outsider)).toEqual(before);
    expect(await isMember(world.orgs.acme, outsider)).toBe(false);
  });

  test('role ids must be organization roles; malformed input never reaches Logto', async ({ request }) => {
    const target = world.target.acme;
    const cases: [string, unknown][] = [
      ['changeMemberRolesAction', { userId: target, roleIds: ['not-a-role'] }],
      ['bulkAssignRoleAction', { userIds: [target], roleId: 'not-a-role' }],
      ['changeMemberRolesAction', { userId: '../../users', roleIds: [] }],
      ['bulkRemoveMembersAction', { userIds: Array.from({ length: 101 }, (_, index) => `u${index}`) }],
      ['bulkRemoveMembersAction', { userIds: [] }],
      ['removeMemberAction', { userId: { $ne: null } }],
    ];
    for (const [action, input] of cases) {
      const answer = await call(request, 'admin', acmeMembersPage(), action, [world.orgs.acme, input]);
      expect(outcomeOf(answer), `${action} ${JSON.stringify(input).slice(0, 60)}`).toBe('invalid_input');
    }
    expect(await memberRoleNames(world.orgs.acme, target)).toEqual(['member']);
  });

  test('the last holder of assign:roles can be neither removed nor demoted, not even by an operator', async ({
    request,
  }) => {
    const alice = await memberByEmail(world.orgs.acme, 'alice@acme.example');
    const attempts: [PersonaKey, string, unknown][] = [
      ['admin', 'removeMemberAction', { userId: alice.id }],
      ['admin', 'changeMemberRolesAction', { userId: alice.id, roleIds: [world.roles.member] }],
      ['operator', 'removeMemberAction', { userId: alice.id }],
      ['operator', 'changeMemberRolesAction', { userId: alice.id, roleIds: [] }],
    ];
    for (const [persona, action, input] of attempts) {
      const answer = await call(request, persona, acmeMembersPage(), action, [world.orgs.acme, input]);
      expect(answer.result, `${persona} ${action}`).toMatchObject({
        ok: false,
        error: {
          code: 'forbidden',
          fieldErrors: {
            _form: [expect.stringContaining('must keep at least one member who can change roles')],
          },
        },
      });
    }
    // Through a bulk action too: the batch is judged as a whole.
    const bulk = await call(request, 'operator', acmeMembersPage(), 'bulkRemoveMembersAction', [
      world.orgs.acme,
      { userIds: [alice.id] },
    ]);
    expect(bulk.result).toEqual({
      ok: true,
      data: { succeeded: [], failed: [{ userId: alice.id, reason: 'last_role_assigner' }] },
    });
    expect(await memberRoleNames(world.orgs.acme, alice.id)).toEqual(['admin']);
  });
});
