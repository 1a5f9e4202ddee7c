import 'server-only';

import { type Actor } from '@/lib/auth/actor';
import { getConfig } from '@/lib/config';
import {
  getMemberRoles,
  getMemberScopes,
  getUserOrganizations,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
} from '@/lib/logto';
import {
  getOrganizationOnce,
  getUserOrganizationsOnce,
  keepOrganizationRecordFrom,
  listOrganizationsWithMemberCounts,
  type OrganizationRow,
  type OrganizationsPage,
} from '@/lib/portal/organizations';
import { createTtlCache } from '@/lib/auth/ttl-cache';
import { processSingleton } from '@/lib/process-singleton';
import {
  bumpCacheVersions,
  isSharedStore,
  readCacheVersions,
  readSharedAnswer,
  shareAnswer,
} from '@/lib/store';
import { pageCount } from '@/lib/table-state';
import { ForbiddenError, NotFoundError } from './errors';
import {
  matchesOrganizationQuery,
  missingScopes,
  paginate,
  roleIdsWithScope,
  type Scope,
  scopeNamesOfRoles,
  SCOPES,
  scopesFromNames,
} from './scopes';

export { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
export { type Scope, SCOPES } from './scopes';

/**
 * What the actor may do in one organization, as established by {@link requireOrgScopes}.
 * Plain data, so pages can pass it to client components as a UI hint.
 *
 * Rules 3 (no escalation) and 4 (last `assign:roles` holder) build on this: they compare a
 * role's scope names with `scopeNames` and count holders through the member list.
 */
export type OrgAccess = {
  orgId: string;
  isOperator: boolean;
  /** Portal scopes held (operators: all). */
  scopes: Scope[];
  /** Raw Logto scope names held in this organization (operators: every configured name). */
  scopeNames: string[];
};

// Logto's generated ids use 0-9a-z; anything far off is answered without asking Logto.
const ORGANIZATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * How old an answer about someone's scopes a read may use. Paging through a table asks for the
 * same answer every few hundred milliseconds; a change made in Logto's console reaches reads
 * within this time, changes made through the portal at once ({@link forgetOrgAccess}).
 */
export const RECENT_ACCESS_TTL_MS = 10_000;

/**
 * An answer about someone's scopes, with the version of that answer in the shared store and when
 * Logto gave it (`performance.now()` time; earlier than its load when another instance asked).
 */
type HeldScopes = { names: string[]; version: number; readAt: number };

const heldScopesCache = processSingleton('org-access-cache', () =>
  createTtlCache<HeldScopes>({ ttlMs: RECENT_ACCESS_TTL_MS, maxEntries: 10_000 }),
);

function accessKey(orgId: string, userId: string): string {
  return `${orgId}\n${userId}`;
}

/** The shared store's version scope of one person's access in one organization. */
const versionScope = (key: string) => `org-access:${key}`;

/**
 * Whether a check may reuse a recent answer: `'now'` asks Logto (every action, before it
 * changes anything); `'recent'` may reuse one up to {@link RECENT_ACCESS_TTL_MS} old (pages and
 * read routes, which change nothing).
 */
export type Freshness = 'now' | 'recent';

/**
 * The version of an access answer in the shared store, read before Logto is asked, so an answer
 * fetched while a change was under way carries the older version and is not served again
 * (`lib/store` cache-versions, rule 1). `undefined` when there is no shared store (one process owns
 * the embedded one: forgetting locally is enough) or the store did not answer (then nothing
 * remembered is trusted).
 */
async function sharedAccessVersion(key: string): Promise<number | undefined> {
  if (!isSharedStore()) return 0;
  try {
    return (await readCacheVersions([versionScope(key)]))[versionScope(key)] ?? 0;
  } catch (error) {
    console.error('[permissions] could not read the shared cache version; asking Logto:', error);
    return undefined;
  }
}

/**
 * What a page view may know of someone's scopes in one organization, in one call that also reads
 * the organization's record, kept for the page's header (so it does not ask Logto again): the
 * person's organizations with their roles, and those roles' scopes from role definitions no older
 * than {@link RECENT_ACCESS_TTL_MS}. A check before a change asks Logto's scopes route instead.
 */
async function askLogtoForRecentScopeNames(orgId: string, userId: string): Promise<string[]> {
  const rolesLoad = listOrganizationRoles(undefined, { maxAgeMs: RECENT_ACCESS_TTL_MS });
  rolesLoad.catch(() => undefined);
  const keepRecord = await keepOrganizationRecordFrom(orgId);
  const readAt = performance.now();
  const membership = (await getUserOrganizations(userId)).find((org) => org.id === orgId);
  // Logto's scopes route answers [] for non-members and unknown organizations alike; so does this.
  if (!membership) return [];
  const { organizationRoles, ...record } = membership;
  keepRecord(record, readAt);
  let roles = await rolesLoad;
  // A role made in the last seconds is not in the definitions yet: read them again, once.
  if (organizationRoles.some((held) => !roles.some((role) => role.id === held.id)))
    roles = await listOrganizationRoles(undefined, { maxAgeMs: 0 });
  return scopeNamesOfRoles(
    roles,
    organizationRoles.map((role) => role.id),
  );
}

/** Logto's answer now, offered to the other instances (with a shared store) for their page views. */
async function askLogtoForHeldScopes(
  orgId: string,
  userId: string,
  version: number | undefined,
  freshness: Freshness,
): Promise<HeldScopes> {
  const readAt = performance.now();
  const names =
    freshness === 'recent'
      ? await askLogtoForRecentScopeNames(orgId, userId)
      : (await getMemberScopes(orgId, userId)).map((scope) => scope.name);
  if (version !== undefined && isSharedStore()) {
    shareAnswer(versionScope(accessKey(orgId, userId)), {
      version,
      value: names,
      ageMs: performance.now() - readAt,
    }).catch((error: unknown) =>
      console.error('[permissions] could not share an answer with other instances:', error),
    );
  }
  return { names, version: version ?? -1, readAt };
}

/** An answer another instance had from Logto at this version, recent enough for a page view. */
async function sharedHeldScopes(key: string, version: number): Promise<HeldScopes | undefined> {
  try {
    const found = await readSharedAnswer<string[]>(versionScope(key), {
      version,
      maxAgeMs: RECENT_ACCESS_TTL_MS,
    });
    return found && { names: found.value, version, readAt: performance.now() - found.ageMs };
  } catch (error) {
    console.error('[permissions] could not read a shared answer; asking Logto:', error);
    return undefined;
  }
}

async function loadHeldScopeNames(orgId: string, userId: string, freshness: Freshness): Promise<string[]> {
  const key = accessKey(orgId, userId);
  const version = await sharedAccessVersion(key);
  const fromLogto = () => askLogtoForHeldScopes(orgId, userId, version, freshness);
  // A page view may use what another instance had from Logto lately; a check before a change never.
  const load = async (): Promise<HeldScopes> => {
    const mayUseShared = freshness === 'recent' && version !== undefined && isSharedStore();
    return (mayUseShared && (await sharedHeldScopes(key, version))) || fromLogto();
  };
  // A fresh answer also replaces the remembered one, so reads never see an older one after it.
  // So does one remembered at another version (another instance changed this person's access), or
  // one another instance had from Logto that is now too old.
  if (freshness === 'now' || version === undefined) heldScopesCache.delete(key);
  const remembered = await heldScopesCache.get(key, load);
  if (remembered.version === (version ?? -1) && performance.now() - remembered.readAt < RECENT_ACCESS_TTL_MS)
    return remembered.names;
  heldScopesCache.delete(key);
  return (await heldScopesCache.get(key, fromLogto)).names;
}

/**
 * Drops remembered answers for people whose roles or membership the portal just changed, so
 * their next page view asks Logto again, here and (with a shared store, whose version of each
 * answer moves) on every other instance.
 */
export async function forgetOrgAccess(orgId: string, userIds: readonly string[]): Promise<void> {
  const keys = userIds.map((userId) => accessKey(orgId, userId));
  for (const key of keys) heldScopesCache.delete(key);
  if (keys.length === 0 || !isSharedStore()) return;
  try {
    await bumpCacheVersions(keys.map(versionScope));
  } catch (error) {
    // The change itself is made; other instances then catch up within RECENT_ACCESS_TTL_MS.
    console.error('[permissions] could not tell other instances about a change:', error);
  }
}

async function loadAccess(actor: Actor, orgId: string, freshness: Freshness): Promise<OrgAccess> {
  // Checked here too, not only by the action schemas: a non-string must never reach a lock key.
  if (typeof orgId !== 'string' || !ORGANIZATION_ID.test(orgId)) throw new NotFoundError();
  const scopeNames = getConfig().scopes;

  if (actor.isOperator) {
    try {
      await getOrganizationOnce(orgId);
    } catch (error) {
      if (error instanceof LogtoApiError && error.status === 404) throw new NotFoundError();
      throw error;
    }
    return {
      orgId,
      isOperator: true,
      scopes: [...SCOPES],
      scopeNames: SCOPES.map((scope) => scopeNames[scope]),
    };
  }

  // Logto answers 200 [] for non-members and unknown organizations alike, so "no scopes" covers both.
  const held = await loadHeldScopeNames(orgId, actor.userId, freshness);
  const scopes = scopesFromNames(held, scopeNames);
  if (!scopes.includes('readMembers')) throw new NotFoundError();
  return { orgId, isOperator: false, scopes, scopeNames: held };
}

/**
 * The permission check every org-scoped page, route handler and action runs (rules 1–2).
 * Throws {@link NotFoundError} when the organization does not exist or the actor lacks
 * `read:members` there (answer as if it did not exist), {@link ForbiddenError} when it is visible
 * but a `needed` scope is missing. Operators hold every scope in every organization.
 * Reads pass `{ freshness: 'recent' }`; anything that changes Logto keeps the default `'now'`.
 */
export async function requireOrgScopes(
  actor: Actor,
  orgId: string,
  needed: readonly Scope[] = [],
  { freshness = 'now' }: { freshness?: Freshness } = {},
): Promise<OrgAccess> {
  const access = await loadAccess(actor, orgId, freshness);
  const missing = missingScopes(access.scopes, needed);
  if (missing.length > 0) throw new ForbiddenError(missing);
  return access;
}

/**
 * The actor's own membership of an organization, for what any member may do about themselves
 * (leave it), whatever their scopes: their roles there. Someone who is not a member, and an
 * unknown organization, are answered {@link NotFoundError} alike (rule 2). Always asks Logto.
 */
export async function requireMembership(
  actor: Actor,
  orgId: string,
  client?: ManagementClient,
): Promise<{ id: string; name: string }[]> {
  if (typeof orgId !== 'string' || !ORGANIZATION_ID.test(orgId)) throw new NotFoundError();
  try {
    const roles = await getMemberRoles(orgId, actor.userId, client);
    return roles.map((role) => ({ id: role.id, name: role.name }));
  } catch (error) {
    if (
      error instanceof LogtoApiError &&
      (error.code === 'organization.require_membership' || error.status === 404)
    ) {
      throw new NotFoundError();
    }
    throw error;
  }
}

/** Whether an access grants a scope (for UI hints; actions still call {@link requireOrgScopes}). */
export function hasScope(access: OrgAccess, scope: Scope): boolean {
  return access.scopes.includes(scope);
}

/**
 * The organizations the actor can manage, one page at a time. Operators: every organization,
 * paginated and searched by Logto, with member counts. Tenant admins: their organizations where
 * one of their roles grants `read:members`, searched and paginated here (Logto does not paginate
 * a user's organizations), sorted by name. A page past the end is answered with the last page.
 */
export async function listManageableOrganizations(
  actor: Actor,
  { page, pageSize, q }: { page: number; pageSize: number; q: string },
): Promise<OrganizationsPage> {
  if (actor.isOperator) {
    const first = await listOrganizationsWithMemberCounts({ page, pageSize, q });
    const last = pageCount(first.total, pageSize);
    return page > last ? listOrganizationsWithMemberCounts({ page: last, pageSize, q }) : first;
  }

  const [organizations, roles] = await Promise.all([
    getUserOrganizationsOnce(actor.userId),
    listOrganizationRoles(),
  ]);
  const readerRoles = roleIdsWithScope(roles, getConfig().scopes.readMembers);
  const manageable = organizations
    .filter((org) => org.organizationRoles.some((role) => readerRoles.has(role.id)))
    .filter((org) => matchesOrganizationQuery(org, q))
    .map((org): OrganizationRow => ({
      id: org.id,
      name: org.name,
      description: org.description ?? null,
      roles: org.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
      membersCount: null,
      logoUrl: org.branding.logoUrl ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return paginate(manageable, Math.min(page, pageCount(manageable.length, pageSize)), pageSize);
}
