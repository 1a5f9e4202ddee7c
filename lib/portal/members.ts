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
  readOrganizationData,
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
import { assertKeepsRoleAssigner, findLastRoleAssigners } from '@/lib/permissions/last-admin';
// Rule 4 reads the holders, then changes membership, under the organization's lock that every
// instance sharing the store respects: two admins demoting each other never both pass the check.
import { withOrganizationLock } from '@/lib/store';
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

/**
 * One page of members as everyone viewing the same organization and query sees it: shared with
 * concurrent identical reads and kept briefly (`readOrganizationData`), forgotten at once when the
 * portal changes the organization. Changes read members themselves, fresh.
 */
function fetchMembers(orgId: string, state: TableState): Promise<MembersPage> {
  const query = { page: state.page, pageSize: state.pageSize, q: state.q || undefined, roleId: state.role };
  return readOrganizationData(
    orgId,
    JSON.stringify(['members', query.page, query.pageSize, query.q ?? '', query.roleId ?? '']),
    async () => {
      const page = await listOrganizationMembers(orgId, query);
      return { ...page, rows: page.rows.map(toMemberRow) };
    },
  );
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
  /**
   * Filled with the members the change reads, as it reads them, whether it then goes through or
   * is refused: the activity log describes the change from it instead of reading them again.
   */
  reads?: MemberReads;
};

/** A member as a change read them: the email people know them by and the roles they held. */
export type MemberRead = {
  /** Absent when the read did not give it (Logto's role route, see {@link readMember}). */
  email?: string | null;
  roles: { id: string; name: string }[];
};

/** What a change read about the members it touched, by user id; non-members are left out. */
export type MemberReads = Map<string, MemberRead>;

/** How many member reads of a batch run at once. */
const READ_CONCURRENCY = 4;

function toMemberRead(member: OrganizationMember): MemberRead {
  return {
    email: member.primaryEmail ?? null,
    roles: member.organizationRoles.map(({ id, name }) => ({ id, name })),
  };
}

function isNotAMember(error: unknown): boolean {
  return error instanceof LogtoApiError && error.code === 'organization.require_membership';
}

/**
 * One member with their email and roles, in one call: the organization's member search matches
 * ids too, and only the exact id counts. The search is a substring match, so an id contained in
 * more members' emails or names than a page holds is asked of Logto's role route instead (which
 * gives no email).
 *
 * @throws {LogtoApiError} `organization.require_membership`, as Logto's role route answers, when
 *   the user is not a member.
 */
export async function readMember(
  orgId: string,
  userId: string,
  client?: ManagementClient,
): Promise<MemberRead> {
  const { rows, total } = await listOrganizationMembers(
    orgId,
    { q: userId, pageSize: MAX_PAGE_SIZE },
    client,
  );
  const member = rows.find((row) => row.id === userId);
  if (member) return toMemberRead(member);
  if (total > rows.length) {
    return { roles: (await getMemberRoles(orgId, userId, client)).map(({ id, name }) => ({ id, name })) };
  }
  throw new LogtoApiError({
    status: 422,
    code: 'organization.require_membership',
    message: 'The user must be a member of the organization to proceed.',
  });
}

async function inParallel<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

/**
 * Several members with their emails and roles: `members` holds those found, `failed` the ones
 * whose own read failed (with the error); anyone in neither is not a member.
 *
 * Cost: one call for one member. For a batch, one page of 100 of the organization first, then
 * whichever costs fewer calls: the remaining pages, or one search per member still missing, a few
 * at a time. A batch of 100 in an organization of 2,500 costs 25 calls; any batch in an
 * organization of up to 100 members, one. Pages can shift while they are walked, so anyone they
 * did not show is searched for on their own, unless `isBestEffort` (then they count as not
 * members).
 *
 * @throws when a page of the organization cannot be read (nobody can be judged then).
 */
export async function readMembers(
  orgId: string,
  userIds: readonly string[],
  client?: ManagementClient,
  { isBestEffort = false }: { isBestEffort?: boolean } = {},
): Promise<{ members: MemberReads; failed: Map<string, unknown> }> {
  const wanted = [...new Set(userIds)];
  const members: MemberReads = new Map();
  const failed = new Map<string, unknown>();
  const readOne = async (userId: string) => {
    try {
      members.set(userId, await readMember(orgId, userId, client));
    } catch (error) {
      if (!isNotAMember(error)) failed.set(userId, error);
    }
  };
  const missing = () => wanted.filter((id) => !members.has(id));
  if (wanted.length <= 1) {
    await inParallel(wanted, readOne);
    return { members, failed };
  }

  const isWanted = new Set(wanted);
  const take = (rows: readonly OrganizationMember[]) => {
    for (const row of rows) if (isWanted.has(row.id)) members.set(row.id, toMemberRead(row));
  };
  const first = await listOrganizationMembers(orgId, { page: 1, pageSize: MAX_PAGE_SIZE }, client);
  take(first.rows);
  const pagesLeft = Math.max(0, Math.ceil(first.total / MAX_PAGE_SIZE) - 1);
  // One page held everyone: whoever is missing is not a member.
  if (pagesLeft === 0 || missing().length === 0) return { members, failed };

  if (pagesLeft <= missing().length) {
    await inParallel(
      Array.from({ length: pagesLeft }, (_, index) => index + 2),
      async (page) => {
        if (missing().length > 0) {
          take((await listOrganizationMembers(orgId, { page, pageSize: MAX_PAGE_SIZE }, client)).rows);
        }
      },
    );
    if (isBestEffort) return { members, failed };
  }
  await inParallel(missing(), readOne);
  return { members, failed };
}

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
 * In order: the role ids must be person roles of the tenant; the user must be a member (read under
 * the organization lock with their email and roles, and reported in `reads`;
 * `organization.require_membership` otherwise); every role added *or taken away* must be one the
 * actor could grant (rule 3: nobody edits roles above their own); the organization must keep
 * someone holding `assign:roles` (rule 4). Returns the member's roles afterwards.
 */
export async function changeMemberRoles({
  access,
  orgId,
  userId,
  roleIds,
  client,
  reads,
}: MutationContext & { userId: string; roleIds: readonly string[] }): Promise<{
  userId: string;
  roles: { id: string; name: string }[];
}> {
  const roles = await listOrganizationRoles(client);
  const desired = [...new Set(roleIds)];
  assertPersonRoles(desired, roles);

  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, [userId], async () => {
      const member = await readMember(orgId, userId, client);
      reads?.set(userId, member);
      const current = member.roles.map((role) => role.id);
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
 * Removes one member after reading them under the organization lock (reported in `reads`;
 * `organization.require_membership` when they are not one), unless they hold a role the actor
 * could not grant (rule 3: nobody acts above their own role) or are the last holder of
 * `assign:roles` (rule 4).
 */
export async function removeMember({
  access,
  orgId,
  userId,
  client,
  reads,
}: MutationContext & { userId: string }): Promise<{ userId: string }> {
  const roles = await listOrganizationRoles(client);
  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, [userId], async () => {
      const member = await readMember(orgId, userId, client);
      reads?.set(userId, member);
      const current = member.roles.map((role) => role.id);
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
 * role), in one call when everyone is a member: nobody is read then. Logto's batch call is
 * all-or-nothing and refuses it when any user is not a member
 * (`entity.relation_foreign_key_not_found`, the role id having been checked already): then each
 * user's roles are looked up (and reported in `reads`), the members get the role and the others
 * are reported.
 */
export async function assignRoleToMembers({
  access,
  orgId,
  userIds,
  roleId,
  client,
  reads,
}: MutationContext & { userIds: readonly string[]; roleId: string }): Promise<BulkResult> {
  const roles = await listOrganizationRoles(client);
  assertCanGrantRoles(access, [roleId], roles);
  const ids = [...new Set(userIds)];
  return changingAccessOf(orgId, ids, () => assignRoleWithFallback(orgId, ids, roleId, client, reads));
}

async function assignRoleWithFallback(
  orgId: string,
  ids: string[],
  roleId: string,
  client: ManagementClient | undefined,
  reads: MemberReads | undefined,
): Promise<BulkResult> {
  try {
    await assignRolesToMembers(orgId, ids, [roleId], client);
    return { succeeded: ids, failed: [] };
  } catch (error) {
    if (!(error instanceof LogtoApiError && error.code === 'entity.relation_foreign_key_not_found'))
      throw error;
  }

  const checks = await Promise.allSettled(ids.map((userId) => getMemberRoles(orgId, userId, client)));
  const result: BulkResult = { succeeded: [], failed: [] };
  ids.forEach((userId, index) => {
    const check = checks[index];
    if (check?.status === 'fulfilled') {
      result.succeeded.push(userId);
      reads?.set(userId, { roles: check.value.map(({ id, name }) => ({ id, name })) });
    } else result.failed.push({ userId, reason: failureReason(check?.reason) });
  });
  if (result.succeeded.length > 0) await assignRolesToMembers(orgId, result.succeeded, [roleId], client);
  return result;
}

/**
 * Removes several members, read first under the organization lock (reported in `reads`). Each
 * one must hold only roles the actor could grant (rule 3; the others are reported `forbidden`).
 * Rule 4 is evaluated over the whole batch: when the batch would take every holder of
 * `assign:roles` away, those holders stay (reported as `last_role_assigner`) and the rest are
 * removed. Someone who is not a member is reported as `not_a_member`. Failures are listed in the
 * order the ids were given.
 */
export async function removeMembers({
  access,
  orgId,
  userIds,
  client,
  reads,
}: MutationContext & { userIds: readonly string[] }): Promise<BulkResult> {
  const roles = await listOrganizationRoles(client);
  const ids = [...new Set(userIds)];
  return withOrganizationLock(orgId, () =>
    changingAccessOf(orgId, ids, async () => {
      const { members, failed: unread } = await readMembers(orgId, ids, client);
      for (const [userId, member] of members) reads?.set(userId, member);

      const reasons = new Map<string, MemberFailureReason>();
      const isAboveEveryone = canActOnEveryRole(access, roles);
      for (const userId of ids) {
        const member = members.get(userId);
        if (!member) {
          reasons.set(userId, unread.has(userId) ? failureReason(unread.get(userId)) : 'not_a_member');
          continue;
        }
        if (isAboveEveryone) continue;
        const held = member.roles.map((role) => role.id);
        try {
          assertCanActOnHolderOf(access, held, roles);
        } catch {
          reasons.set(userId, 'forbidden');
        }
      }
      const candidates = ids.filter((id) => !reasons.has(id));
      const kept = new Set(
        await findLastRoleAssigners(
          orgId,
          {
            leaving: candidates.map((userId) => ({
              userId,
              roleIds: members.get(userId)?.roles.map((role) => role.id),
            })),
          },
          roles,
          client,
        ),
      );
      for (const userId of kept) reasons.set(userId, 'last_role_assigner');
      const removals = candidates.filter((id) => !kept.has(id));
      const outcomes = await Promise.allSettled(
        removals.map((userId) => removeOrganizationMember(orgId, userId, client)),
      );

      const succeeded: string[] = [];
      removals.forEach((userId, index) => {
        const outcome = outcomes[index];
        if (outcome?.status === 'fulfilled') succeeded.push(userId);
        else {
          const error = outcome?.reason;
          // Logto answers a removal of a non-member with 404 entity.not_found.
          const isNotMember = error instanceof LogtoApiError && error.status === 404;
          reasons.set(userId, isNotMember ? 'not_a_member' : failureReason(error));
        }
      });
      return {
        succeeded,
        failed: ids.flatMap((userId) => {
          const reason = reasons.get(userId);
          return reason ? [{ userId, reason }] : [];
        }),
      };
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
