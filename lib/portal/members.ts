import 'server-only';

import { classifyError } from '@/lib/actions/classify-error';
import type { ActionErrorCode } from '@/lib/actions/result';
import type { Actor } from '@/lib/auth/actor';
import {
  addOrganizationMembers,
  assignRolesToMembers,
  getMemberRoles,
  iteratePages,
  listOrganizationMembers,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  MAX_PAGE_SIZE,
  type OrganizationMember,
  type OrganizationRoleWithScopes,
  type Page,
  removeOrganizationMember,
  replaceMemberRoles,
  searchUsers,
} from '@/lib/logto';
import { ForbiddenError, forgetOrgAccess, type OrgAccess, requireOrgScopes } from '@/lib/permissions';
import {
  assertCanActOnHolderOf,
  assertCanGrantRoles,
  canActOnEveryRole,
  InvalidRoleIdsError,
} from '@/lib/permissions/grants';
import {
  assertKeepsRoleAssigner,
  findLastRoleAssigners,
  withOrganizationLock,
} from '@/lib/permissions/last-admin';
import { clampPage, type TableState } from '@/lib/table-state';
import { csvRow } from './csv';

/** A member as the members table needs it; only these fields travel to the browser. */
export type MemberRow = {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
  avatar: string | null;
  /** Epoch ms; null when the person never signed in. */
  lastSignInAt: number | null;
  roles: { id: string; name: string }[];
};

export type MembersPage = Page<MemberRow>;

function toMemberRow(member: OrganizationMember): MemberRow {
  return {
    id: member.id,
    name: member.name ?? null,
    username: member.username ?? null,
    email: member.primaryEmail ?? null,
    avatar: member.avatar ?? null,
    lastSignInAt: member.lastSignInAt ?? null,
    roles: member.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
  };
}

async function fetchMembers(orgId: string, state: TableState): Promise<MembersPage> {
  const page = await listOrganizationMembers(orgId, {
    page: state.page,
    pageSize: state.pageSize,
    q: state.q || undefined,
    roleId: state.role,
  });
  return { ...page, rows: page.rows.map(toMemberRow) };
}

/**
 * One page of an organization's members for the actor, shared by the members page and its GET
 * route handler. The permission check and the list call run in parallel; the list is discarded
 * unless the check passes. A page past the end is clamped to the last page (one more call), and
 * the returned `page` says which page it is.
 */
export async function loadMembersPage(
  actor: Actor,
  orgId: string,
  state: TableState,
): Promise<{ access: OrgAccess; members: MembersPage }> {
  const accessLoad = requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
  const membersLoad = fetchMembers(orgId, state);
  // The list may settle (or fail) after a failed check; nobody will read it then.
  membersLoad.catch(() => undefined);

  const access = await accessLoad;
  const members = await membersLoad;
  const clamped = clampPage(state, members.total);
  if (clamped.page !== state.page) return { access, members: await fetchMembers(orgId, clamped) };
  return { access, members };
}

/** A role as pickers show it: whether the viewer may grant it is a UI hint only. */
export type RoleOption = {
  id: string;
  name: string;
  description: string | null;
  isGrantable: boolean;
  /** How many permissions it grants; pickers preselect the least powerful role. */
  scopeCount: number;
};

/**
 * The organization roles a person can hold (type `User`), sorted by name, each flagged with
 * whether `access` may grant it (rule 3).
 */
export function toRoleOptions(access: OrgAccess, roles: readonly OrganizationRoleWithScopes[]): RoleOption[] {
  return roles
    .filter((role) => role.type === 'User')
    .map((role) => {
      let isGrantable = true;
      try {
        assertCanGrantRoles(access, [role.id], roles);
      } catch {
        isGrantable = false;
      }
      return {
        id: role.id,
        name: role.name,
        description: role.description ?? null,
        isGrantable,
        scopeCount: role.scopes.length + role.resourceScopes.length,
      };
    });
}

type MutationContext = {
  access: OrgAccess;
  orgId: string;
  /** A test client; the process-wide one otherwise. */
  client?: ManagementClient;
};

/**
 * Runs a change to people's roles or membership, then forgets what their access was (whether
 * the change went through, partly or not at all), so their next page asks Logto again.
 */
async function changingAccessOf<T>(
  orgId: string,
  userIds: readonly string[],
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await change();
  } finally {
    await forgetOrgAccess(orgId, userIds);
  }
}

function assertPersonRoles(roleIds: readonly string[], roles: readonly OrganizationRoleWithScopes[]): void {
  const byId = new Map(roles.map((role) => [role.id, role]));
  const invalid = roleIds.filter((id) => byId.get(id)?.type !== 'User');
  if (invalid.length > 0) throw new InvalidRoleIdsError([...new Set(invalid)]);
}

function roleRefs(roleIds: readonly string[], roles: readonly OrganizationRoleWithScopes[]) {
  const byId = new Map(roles.map((role) => [role.id, role]));
  return roleIds
    .flatMap((id) => {
      const role = byId.get(id);
      return role ? [{ id: role.id, name: role.name }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Sets a member's organization roles to exactly `roleIds`.
 *
 * In order: the role ids must be person roles of the tenant; the user must be a member (Logto's
 * `organization.require_membership` answers otherwise); every role added *or taken away* must be
 * one the actor could grant (rule 3: nobody edits roles above their own); the organization must
 * keep someone holding `assign:roles` (rule 4). Returns the member's roles afterwards.
 */
export async function changeMemberRoles({
  access,
  orgId,
  userId,
  roleIds,
  client,
}: MutationContext & { userId: string; roleIds: readonly string[] }): Promise<{
  userId: string;
  roles: { id: string; name: string }[];
}> {
  const roles = await listOrganizationRoles(client);
  const desired = [...new Set(roleIds)];
  assertPersonRoles(desired, roles);

  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, [userId], async () => {
      const current = (await getMemberRoles(orgId, userId, client)).map((role) => role.id);
      const added = desired.filter((id) => !current.includes(id));
      const removed = current.filter((id) => !desired.includes(id));
      if (added.length === 0 && removed.length === 0) return { userId, roles: roleRefs(current, roles) };

      assertCanGrantRoles(access, [...added, ...removed], roles);
      await assertKeepsRoleAssigner(
        orgId,
        { roleChanges: [{ userId, before: current, after: desired }] },
        roles,
        client,
      );
      await replaceMemberRoles(orgId, userId, desired, client);
      return { userId, roles: roleRefs(desired, roles) };
    }),
  );
}

/**
 * Removes one member after confirming they are one, unless they hold a role the actor could not
 * grant (rule 3: nobody acts above their own role) or are the last holder of `assign:roles`
 * (rule 4).
 */
export async function removeMember({
  access,
  orgId,
  userId,
  client,
}: MutationContext & { userId: string }): Promise<{ userId: string }> {
  const roles = await listOrganizationRoles(client);
  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, [userId], async () => {
      const current = (await getMemberRoles(orgId, userId, client)).map((role) => role.id);
      assertCanActOnHolderOf(access, current, roles);
      await assertKeepsRoleAssigner(orgId, { leaving: [{ userId, roleIds: current }] }, roles, client);
      await removeOrganizationMember(orgId, userId, client);
      return { userId };
    }),
  );
}

/** Why one member of a batch was not changed. */
export type MemberFailureReason = ActionErrorCode | 'last_role_assigner';

/** The outcome of a bulk action: one entry per distinct user id given. */
export type BulkResult = {
  succeeded: string[];
  failed: { userId: string; reason: MemberFailureReason }[];
};

function failureReason(error: unknown): MemberFailureReason {
  const classified = classifyError(error);
  if (classified.isUnexpected) console.error('[members] bulk item failed:', error);
  return classified.code;
}

/**
 * Grants one role to several members, keeping the roles they hold (rule 3 checked once for the
 * role). Logto's batch call is all-or-nothing and refuses it when any user is not a member
 * (`entity.relation_foreign_key_not_found`, the role id having been checked already): then each
 * user's membership is looked up and the members get the role, the others are reported.
 */
export async function assignRoleToMembers({
  access,
  orgId,
  userIds,
  roleId,
  client,
}: MutationContext & { userIds: readonly string[]; roleId: string }): Promise<BulkResult> {
  const roles = await listOrganizationRoles(client);
  assertCanGrantRoles(access, [roleId], roles);
  const ids = [...new Set(userIds)];
  return changingAccessOf(orgId, ids, () => assignRoleWithFallback(orgId, ids, roleId, client));
}

async function assignRoleWithFallback(
  orgId: string,
  ids: string[],
  roleId: string,
  client: ManagementClient | undefined,
): Promise<BulkResult> {
  try {
    await assignRolesToMembers(orgId, ids, [roleId], client);
    return { succeeded: ids, failed: [] };
  } catch (error) {
    if (!(error instanceof LogtoApiError && error.code === 'entity.relation_foreign_key_not_found'))
      throw error;
  }

  const checks = await Promise.allSettled(ids.map((userId) => getMemberRoles(orgId, userId, client)));
  const members = ids.filter((_, index) => checks[index]?.status === 'fulfilled');
  const failed = ids.flatMap((userId, index) => {
    const check = checks[index];
    return check?.status === 'rejected' ? [{ userId, reason: failureReason(check.reason) }] : [];
  });
  if (members.length > 0) await assignRolesToMembers(orgId, members, [roleId], client);
  return { succeeded: members, failed };
}

/**
 * The members of a batch the actor may not act on (rule 3: they hold a role the actor could not
 * grant), with the reason. Costs one Logto call per member, and none when the actor could grant
 * every role there is.
 */
async function membersAboveActor(
  { access, orgId, client }: MutationContext,
  ids: readonly string[],
  roles: readonly OrganizationRoleWithScopes[],
): Promise<Map<string, MemberFailureReason>> {
  const refused = new Map<string, MemberFailureReason>();
  if (canActOnEveryRole(access, roles)) return refused;
  const held = await Promise.allSettled(ids.map((userId) => getMemberRoles(orgId, userId, client)));
  ids.forEach((userId, index) => {
    const outcome = held[index];
    if (outcome?.status === 'rejected') {
      const error = outcome.reason;
      const isNotMember = error instanceof LogtoApiError && error.code === 'organization.require_membership';
      refused.set(userId, isNotMember ? 'not_a_member' : failureReason(error));
      return;
    }
    try {
      assertCanActOnHolderOf(access, outcome?.value.map((role) => role.id) ?? [], roles);
    } catch {
      refused.set(userId, 'forbidden');
    }
  });
  return refused;
}

/**
 * Removes several members. Each one must hold only roles the actor could grant (rule 3; the
 * others are reported `forbidden`). Rule 4 is evaluated over the whole batch: when the batch
 * would take every holder of `assign:roles` away, those holders stay (reported as
 * `last_role_assigner`) and the rest are removed. Someone who is not a member is reported as
 * `not_a_member`.
 */
export async function removeMembers({
  access,
  orgId,
  userIds,
  client,
}: MutationContext & { userIds: readonly string[] }): Promise<BulkResult> {
  const roles = await listOrganizationRoles(client);
  const ids = [...new Set(userIds)];
  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, ids, async () => {
      const refused = await membersAboveActor({ access, orgId, client }, ids, roles);
      const candidates = ids.filter((id) => !refused.has(id));
      const kept = new Set(
        await findLastRoleAssigners(
          orgId,
          { leaving: candidates.map((userId) => ({ userId })) },
          roles,
          client,
        ),
      );
      const removals = candidates.filter((id) => !kept.has(id));
      const outcomes = await Promise.allSettled(
        removals.map((userId) => removeOrganizationMember(orgId, userId, client)),
      );
      const result: BulkResult = {
        succeeded: [],
        failed: [
          ...[...refused].map(([userId, reason]) => ({ userId, reason })),
          ...[...kept].map((userId) => ({ userId, reason: 'last_role_assigner' as const })),
        ],
      };
      removals.forEach((userId, index) => {
        const outcome = outcomes[index];
        if (outcome?.status === 'fulfilled') result.succeeded.push(userId);
        else {
          const error = outcome?.reason;
          // Logto answers a removal of a non-member with 404 entity.not_found.
          const isNotMember = error instanceof LogtoApiError && error.status === 404;
          result.failed.push({ userId, reason: isNotMember ? 'not_a_member' : failureReason(error) });
        }
      });
      return result;
    }),
  );
}

function requireOperator(access: OrgAccess): void {
  // Rule 5: only operators reach the tenant's user directory.
  if (!access.isOperator) throw new ForbiddenError(['operator']);
}

/**
 * Adds existing tenant users to the organization with roles (operators only, rule 5). Unknown
 * user ids make Logto refuse the whole call (`entity.relation_foreign_key_not_found`).
 */
export async function addExistingUsers({
  access,
  orgId,
  userIds,
  roleIds,
  client,
}: MutationContext & { userIds: readonly string[]; roleIds: readonly string[] }): Promise<{ added: number }> {
  requireOperator(access);
  const roles = await listOrganizationRoles(client);
  assertCanGrantRoles(access, roleIds, roles);
  const ids = [...new Set(userIds)];
  return changingAccessOf(orgId, ids, async () => {
    await addOrganizationMembers(orgId, ids, client);
    if (roleIds.length > 0) await assignRolesToMembers(orgId, ids, [...new Set(roleIds)], client);
    return { added: ids.length };
  });
}

/** A tenant user offered by the "add members" search. */
export type CandidateUser = {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
};

/** How many matches the "add members" search shows at once. */
const CANDIDATE_LIMIT = 10;

/**
 * Tenant users who are not members of the organization yet, matching `q` (operators only,
 * rule 5: tenant admins never search the tenant's users).
 */
export async function searchCandidateUsers({
  access,
  orgId,
  q,
  client,
}: MutationContext & { q: string }): Promise<{ rows: CandidateUser[]; total: number }> {
  requireOperator(access);
  const page = await searchUsers(
    { search: q, page: 1, pageSize: CANDIDATE_LIMIT, excludeOrganizationId: orgId },
    client,
  );
  return {
    rows: page.rows.map((user) => ({
      id: user.id,
      name: user.name ?? null,
      username: user.username ?? null,
      email: user.primaryEmail ?? null,
    })),
    total: page.total,
  };
}

/** Header row of the members CSV; the column names stay English so scripts can rely on them. */
export const MEMBERS_CSV_HEADER = [
  'user_id',
  'name',
  'username',
  'email',
  'roles',
  'last_sign_in_at',
] as const;

/**
 * The organization's members as CSV (UTF-8 with a byte-order mark so spreadsheet apps detect
 * it), streamed: one Logto page of 100 is fetched each time the reader wants more, so memory stays
 * flat for an organization of any size and a cancelled download stops the walk. A Logto failure
 * half-way errors the stream, so the download fails visibly rather than ending short.
 */
export function streamMembersCsv(
  orgId: string,
  { q, roleId, pageSize = MAX_PAGE_SIZE }: { q?: string; roleId?: string; pageSize?: number } = {},
  client?: ManagementClient,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pages = iteratePages(
    (page, size) => listOrganizationMembers(orgId, { page, pageSize: size, q, roleId }, client),
    pageSize,
  );
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(MEMBERS_CSV_HEADER)}`));
      },
      async pull(controller) {
        const next = await pages.next();
        if (next.done) {
          controller.close();
          return;
        }
        const text = next.value
          .map((member) =>
            csvRow([
              member.id,
              member.name ?? null,
              member.username ?? null,
              member.primaryEmail ?? null,
              member.organizationRoles.map((role) => role.name).join(';'),
              typeof member.lastSignInAt === 'number' ? new Date(member.lastSignInAt).toISOString() : null,
            ]),
          )
          .join('');
        controller.enqueue(encoder.encode(text));
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    // One page buffered ahead keeps Logto and the download busy at the same time.
    { highWaterMark: 2 },
  );
}
