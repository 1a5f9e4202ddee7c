import 'server-only';

import type { ActionErrorCode } from '@/lib/actions/result';
import { classifyError } from '@/lib/actions/classify-error';
import type { Actor } from '@/lib/auth/actor';
import { isInvitationToken, verifyInvitationToken } from '@/lib/auth/invitation-token';
import { createTtlCache } from '@/lib/auth/ttl-cache';
import { getConfig } from '@/lib/config';
import { processSingleton } from '@/lib/process-singleton';
import {
  createInvitation,
  getInvitation,
  getOrganization,
  getUser,
  listInvitations,
  listOrganizationMembers,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  type OrganizationInvitation,
  readOrganizationData,
  type OrganizationInvitationStatus,
  type Page,
  resendInvitationMessage,
  updateInvitationStatus,
} from '@/lib/logto';
import { forgetOrgAccess, NotFoundError, type OrgAccess, requireOrgScopes } from '@/lib/permissions';
import { assertCanActOnHolderOf } from '@/lib/permissions/grants';
import { mapWithConcurrency } from '@/lib/concurrency';
import { clampPage, type TableState } from '@/lib/table-state';
import { invitationShareLink } from './invitation-input';

// ---------------------------------------------------------------------------------------------
// The invitations table
// ---------------------------------------------------------------------------------------------

/** Status tabs of the invitations table, as written in the URL (`?status=accepted`). */
const INVITATION_TABS = ['pending', 'accepted', 'expired', 'revoked', 'all'] as const;
export type InvitationTab = (typeof INVITATION_TABS)[number];
/** The tab shown when the URL names none (and left out of the URL). */
const DEFAULT_INVITATION_TAB: InvitationTab = 'pending';

const TAB_STATUS: Record<Exclude<InvitationTab, 'all'>, OrganizationInvitationStatus> = {
  pending: 'Pending',
  accepted: 'Accepted',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** The tab a URL's `status` asks for; anything unknown falls back to the default tab. */
export function parseInvitationTab(raw: string | undefined): InvitationTab {
  const value = raw?.toLowerCase();
  return (INVITATION_TABS as readonly string[]).includes(value ?? '')
    ? (value as InvitationTab)
    : DEFAULT_INVITATION_TAB;
}

/** An invitation as the table shows it; only these fields travel to the browser. */
export type InvitationRow = {
  id: string;
  email: string;
  status: OrganizationInvitationStatus;
  roles: { id: string; name: string }[];
  /** Who sent it; null when Logto has no inviter (created outside the portal). */
  inviter: { id: string; name: string | null; email: string | null } | null;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
};

/** Invitations per tab, after the search. */
export type InvitationCounts = Record<InvitationTab, number>;

/** One page of the invitations table: the members table's `{ rows, total }` plus tab counts. */
export type InvitationsPage = Page<InvitationRow> & { status: InvitationTab; counts: InvitationCounts };

/** What the table needs of an invitation (Logto's also name the tenant, organization and acceptor). */
export type ListedInvitation = Pick<
  OrganizationInvitation,
  'id' | 'invitee' | 'status' | 'organizationRoles' | 'inviterId' | 'createdAt' | 'expiresAt' | 'updatedAt'
>;

/** Case-insensitive substring match on the invitee, the way the members search treats emails. */
function matchesQuery(invitation: ListedInvitation, q: string): boolean {
  return q === '' || invitation.invitee.toLowerCase().includes(q.toLowerCase());
}

/**
 * Filters, counts and slices an organization's invitations (Logto returns them all, newest
 * first, with `Expired` already derived). A page past the end is clamped to the last page.
 */
export function pageInvitations<Invitation extends ListedInvitation>(
  invitations: readonly Invitation[],
  state: TableState,
): Page<Invitation> & { status: InvitationTab; counts: InvitationCounts } {
  const status = parseInvitationTab(state.status);
  const matching = invitations.filter((invitation) => matchesQuery(invitation, state.q));
  const counts: InvitationCounts = { pending: 0, accepted: 0, expired: 0, revoked: 0, all: matching.length };
  for (const invitation of matching) {
    const tab = (Object.keys(TAB_STATUS) as Array<keyof typeof TAB_STATUS>).find(
      (key) => TAB_STATUS[key] === invitation.status,
    );
    if (tab) counts[tab] += 1;
  }
  const inTab =
    status === 'all' ? matching : matching.filter((invitation) => invitation.status === TAB_STATUS[status]);
  const { page, pageSize } = clampPage(state, inTab.length);
  const start = (page - 1) * pageSize;
  return { rows: inTab.slice(start, start + pageSize), total: inTab.length, page, pageSize, status, counts };
}

type InviterInfo = { name: string | null; email: string | null } | null;

// Inviters are few (an organization's admins) and their names change rarely; a table page must
// not cost one user lookup per row on every request.
const inviterCache = processSingleton('inviter-cache', () =>
  createTtlCache<InviterInfo>({ ttlMs: 5 * 60_000, maxEntries: 5_000 }),
);

async function loadInviter(userId: string, client?: ManagementClient): Promise<InviterInfo> {
  try {
    const user = await getUser(userId, client);
    return { name: user.name ?? user.username ?? null, email: user.primaryEmail ?? null };
  } catch (error) {
    // Deleting a user deletes their invitations too, so this is a race at worst.
    if (error instanceof LogtoApiError && error.status === 404) return null;
    throw error;
  }
}

async function toRows(
  invitations: readonly ListedInvitation[],
  client?: ManagementClient,
): Promise<InvitationRow[]> {
  const inviterIds = [
    ...new Set(invitations.flatMap((invitation) => (invitation.inviterId ? [invitation.inviterId] : []))),
  ];
  const inviters = new Map(
    await Promise.all(
      inviterIds.map(async (id) => [id, await inviterCache.get(id, () => loadInviter(id, client))] as const),
    ),
  );
  return invitations.map((invitation) => {
    const inviter = invitation.inviterId ? inviters.get(invitation.inviterId) : null;
    return {
      id: invitation.id,
      email: invitation.invitee,
      status: invitation.status,
      roles: invitation.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
      inviter: invitation.inviterId && inviter ? { id: invitation.inviterId, ...inviter } : null,
      createdAt: invitation.createdAt,
      expiresAt: invitation.expiresAt,
      updatedAt: invitation.updatedAt,
    };
  });
}

/**
 * Every invitation of the organization, for the invitations table. Logto answers them all at once
 * (it does not paginate invitations: thousands after a bulk invitation), so one answer serves every
 * tab, search and page while it is kept (`readOrganizationData`), shared with concurrent identical
 * reads. The portal's invitation writes name the organization in Logto's answer, which forgets it
 * at once; changes read invitations themselves, fresh.
 */
export function organizationInvitations(
  orgId: string,
  client?: ManagementClient,
): Promise<ListedInvitation[]> {
  return readOrganizationData(
    orgId,
    'invitations',
    async () =>
      (await listInvitations({ organizationId: orgId }, client)).map(
        ({ id, invitee, status, organizationRoles, inviterId, createdAt, expiresAt, updatedAt }) => ({
          id,
          invitee,
          status,
          organizationRoles: organizationRoles.map((role) => ({ id: role.id, name: role.name })),
          inviterId,
          createdAt,
          expiresAt,
          updatedAt,
        }),
      ),
    { client },
  );
}

/**
 * One page of an organization's invitations for the actor (`read:members`), shared by the page
 * and its GET route handler. The permission check and the list load in parallel; the list is
 * discarded unless the check passes.
 */
export async function loadInvitationsPage(
  actor: Actor,
  orgId: string,
  state: TableState,
): Promise<{ access: OrgAccess; invitations: InvitationsPage }> {
  const accessLoad = requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
  const listLoad = organizationInvitations(orgId);
  listLoad.catch(() => undefined);
  const access = await accessLoad;
  const page = pageInvitations(await listLoad, state);
  return { access, invitations: { ...page, rows: await toRows(page.rows) } };
}

// ---------------------------------------------------------------------------------------------
// One invitation, for the organization's admins
// ---------------------------------------------------------------------------------------------

/** The invitation does not exist, or belongs to another organization (answered alike). */
export class InvitationNotFoundError extends NotFoundError {
  override name = 'InvitationNotFoundError';
  constructor() {
    super('Invitation not found.');
  }
}

/** The invitation is no longer pending, so it cannot be resent, revoked or accepted. */
export class InvitationNotPendingError extends Error {
  override name = 'InvitationNotPendingError';
  constructor(readonly status: OrganizationInvitationStatus) {
    super(`The invitation is ${status}.`);
  }
}

/** The signed-in user's primary email is not the invited one. */
export class InvitationEmailMismatchError extends Error {
  override name = 'InvitationEmailMismatchError';
  constructor() {
    super('The signed-in user is not the invitee.');
  }
}

// Logto's ids are 21 characters of 0-9a-z; anything far off is answered without asking Logto.
const INVITATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

async function findInvitation(id: string, client?: ManagementClient): Promise<OrganizationInvitation> {
  if (!INVITATION_ID.test(id)) throw new InvitationNotFoundError();
  try {
    return await getInvitation(id, client);
  } catch (error) {
    if (error instanceof LogtoApiError && error.status === 404) throw new InvitationNotFoundError();
    throw error;
  }
}

/**
 * An invitation of this organization. Every action on an invitation id starts here: an id of
 * another organization is "not found", exactly like an unknown one.
 */
export async function findOrganizationInvitation(
  orgId: string,
  invitationId: string,
  client?: ManagementClient,
): Promise<OrganizationInvitation> {
  const invitation = await findInvitation(invitationId, client);
  if (invitation.organizationId !== orgId) throw new InvitationNotFoundError();
  return invitation;
}

/**
 * A pending invitation of this organization that the actor may act on: it grants only roles the
 * actor could grant themselves (rule 3 covers resending and revoking as well as inviting).
 */
async function findPendingInvitationWithin(
  access: OrgAccess,
  invitationId: string,
  client?: ManagementClient,
): Promise<OrganizationInvitation> {
  const invitation = await findOrganizationInvitation(access.orgId, invitationId, client);
  if (invitation.status !== 'Pending') throw new InvitationNotPendingError(invitation.status);
  const granted = invitation.organizationRoles.map((role) => role.id);
  if (granted.length > 0) assertCanActOnHolderOf(access, granted, await listOrganizationRoles(client));
  return invitation;
}

/** Emails a pending invitation of this organization again (same invitation, same link). */
export async function resendOrganizationInvitation(
  o: { access: OrgAccess; invitationId: string; portalUrl: string; locale: string },
  client?: ManagementClient,
): Promise<{ email: string }> {
  const invitation = await findPendingInvitationWithin(o.access, o.invitationId, client);
  await resendInvitationMessage(
    invitation.id,
    { link: invitationShareLink(o.portalUrl, invitation.id, invitation.invitee), locale: o.locale },
    client,
  );
  return { email: invitation.invitee };
}

/** Revokes a pending invitation of this organization; its link stops working. */
export async function revokeOrganizationInvitation(
  o: { access: OrgAccess; invitationId: string },
  client?: ManagementClient,
): Promise<{ email: string }> {
  const invitation = await findPendingInvitationWithin(o.access, o.invitationId, client);
  try {
    await updateInvitationStatus(invitation.id, 'Revoked', undefined, client);
  } catch (error) {
    // Accepted or expired in the meantime: Logto refuses with 422 request.invalid_input.
    if (error instanceof LogtoApiError && error.code === 'request.invalid_input') {
      throw new InvitationNotPendingError((await findInvitation(invitation.id, client)).status);
    }
    throw error;
  }
  return { email: invitation.invitee };
}

// ---------------------------------------------------------------------------------------------
// Inviting
// ---------------------------------------------------------------------------------------------

/** Addresses worked on at once; the client's limiter also keeps the whole process in budget. */
const INVITE_CONCURRENCY = 4;
/** Addresses not started by then are reported as failed (retrying is safe: nothing doubles). */
const INVITE_DEADLINE_MS = 50_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Epoch ms `days` from `now`. */
export function expiryFromDays(days: number, now: number = Date.now()): number {
  return now + days * DAY_MS;
}

/** What became of one address. */
export type InviteResult =
  | { email: string; outcome: 'sent'; invitationId: string; link: string }
  /** Created, but no email went out (`reason` says why): the inviter shares `link` themselves. */
  | { email: string; outcome: 'created'; invitationId: string; link: string; reason: ActionErrorCode }
  | { email: string; outcome: 'already_member' }
  | { email: string; outcome: 'already_invited' }
  | { email: string; outcome: 'failed'; reason: ActionErrorCode };

export type InviteSummary = {
  results: InviteResult[];
  /** False when Logto has no email connector: nobody got an email, every link is to be shared. */
  emailSent: boolean;
};

/** How an address stands before inviting. */
export type InviteeStatus = 'member' | 'invited' | 'new';

// The invite dialog checks addresses as they are typed, and the submission checks them again a
// moment later: a short memory spares Logto the second round. A stale "not a member" is still
// caught by Logto's own member check on create; a stale "member" only delays a re-invite.
const membershipCache = processSingleton('membership-cache', () =>
  createTtlCache<boolean>({ ttlMs: 60_000, maxEntries: 20_000 }),
);

async function searchMembership(orgId: string, email: string, client?: ManagementClient): Promise<boolean> {
  // `q` is a substring match over several fields; the exact (case-insensitive) email decides.
  for (let page = 1, seen = 0; ; page += 1) {
    const { rows, total } = await listOrganizationMembers(orgId, { q: email, page, pageSize: 100 }, client);
    if (rows.some((member) => member.primaryEmail?.toLowerCase() === email)) return true;
    seen += rows.length;
    if (rows.length === 0 || seen >= total) return false;
  }
}

/** Whether someone whose primary email is `email` (lower-case) is a member of the organization. */
export function isOrganizationMember(
  orgId: string,
  email: string,
  client?: ManagementClient,
): Promise<boolean> {
  const run = () => searchMembership(orgId, email, client);
  // Test clients bypass the process-wide memory so each test sees its own Logto.
  return client ? run() : membershipCache.get(`${orgId}\n${email}`, run);
}

function forgetMembership(orgId: string, email: string): void {
  membershipCache.delete(`${orgId}\n${email}`);
}

/** Lower-cased invitees holding a pending invitation in the organization (one Logto call). */
async function pendingInvitees(orgId: string, client?: ManagementClient): Promise<Set<string>> {
  const invitations = await listInvitations({ organizationId: orgId }, client);
  return new Set(
    invitations
      .filter((invitation) => invitation.status === 'Pending')
      .map((invitation) => invitation.invitee.toLowerCase()),
  );
}

/**
 * How each address stands in the organization (for flagging in the invite dialog): already a
 * member, already holding a pending invitation, or new. `emails` are lower-cased and unique.
 */
export async function checkInvitees(
  orgId: string,
  emails: readonly string[],
  client?: ManagementClient,
): Promise<Array<{ email: string; status: InviteeStatus }>> {
  const pending = await pendingInvitees(orgId, client);
  return mapWithConcurrency(emails, INVITE_CONCURRENCY, async (email) => {
    if (pending.has(email)) return { email, status: 'invited' as const };
    return {
      email,
      status: (await isOrganizationMember(orgId, email, client)) ? ('member' as const) : ('new' as const),
    };
  });
}

function isLogtoError(error: unknown, status: number, code: string): boolean {
  return error instanceof LogtoApiError && error.status === status && error.code === code;
}

/** Options of {@link inviteToOrganization}. */
export type InviteOptions = {
  orgId: string;
  inviterId: string;
  /** Lower-cased, unique, valid addresses (the invite schema caps how many). */
  emails: readonly string[];
  /** Already checked with `assertCanGrantRoles`. */
  roleIds: readonly string[];
  expiresAt: number;
  /** The portal's public URL, for the invitation links. */
  portalUrl: string;
  /** Language of the email (Logto picks the template by it). */
  locale: string;
  concurrency?: number;
  deadlineMs?: number;
  client?: ManagementClient;
};

/**
 * Invites every address and says what became of each; never throws for one address's sake.
 *
 * Per address: skipped when it already holds a pending invitation or belongs to a member; else
 * the invitation is created and then emailed with its link. Creating and emailing are two calls
 * because the link names the invitation id, which only exists once Logto has created it — and so
 * an invitation survives a missing email connector (501) or the per-recipient cap (429), with its
 * link handed back to share by hand.
 *
 * Idempotent: Logto keeps one pending invitation per (organization, invitee) — a second submission
 * or a retry finds it (listed, or refused with 422 `entity.unique_integrity_violation`) and reports
 * "already invited". Addresses are lower-cased before they reach Logto, whose uniqueness check is
 * case-sensitive.
 */
export async function inviteToOrganization(options: InviteOptions): Promise<InviteSummary> {
  const { orgId, client } = options;
  const deadline = performance.now() + (options.deadlineMs ?? INVITE_DEADLINE_MS);
  const pending = await pendingInvitees(orgId, client);
  // Once Logto says it cannot send email, the remaining addresses do not ask again.
  let hasEmailConnector = true;

  const inviteOne = async (email: string): Promise<InviteResult> => {
    if (pending.has(email)) return { email, outcome: 'already_invited' };
    if (performance.now() > deadline) return { email, outcome: 'failed', reason: 'upstream_unavailable' };
    let invitation: OrganizationInvitation;
    try {
      if (await isOrganizationMember(orgId, email, client)) return { email, outcome: 'already_member' };
      invitation = await createInvitation(
        {
          invitee: email,
          organizationId: orgId,
          inviterId: options.inviterId,
          expiresAt: options.expiresAt,
          organizationRoleIds: [...options.roleIds],
          messagePayload: false,
        },
        client,
      );
    } catch (error) {
      if (isLogtoError(error, 422, 'entity.unique_integrity_violation'))
        return { email, outcome: 'already_invited' };
      // After validation, the only 422 request.invalid_input of a create is "already a member".
      if (isLogtoError(error, 422, 'request.invalid_input')) {
        forgetMembership(orgId, email);
        return { email, outcome: 'already_member' };
      }
      const { code, isUnexpected } = classifyError(error);
      if (isUnexpected) console.error(`[invite] ${orgId}: creating an invitation failed`, error);
      return { email, outcome: 'failed', reason: code };
    }

    const link = invitationShareLink(options.portalUrl, invitation.id, email);
    const created = { email, invitationId: invitation.id, link };
    if (!hasEmailConnector) return { ...created, outcome: 'created', reason: 'email_unavailable' };
    try {
      await resendInvitationMessage(invitation.id, { link, locale: options.locale }, client);
      return { ...created, outcome: 'sent' };
    } catch (error) {
      if (isLogtoError(error, 501, 'connector.not_found')) hasEmailConnector = false;
      const { code, isUnexpected } = classifyError(error);
      if (isUnexpected) console.error(`[invite] ${orgId}: emailing an invitation failed`, error);
      return { ...created, outcome: 'created', reason: code };
    }
  };

  const results = await mapWithConcurrency(
    options.emails,
    options.concurrency ?? INVITE_CONCURRENCY,
    inviteOne,
  );
  return { results, emailSent: hasEmailConnector };
}

// ---------------------------------------------------------------------------------------------
// The invitee's side
// ---------------------------------------------------------------------------------------------

/** What the invitee's page may know about an invitation. `invitee` never leaves the server. */
export type InvitationForInvitee = {
  id: string;
  organizationId: string;
  organizationName: string;
  status: OrganizationInvitationStatus;
  invitee: string;
  roles: { id: string; name: string }[];
  expiresAt: number;
  acceptedUserId: string | null;
};

/**
 * The invitation a signed link (see `lib/auth/invitation-token`) stands for: the one Logto holds
 * for its organization and invitee with its expiry — pending, or whatever became of it. Forged or
 * altered tokens, and pairs with no such invitation, are {@link InvitationNotFoundError}.
 */
async function findInvitationByToken(
  token: string,
  client?: ManagementClient,
): Promise<OrganizationInvitation> {
  const claim = verifyInvitationToken(token, getConfig().nextAuth.secret);
  if (!claim) throw new InvitationNotFoundError();
  const invitations = await listInvitations(
    { organizationId: claim.organizationId, invitee: claim.invitee },
    client,
  );
  const invitation = invitations.find((candidate) => candidate.expiresAt === claim.expiresAt);
  if (!invitation) throw new InvitationNotFoundError();
  return invitation;
}

/**
 * Loads an invitation for its landing page, with no portal permission: the id is the credential
 * for reading the organization's name and the invitation's state. Throws
 * {@link InvitationNotFoundError} for unknown ids.
 */
export async function loadInvitationForInvitee(
  id: string,
  client?: ManagementClient,
): Promise<InvitationForInvitee> {
  const invitation = isInvitationToken(id)
    ? await findInvitationByToken(id, client)
    : await findInvitation(id, client);
  const organization = await getOrganization(invitation.organizationId, client);
  return {
    id: invitation.id,
    organizationId: invitation.organizationId,
    organizationName: organization.name,
    status: invitation.status,
    invitee: invitation.invitee,
    roles: invitation.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
    expiresAt: invitation.expiresAt,
    acceptedUserId: invitation.acceptedUserId ?? null,
  };
}

/**
 * Whether `userId`'s primary email, read from Logto (never from the session), is the invited
 * one (case-insensitive). Also gives the email for the mismatch page.
 */
export async function matchInvitee(
  invitee: string,
  userId: string,
  client?: ManagementClient,
): Promise<{ isMatch: boolean; email: string | null }> {
  let email: string | null;
  try {
    email = (await getUser(userId, client)).primaryEmail ?? null;
  } catch (error) {
    // A session can outlive its user; such a visitor is nobody's invitee.
    if (error instanceof LogtoApiError && error.status === 404) return { isMatch: false, email: null };
    throw error;
  }
  return { isMatch: email !== null && email.toLowerCase() === invitee.toLowerCase(), email };
}

/**
 * Accepts an invitation for the signed-in user: it must be pending and their primary email the
 * invited one. Logto then adds them to the organization with the invitation's roles. Accepting
 * twice (a double click) succeeds the second time too.
 */
export async function acceptInvitationAs(
  userId: string,
  invitationId: string,
  client?: ManagementClient,
): Promise<{ organizationId: string }> {
  const invitation = await findInvitation(invitationId, client);
  if (invitation.status === 'Accepted' && invitation.acceptedUserId === userId) {
    return { organizationId: invitation.organizationId };
  }
  if (invitation.status !== 'Pending') throw new InvitationNotPendingError(invitation.status);
  if (!(await matchInvitee(invitation.invitee, userId, client)).isMatch)
    throw new InvitationEmailMismatchError();
  try {
    await updateInvitationStatus(invitation.id, 'Accepted', userId, client);
  } catch (error) {
    if (!(error instanceof LogtoApiError && error.code === 'request.invalid_input')) throw error;
    // Lost a race with a revoke, an expiry or the same user's other tab.
    const current = await findInvitation(invitation.id, client);
    if (current.status === 'Accepted' && current.acceptedUserId === userId)
      return { organizationId: current.organizationId };
    throw new InvitationNotPendingError(current.status);
  }
  forgetMembership(invitation.organizationId, invitation.invitee.toLowerCase());
  // The new member's next page must not meet a remembered "no access" from before they joined.
  await forgetOrgAccess(invitation.organizationId, [userId]);
  return { organizationId: invitation.organizationId };
}

/**
 * The invitee turns an invitation down: it must be pending, unexpired and addressed to their
 * primary email (read from Logto). Logto has no "declined" status, so it is revoked; the
 * organization's activity log records who declined it.
 */
export async function declineInvitationAs(
  userId: string,
  invitationId: string,
  client?: ManagementClient,
): Promise<{ organizationId: string }> {
  const invitation = await findInvitation(invitationId, client);
  const isExpired = invitation.status === 'Pending' && invitation.expiresAt <= Date.now();
  if (invitation.status !== 'Pending' || isExpired) {
    throw new InvitationNotPendingError(isExpired ? 'Expired' : invitation.status);
  }
  if (!(await matchInvitee(invitation.invitee, userId, client)).isMatch)
    throw new InvitationEmailMismatchError();
  try {
    await updateInvitationStatus(invitation.id, 'Revoked', undefined, client);
  } catch (error) {
    if (!(error instanceof LogtoApiError && error.code === 'request.invalid_input')) throw error;
    // Lost a race with an admin's revoke, an expiry or an accept in another tab.
    throw new InvitationNotPendingError((await findInvitation(invitation.id, client)).status);
  }
  return { organizationId: invitation.organizationId };
}
